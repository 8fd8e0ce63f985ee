// dfx/sdk/result.hpp — errors as values for plugins: Status (a dfx_status and a sentence) and
// Result<T, E> (a value or an error), which never hands out a value it does not have. Included by
// <dfx/plugin.hpp>; plugin code may also use it on its own for its protocol code.
#pragma once

#include <dfx/plugin.h>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace dfx::sdk {

/// The outcome of a host call or of a probe: a dfx_status code and a sentence saying why.
class Status {
 public:
  /// Success.
  static Status ok() { return Status{}; }
  /// A failure with a code from plugin.h and an explanation for the technician's log.
  static Status error(dfx_status code, std::string message) {
    return Status{code == DFX_OK ? DFX_ERR_INTERNAL : code, std::move(message)};
  }
  /// True on success.
  [[nodiscard]] bool is_ok() const { return code_ == DFX_OK; }
  explicit operator bool() const { return is_ok(); }
  /// The dfx_status code (DFX_OK on success).
  [[nodiscard]] dfx_status code() const { return code_; }
  /// The explanation ("" on success).
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  Status() = default;
  Status(dfx_status code, std::string message) : code_(code), message_(std::move(message)) {}
  dfx_status code_ = DFX_OK;
  std::string message_;
};

/// Thrown by Result::value() (and *, ->) on a Result that holds an error: a Result never hands
/// out a value it does not have. Inside a probe or a register call the registration macros'
/// trampolines turn it into a plugin error naming the original failure.
class BadResultAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// An error on its way into a Result: `return dfx::sdk::Failure<MyError>{...};`.
template <typename E>
struct Failure {
  E error;
};

namespace detail {
template <typename E>
std::string describe_error(const E& e) {
  if constexpr (requires { e.message(); })
    return std::string(e.message());
  else if constexpr (requires { e.message; })
    return std::string(e.message);
  else
    return "an error";
}
template <typename T>
struct is_failure : std::false_type {};
template <typename E>
struct is_failure<Failure<E>> : std::true_type {};
}  // namespace detail

/// A value, or an error E explaining why there is none. With the default E (Status) a Result is
/// built from a value or from a failed Status, so plugins chain host calls:
///
///   auto product = host.string_descriptor(device.raw().i_product);
///   if (!product) return product.status();
///   use(*product);
template <typename T, typename E = Status>
class Result {
 public:
  /// Holds a value.
  template <typename U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Result> &&
           !std::is_same_v<std::remove_cvref_t<U>, E> &&
           !detail::is_failure<std::remove_cvref_t<U>>::value) Result(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT: implicit by design
  /// Holds an error.
  Result(Failure<E> failure) : v_(std::in_place_index<1>, std::move(failure.error)) {}  // NOLINT
  /// Holds an error given as a Status, which must not be ok (an ok Status becomes an internal
  /// error: a Result without a value must say why).
  Result(Status status)  // NOLINT: implicit by design
      requires std::is_same_v<E, Status>
      : v_(std::in_place_index<1>,
           status.is_ok() ? Status::error(DFX_ERR_INTERNAL, "a Result was built from an ok Status")
                          : std::move(status)) {}

  /// True when a value is present.
  [[nodiscard]] bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  /// The value; throws BadResultAccess when there is none.
  [[nodiscard]] const T& value() const& { return check(), std::get<0>(v_); }
  [[nodiscard]] T& value() & { return check(), std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return check(), std::move(std::get<0>(v_)); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  [[nodiscard]] T& operator*() & { return value(); }
  [[nodiscard]] T&& operator*() && { return std::move(*this).value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }
  [[nodiscard]] T* operator->() { return &value(); }
  /// The value, or `fallback` when there is none.
  template <typename U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

  /// The error; throws BadResultAccess when a value is present.
  [[nodiscard]] const E& error() const& {
    if (has_value()) throw BadResultAccess("Result::error() called on a Result that holds a value");
    return std::get<1>(v_);
  }
  [[nodiscard]] E&& error() && {
    if (has_value()) throw BadResultAccess("Result::error() called on a Result that holds a value");
    return std::move(std::get<1>(v_));
  }
  /// With E = Status: the error, or Status::ok() when a value is present.
  [[nodiscard]] Status status() const requires std::is_same_v<E, Status> {
    return has_value() ? Status::ok() : std::get<1>(v_);
  }

 private:
  void check() const {
    if (!has_value())
      throw BadResultAccess("Result::value() called on an error: " +
                            detail::describe_error(std::get<1>(v_)));
  }
  std::variant<T, E> v_;
};

/// Success or an error E (the Result of a function that returns nothing on success).
template <typename E>
class Result<void, E> {
 public:
  /// Success.
  Result() = default;
  /// Holds an error.
  Result(Failure<E> failure) : error_(std::move(failure.error)), failed_(true) {}  // NOLINT
  /// Success or failure from a Status.
  Result(Status status)  // NOLINT: implicit by design
      requires std::is_same_v<E, Status> : error_(std::move(status)),
                                           failed_(!error_.is_ok()) {}

  [[nodiscard]] bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  /// Does nothing on success; throws BadResultAccess on an error.
  void value() const {
    if (failed_)
      throw BadResultAccess("Result::value() called on an error: " +
                            detail::describe_error(error_));
  }
  /// The error; throws BadResultAccess on success.
  [[nodiscard]] const E& error() const& {
    if (!failed_) throw BadResultAccess("Result::error() called on a success");
    return error_;
  }
  [[nodiscard]] E&& error() && {
    if (!failed_) throw BadResultAccess("Result::error() called on a success");
    return std::move(error_);
  }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace dfx::sdk
