// Translates usbfs ioctls (linux/usbdevice_fs.h) into DeviceCore calls.
//
// umockdev hands each ioctl of an emulated node to the "handle-ioctl" signal
// on its worker thread, with the client's memory reachable through
// UMockdevIoctlData: resolve() copies client memory in, changes are written
// back when the ioctl completes. Facts this file relies on (umockdev 0.17.16):
//   * a resolved block is written back only if it differs from what was read,
//     so the URB struct resolved at SUBMITURB is kept and modified at reap
//     time, then linked into the REAPURB answer with set_ptr();
//   * umockdev_ioctl_client_complete() may be called later and from any
//     thread; until then the client thread (and its fd) is blocked.
#include "usbfs_handler.hpp"

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <exception>

namespace dfx::testing::detail {
namespace {

// The client memory behind one submitted URB.
struct NativeUrb {
  GRef<UMockdevIoctlData> urb;     // struct usbdevfs_urb
  GRef<UMockdevIoctlData> buffer;  // its data buffer (null for length 0)
};

struct HandlerContext {
  std::shared_ptr<DeviceCore> core;
};

// Completes the ioctl exactly once, even if handling throws.
class Completion {
 public:
  explicit Completion(UMockdevIoctlClient* client) : client_(client) {}
  ~Completion() {
    if (!done_) umockdev_ioctl_client_complete(client_, -1, EIO);
  }
  void ok(long result = 0) { finish(result, 0); }
  void fail(int err) { finish(-1, err); }
  /// Someone else completes later.
  void defer() { done_ = true; }

