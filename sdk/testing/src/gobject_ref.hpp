// Owning reference to a GObject (private helper).
#pragma once

#include <glib-object.h>

#include <utility>

namespace dfx::testing::detail {

template <typename T>
class GRef {
 public:
  GRef() = default;
  /// Takes over a reference the caller owns (transfer full).
  static GRef adopt(T* p) {
    GRef r;
    r.p_ = p;
    return r;
  }
  /// Adds a reference to a borrowed pointer (transfer none).
  static GRef share(T* p) {
    if (p) g_object_ref(p);
    return adopt(p);
  }
  GRef(const GRef& o) : p_(o.p_) {
    if (p_) g_object_ref(p_);
  }
  GRef(GRef&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  GRef& operator=(GRef o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~GRef() {
    if (p_) g_object_unref(p_);
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

}  // namespace dfx::testing::detail