 private:
  void finish(long result, int err) {
    if (done_) return;
    done_ = true;
    umockdev_ioctl_client_complete(client_, result, err);
  }
  UMockdevIoctlClient* client_;
  bool done_ = false;
};

GRef<UMockdevIoctlData> resolve(UMockdevIoctlData* parent, std::size_t offset, std::size_t length) {
  GError* error = nullptr;
  UMockdevIoctlData* data = umockdev_ioctl_data_resolve(parent, offset, length, &error);
  if (error) {
    g_error_free(error);
    if (data) g_object_unref(data);
    return {};
  }
  return GRef<UMockdevIoctlData>::adopt(data);
}

template <typename T>
T* as(const GRef<UMockdevIoctlData>& d) {
  if (!d || static_cast<std::size_t>(d->data_len) < sizeof(T)) return nullptr;
  return reinterpret_cast<T*>(d->data);
}

// Writes a finished URB's outcome into the client's memory and links it into
// the REAPURB answer.
void hand_back(const Urb& urb, UMockdevIoctlData* reap_target) {
  auto* native = static_cast<NativeUrb*>(urb.native.get());
  auto* u = reinterpret_cast<usbdevfs_urb*>(native->urb->data);
  u->status = urb.status;
  u->actual_length = static_cast<int>(urb.actual_length);
  u->error_count = 0;
  if (!urb.in.empty() && native->buffer) {
    const std::size_t offset = urb.type == UrbType::control ? 8 : 0;
    const auto capacity = static_cast<std::size_t>(native->buffer->data_len);
    if (capacity > offset)
      std::memcpy(native->buffer->data + offset, urb.in.data(),
                  std::min(urb.in.size(), capacity - offset));
  }
  umockdev_ioctl_data_set_ptr(reap_target, 0, native->urb.get());
}

// REAPURB blocks in the kernel; here it must not (the preload holds the fd's
// lock during an ioctl), so it polls a few times and then reports EINTR, which
// callers of a blocking reap retry.
struct ReapRetry {
  GRef<UMockdevIoctlClient> client;
  std::shared_ptr<DeviceCore> core;
  GRef<UMockdevIoctlData> target;
  int attempts_left;
};

gboolean reap_retry_tick(gpointer data) {
  auto* retry = static_cast<ReapRetry*>(data);
  try {
    if (auto urb = retry->core->reap()) {
      hand_back(*urb, retry->target.get());
      umockdev_ioctl_client_complete(retry->client.get(), 0, 0);
      return G_SOURCE_REMOVE;
    }
  } catch (...) {
    umockdev_ioctl_client_complete(retry->client.get(), -1, EIO);
    return G_SOURCE_REMOVE;
  }
  if (retry->core->drained_and_gone()) {
    umockdev_ioctl_client_complete(retry->client.get(), -1, ENODEV);
    return G_SOURCE_REMOVE;
  }
  if (--retry->attempts_left > 0) return G_SOURCE_CONTINUE;
  umockdev_ioctl_client_complete(retry->client.get(), -1, EINTR);
  return G_SOURCE_REMOVE;
}

void handle_reap(DeviceCore& core, std::shared_ptr<DeviceCore> core_ref,
                 UMockdevIoctlClient* client, UMockdevIoctlData* arg, bool blocking,
                 Completion& done) {
  auto target = resolve(arg, 0, sizeof(void*));
  if (!target) return done.fail(EFAULT);
  if (auto urb = core.reap()) {
    hand_back(*urb, target.get());
    return done.ok();
  }
  if (core.drained_and_gone()) return done.fail(ENODEV);
  GMainContext* worker = g_main_context_get_thread_default();
  if (!blocking || !worker) return done.fail(blocking ? EINTR : EAGAIN);
  GSource* source = g_timeout_source_new(2);
  auto* retry = new ReapRetry{GRef<UMockdevIoctlClient>::share(client), std::move(core_ref),
                              std::move(target), 5};
  g_source_set_callback(source, reap_retry_tick, retry,
                        [](gpointer p) { delete static_cast<ReapRetry*>(p); });
  g_source_attach(source, worker);
  g_source_unref(source);
  done.defer();
}

void handle_submit(DeviceCore& core, UMockdevIoctlData* arg, Completion& done) {
  auto data = resolve(arg, 0, sizeof(usbdevfs_urb));
  auto* u = as<usbdevfs_urb>(data);
  if (!u) return done.fail(EFAULT);
  if (u->buffer_length < 0) return done.fail(EINVAL);
  auto urb = std::make_unique<Urb>();
  urb->type = static_cast<UrbType>(u->type);
  urb->endpoint = u->endpoint;
  urb->length = static_cast<std::size_t>(u->buffer_length);
  urb->client_address = data->client_addr;
  auto native = std::make_shared<NativeUrb>();
  if (u->buffer_length > 0) {
    native->buffer = resolve(data.get(), offsetof(usbdevfs_urb, buffer), urb->length);
    if (!native->buffer) return done.fail(EFAULT);
    const auto* b = native->buffer->data;
    const bool copy_all = urb->type == UrbType::control || !(urb->endpoint & 0x80);
    const std::size_t n = copy_all ? urb->length : 0;
    urb->out.assign(b, b + n);
  }
  native->urb = std::move(data);
  urb->native = std::move(native);
  const int err = core.submit(std::move(urb));
  if (err) return done.fail(err);
  done.ok();
}

void handle_control(DeviceCore& core, UMockdevIoctlData* arg, Completion& done) {
  auto data = resolve(arg, 0, sizeof(usbdevfs_ctrltransfer));
  auto* c = as<usbdevfs_ctrltransfer>(data);
  if (!c) return done.fail(EFAULT);
  SetupPacket setup{c->bRequestType, c->bRequest, c->wValue, c->wIndex, c->wLength};
  GRef<UMockdevIoctlData> buffer;
  Bytes out;
  if (setup.length > 0) {
    buffer = resolve(data.get(), offsetof(usbdevfs_ctrltransfer, data), setup.length);
    if (!buffer) return done.fail(EFAULT);
    if (!setup.is_in()) out.assign(buffer->data, buffer->data + setup.length);
  }
  SyncResult r = core.control_sync(setup, out);
  if (r.result < 0) return done.fail(-r.result);
  if (buffer && !r.in.empty())
    std::memcpy(buffer->data, r.in.data(), std::min<std::size_t>(r.in.size(), setup.length));
  done.ok(r.result);
}

void handle_bulk(DeviceCore& core, UMockdevIoctlData* arg, Completion& done) {
  auto data = resolve(arg, 0, sizeof(usbdevfs_bulktransfer));
  auto* b = as<usbdevfs_bulktransfer>(data);
  if (!b) return done.fail(EFAULT);
  const auto endpoint = static_cast<std::uint8_t>(b->ep);
  GRef<UMockdevIoctlData> buffer;
  Bytes out;
  if (b->len > 0) {
    buffer = resolve(data.get(), offsetof(usbdevfs_bulktransfer, data), b->len);
    if (!buffer) return done.fail(EFAULT);
    if (!(endpoint & 0x80)) out.assign(buffer->data, buffer->data + b->len);
  }
  SyncResult r = core.bulk_sync(endpoint, b->len, out);
  if (r.result < 0) return done.fail(-r.result);
  if (buffer && !r.in.empty())
    std::memcpy(buffer->data, r.in.data(), std::min<std::size_t>(r.in.size(), b->len));
  done.ok(r.result);
}

template <typename T>
bool read_arg(UMockdevIoctlData* arg, T& value) {
  auto d = resolve(arg, 0, sizeof(T));
  if (auto* p = as<T>(d)) {
    value = *p;
    return true;
  }
  return false;
}

void handle(const std::shared_ptr<DeviceCore>& core_ref, UMockdevIoctlClient* client,
            Completion& done) {
  DeviceCore& core = *core_ref;
  const auto request = static_cast<unsigned>(umockdev_ioctl_client_get_request(client));
  UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);

  // Reaping stays possible after a disconnect (the kernel hands back the
  // URBs it finished with -ESHUTDOWN, then ENODEV).
  if (request == USBDEVFS_REAPURBNDELAY)
    return handle_reap(core, core_ref, client, arg, false, done);
  if (request == USBDEVFS_REAPURB) return handle_reap(core, core_ref, client, arg, true, done);
  if (core.gone()) return done.fail(ENODEV);

  unsigned value = 0;
  switch (request) {
    case USBDEVFS_SUBMITURB:
      return handle_submit(core, arg, done);
    case USBDEVFS_DISCARDURB: {
      // No struct behind the argument: it is the URB's address itself.
      const auto address = *reinterpret_cast<const gulong*>(arg->data);
      return core.discard(address) ? done.ok() : done.fail(EINVAL);
    }
    case USBDEVFS_CONTROL:
      return handle_control(core, arg, done);
    case USBDEVFS_BULK:
      return handle_bulk(core, arg, done);
    case USBDEVFS_GET_CAPABILITIES: {
      auto d = resolve(arg, 0, sizeof(std::uint32_t));
      auto* caps = as<std::uint32_t>(d);
      if (!caps) return done.fail(EFAULT);
      *caps = usbfs_capabilities;
      return done.ok();
    }
    case USBDEVFS_CLAIMINTERFACE:
      if (!read_arg(arg, value)) return done.fail(EFAULT);
      if (int e = core.claim_interface(value)) return done.fail(e);
      return done.ok();
    case USBDEVFS_RELEASEINTERFACE:
      if (!read_arg(arg, value)) return done.fail(EFAULT);
      if (int e = core.release_interface(value)) return done.fail(e);
      return done.ok();
    case USBDEVFS_DISCONNECT_CLAIM: {
      usbdevfs_disconnect_claim claim{};
      if (!read_arg(arg, claim)) return done.fail(EFAULT);
      if (int e = core.claim_interface(claim.interface)) return done.fail(e);
      return done.ok();
    }
    case USBDEVFS_SETINTERFACE: {
      usbdevfs_setinterface s{};
      if (!read_arg(arg, s)) return done.fail(EFAULT);
      if (int e = core.set_interface(s.interface, s.altsetting)) return done.fail(e);
      return done.ok();
    }
    case USBDEVFS_SETCONFIGURATION:
      if (!read_arg(arg, value)) return done.fail(EFAULT);
      if (int e = core.set_configuration(static_cast<int>(value))) return done.fail(e);
      return done.ok();
    case USBDEVFS_CLEAR_HALT:
      if (!read_arg(arg, value)) return done.fail(EFAULT);
      if (int e = core.clear_halt(value)) return done.fail(e);
      return done.ok();
    case USBDEVFS_RESETEP:
      if (!read_arg(arg, value)) return done.fail(EFAULT);
      return done.ok();
    case USBDEVFS_RESET:
      if (int e = core.reset()) return done.fail(e);
      return done.ok();
    case USBDEVFS_CONNECTINFO: {
      auto d = resolve(arg, 0, sizeof(usbdevfs_connectinfo));
      auto* info = as<usbdevfs_connectinfo>(d);
      if (!info) return done.fail(EFAULT);
      info->devnum = core.devnum();
      info->slow = core.descriptors().spec.speed == UsbSpeed::low ? 1 : 0;
      return done.ok();
    }
    case USBDEVFS_GET_SPEED: {
      static constexpr long speeds[] = {1 /*LOW*/, 2 /*FULL*/, 3 /*HIGH*/, 5 /*SUPER*/,
                                        6 /*SUPER_PLUS*/};
      return done.ok(speeds[static_cast<int>(core.descriptors().spec.speed)]);
    }
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
      return done.fail(ENODATA);  // no kernel driver is bound to a virtual interface
    case USBDEVFS_DISCSIGNAL:
      return done.ok();
    default:
      return done.fail(ENOTTY);
  }
}

gboolean on_handle_ioctl(UMockdevIoctlBase* /*handler*/, UMockdevIoctlClient* client,
                         gpointer user_data) {
  auto* context = static_cast<HandlerContext*>(user_data);
  // Nothing may escape into umockdev's C code: the Completion answers EIO
  // if handling throws before it answered.
  Completion done(client);
  try {
    handle(context->core, client, done);
  } catch (const std::exception& e) {
    g_warning("dfx::testing: usbfs ioctl handler failed: %s", e.what());
  } catch (...) {
    g_warning("dfx::testing: usbfs ioctl handler failed");
  }
  return TRUE;
}

void destroy_context(gpointer data, GClosure* /*closure*/) {
  delete static_cast<HandlerContext*>(data);
}

}  // namespace

GRef<UMockdevIoctlBase> make_usbfs_handler(std::shared_ptr<DeviceCore> core) {
  auto handler = GRef<UMockdevIoctlBase>::adopt(umockdev_ioctl_base_new());
  g_signal_connect_data(handler.get(), "handle-ioctl", G_CALLBACK(on_handle_ioctl),
                        new HandlerContext{std::move(core)}, destroy_context, GConnectFlags(0));
  return handler;
}

}  // namespace dfx::testing::detail
