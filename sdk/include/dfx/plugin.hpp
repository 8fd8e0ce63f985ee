// dfx/plugin.hpp — header-only C++ wrapper over the dfx plugin C ABI (<dfx/plugin.h>).
//
// A device plugin is a class with a `probe(Host&, const Device&)` member returning dfx::sdk::Status,
// registered with one line:
//
//   struct MyPlugin {
//     dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
//       host.claim("usb_serial", device.serial_number(), "usb: iSerialNumber");
//       return dfx::sdk::Status::ok();
//     }
//   };
//   DFX_DEVICE_PLUGIN(MyPlugin, "my-plugin", "1.0.0", "My vendor plugin")
//
// A register plugin is a class with `open` and `query` members (see RegisterHost), registered
// with DFX_REGISTER_PLUGIN and the identifier kinds it accepts:
//
//   struct MyRegister {
//     dfx::sdk::Status open(dfx::sdk::RegisterHost& host, std::string_view settings_json);
//     dfx::sdk::Status query(dfx::sdk::RegisterHost& host, std::span<const dfx::sdk::Query> batch);
//   };
//   DFX_REGISTER_PLUGIN(MyRegister, "my-register", "1.0.0", "My register", "imei", "meid")
//
// query() answers every query of the batch with host.hit (once per record), host.miss or
// host.error; an unanswered query counts as an error, never as a miss.
//
// Everything in this header lives inside the plugin library; only the C structs of plugin.h cross
// to the host. The macro's trampoline catches every exception, so none crosses the boundary.
#pragma once

#include <dfx/plugin.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dfx::sdk {

/// The outcome of a host call or of a probe: a dfx_status code and a sentence saying why.
class Status {
 public:
  /// Success.
  static Status ok() { return Status{}; }
  /// A failure with a code from plugin.h and an explanation for the technician's log.
  static Status error(dfx_status code, std::string message) {
    return Status{code, std::move(message)};
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

/// A value or a Status explaining why there is none. Plugins use it to chain host calls.
template <typename T>
class Result {
 public:
  /// Holds a value.
  Result(T value) : value_(std::move(value)), status_(Status::ok()) {}  // NOLINT: implicit by design
  /// Holds an error; `status` must not be ok.
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design
  /// True when a value is present.
  [[nodiscard]] bool has_value() const { return status_.is_ok(); }
  explicit operator bool() const { return has_value(); }
  /// The value; only valid when has_value().
  [[nodiscard]] const T& value() const& { return value_; }
  /// The value, moved out; only valid when has_value().
  [[nodiscard]] T&& value() && { return std::move(value_); }
  /// The error (Status::ok() when a value is present).
  [[nodiscard]] const Status& status() const { return status_; }

 private:
  T value_{};
  Status status_;
};

/// Read-only view of an endpoint (see dfx_usb_endpoint).
struct Endpoint {
  const dfx_usb_endpoint* raw;
  /// bEndpointAddress.
  [[nodiscard]] uint8_t address() const { return raw->address; }
  /// True for IN (device-to-host) endpoints.
  [[nodiscard]] bool is_in() const { return (raw->address & 0x80) != 0; }
  /// Transfer type: 0 control, 1 isochronous, 2 bulk, 3 interrupt.
  [[nodiscard]] uint8_t transfer_type() const { return raw->attributes & 0x03; }
  /// wMaxPacketSize.
  [[nodiscard]] uint16_t max_packet_size() const { return raw->max_packet_size; }
};

/// Read-only view of an interface (see dfx_usb_interface).
struct Interface {
  const dfx_usb_interface* raw;
  /// bInterfaceNumber.
  [[nodiscard]] uint8_t number() const { return raw->number; }
  /// bInterfaceClass.
  [[nodiscard]] uint8_t interface_class() const { return raw->interface_class; }
  /// bInterfaceSubClass.
  [[nodiscard]] uint8_t subclass() const { return raw->interface_subclass; }
  /// bInterfaceProtocol.
  [[nodiscard]] uint8_t protocol() const { return raw->interface_protocol; }
  /// True when class, subclass and protocol are exactly these.
  [[nodiscard]] bool is(uint8_t cls, uint8_t sub, uint8_t proto) const {
    return raw->interface_class == cls && raw->interface_subclass == sub &&
           raw->interface_protocol == proto;
  }
  /// The endpoints of this interface.
  [[nodiscard]] std::span<const dfx_usb_endpoint> endpoints() const {
    return {raw->endpoints, raw->endpoint_count};
  }
  /// The first endpoint with this direction and transfer type, if any.
  [[nodiscard]] const dfx_usb_endpoint* find_endpoint(bool in, uint8_t transfer_type) const {
    for (const auto& ep : endpoints()) {
      if (Endpoint{&ep}.is_in() == in && Endpoint{&ep}.transfer_type() == transfer_type) return &ep;
    }
    return nullptr;
  }
};

/// Read-only view of the device being probed (see dfx_usb_device).
class Device {
 public:
  /// Wraps the host's struct; valid during the probe call.
  explicit Device(const dfx_usb_device* raw) : raw_(raw) {}
  /// The underlying C struct.
  [[nodiscard]] const dfx_usb_device& raw() const { return *raw_; }
  /// idVendor.
  [[nodiscard]] uint16_t vendor_id() const { return raw_->vendor_id; }
  /// idProduct.
  [[nodiscard]] uint16_t product_id() const { return raw_->product_id; }
  /// Manufacturer string read by the host at discovery ("" when none).
  [[nodiscard]] std::string_view manufacturer() const { return text(raw_->manufacturer); }
  /// Product string read by the host at discovery ("" when none).
  [[nodiscard]] std::string_view product() const { return text(raw_->product); }
  /// Serial number string read by the host at discovery ("" when none).
  [[nodiscard]] std::string_view serial_number() const { return text(raw_->serial_number); }
  /// The interfaces of the active configuration.
  [[nodiscard]] std::span<const dfx_usb_interface> interfaces() const {
    return {raw_->interfaces, raw_->interface_count};
  }
  /// The first interface with this class triple, if any.
  [[nodiscard]] const dfx_usb_interface* find_interface(uint8_t cls, uint8_t sub,
                                                        uint8_t proto) const {
    for (const auto& itf : interfaces()) {
      if (Interface{&itf}.is(cls, sub, proto)) return &itf;
    }
    return nullptr;
  }

 private:
  static std::string_view text(const char* s) { return s ? std::string_view{s} : std::string_view{}; }
  const dfx_usb_device* raw_;
};

/// The host as a plugin sees it: logging, claims and USB I/O with timeouts.
class Host {
 public:
  /// Wraps the host API table and state given to probe.
  Host(const dfx_host_api* api, dfx_host* host) : api_(api), host_(host) {}

  /// Logs a message at `level` (DFX_LOG_DEBUG ... DFX_LOG_ERROR) in the host's log.
  void log(dfx_log_level level, const std::string& message) const {
    api_->log(host_, level, message.c_str());
  }
  /// Reports one identifier read from the device: kind, the value as read, and how it was read.
  Status claim(std::string_view kind, std::string_view value, std::string_view method) const {
    const std::string k(kind), v(value), m(method);  // NUL-terminated copies for the C ABI
    dfx_claim c{sizeof(dfx_claim), k.c_str(), v.c_str(), m.c_str()};
    return wrap(api_->report_claim(host_, &c));
  }
  /// Claims an interface before bulk or interrupt transfers on its endpoints.
  Status claim_interface(uint8_t number) const {
    return wrap(api_->claim_interface(host_, number));
  }
  /// Releases a claimed interface.
  Status release_interface(uint8_t number) const {
    return wrap(api_->release_interface(host_, number));
  }
  /// Control transfer IN: returns the bytes the device sent (at most `length`).
  Result<std::string> control_in(uint8_t request_type, uint8_t request, uint16_t value,
                                 uint16_t index, uint16_t length,
                                 std::chrono::milliseconds timeout) const {
    std::string buf(length, '\0');
    uint32_t got = 0;
    auto st = api_->control_transfer(host_, static_cast<uint8_t>(request_type | 0x80), request,
                                     value, index, reinterpret_cast<uint8_t*>(buf.data()), length,
                                     ms(timeout), &got);
    if (st != DFX_OK) return wrap(st);
    buf.resize(got);
    return buf;
  }
  /// Bulk transfer OUT of all of `data`; returns the number of bytes sent.
  Result<uint32_t> bulk_write(uint8_t endpoint, std::span<const uint8_t> data,
                              std::chrono::milliseconds timeout) const {
    uint32_t sent = 0;
    auto st = api_->bulk_transfer(host_, static_cast<uint8_t>(endpoint & 0x7F),
                                  const_cast<uint8_t*>(data.data()),
                                  static_cast<uint32_t>(data.size()), ms(timeout), &sent);
    if (st != DFX_OK) return wrap(st);
    return sent;
  }
  /// Bulk transfer IN into `buffer`; returns the number of bytes received.
  Result<uint32_t> bulk_read(uint8_t endpoint, std::span<uint8_t> buffer,
                             std::chrono::milliseconds timeout) const {
    uint32_t got = 0;
    auto st = api_->bulk_transfer(host_, static_cast<uint8_t>(endpoint | 0x80), buffer.data(),
                                  static_cast<uint32_t>(buffer.size()), ms(timeout), &got);
    if (st != DFX_OK) return wrap(st);
    return got;
  }
  /// Interrupt transfer IN into `buffer`; returns the number of bytes received.
  Result<uint32_t> interrupt_read(uint8_t endpoint, std::span<uint8_t> buffer,
                                  std::chrono::milliseconds timeout) const {
    uint32_t got = 0;
    auto st = api_->interrupt_transfer(host_, static_cast<uint8_t>(endpoint | 0x80),
                                       buffer.data(), static_cast<uint32_t>(buffer.size()),
                                       ms(timeout), &got);
    if (st != DFX_OK) return wrap(st);
    return got;
  }
  /// Reads string descriptor `index` as UTF-8 (index 0 or a missing string is an error).
  Result<std::string> string_descriptor(uint8_t index) const {
    char buf[256 * 3 + 1];  // 127 UTF-16 units become at most 3 bytes each in UTF-8
    uint32_t len = 0;
    auto st = api_->get_string_descriptor(host_, index, buf, sizeof buf, &len);
    if (st != DFX_OK) return wrap(st);
    return std::string(buf, len);
  }
  /// True once the host wants the probe to end; long loops should check it.
  [[nodiscard]] bool should_stop() const { return api_->should_stop(host_) != 0; }

 private:
  static uint32_t ms(std::chrono::milliseconds t) {
    return t.count() <= 0 ? 1u : static_cast<uint32_t>(t.count());
  }
  Status wrap(dfx_status st) const {
    if (st == DFX_OK) return Status::ok();
    return Status::error(st, api_->last_error(host_));
  }
  const dfx_host_api* api_;
  dfx_host* host_;
};

/// One identifier a register is asked about (see dfx_register_query).
struct Query {
  std::string_view kind;        ///< e.g. "imei"
  std::string_view identifier;  ///< canonical form
};

/// One record a register holds about an identifier (see dfx_register_hit). Empty strings are
/// passed to the host as "not given".
struct Hit {
  std::string status;           ///< "stolen", "lost", "blocked", "fraud" or "other"
  std::string reported_at;      ///< ISO 8601 date or date-time
  std::string reporting_party;  ///< who reported it
  std::string reference;        ///< the register's reference for the report
};

/// The host as a register plugin sees it: logging, answers, and the deadline.
class RegisterHost {
 public:
  /// Wraps the register host API table and state given to open/query.
  RegisterHost(const dfx_register_host_api* api, dfx_host* host) : api_(api), host_(host) {}

  /// Logs a message at `level` (DFX_LOG_DEBUG ... DFX_LOG_ERROR) in the host's log.
  void log(dfx_log_level level, const std::string& message) const {
    api_->log(host_, level, message.c_str());
  }
  /// Answers query `index` with one record (call again for each further record).
  Status hit(std::uint32_t index, const Hit& h) const {
    dfx_register_hit c{sizeof(dfx_register_hit), h.status.c_str(), opt(h.reported_at),
                       opt(h.reporting_party), opt(h.reference)};
    return wrap(api_->report_hit(host_, index, &c), "report_hit");
  }
  /// Answers query `index`: the register holds no record of it.
  Status miss(std::uint32_t index) const {
    return wrap(api_->report_miss(host_, index), "report_miss");
  }
  /// Answers query `index`: it could not be looked up, because `reason`.
  Status error(std::uint32_t index, const std::string& reason) const {
    return wrap(api_->report_error(host_, index, reason.c_str()), "report_error");
  }
  /// True once the host's deadline has passed: answer the remaining queries with errors.
  [[nodiscard]] bool should_stop() const { return api_->should_stop(host_) != 0; }

 private:
  static const char* opt(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }
  static Status wrap(dfx_status st, const char* what) {
    if (st == DFX_OK) return Status::ok();
    return Status::error(st, std::string("host refused ") + what);
  }
  const dfx_register_host_api* api_;
  dfx_host* host_;
};

namespace detail {

/// Opens Plugin (default-constructible, with `Status open(RegisterHost&, std::string_view)`),
/// keeping the object as the register's state. Exceptions become errors.
template <typename Plugin>
dfx_status register_open(const dfx_register_host_api* api, dfx_host* host,
                         const char* settings_json, void** state) {
  if (api == nullptr || host == nullptr || state == nullptr) return DFX_ERR_INVALID_ARGUMENT;
  *state = nullptr;
  Plugin* plugin = nullptr;
  try {
    plugin = new Plugin();
    RegisterHost h{api, host};
    Status st = plugin->open(h, settings_json ? std::string_view{settings_json} : "{}");
    if (!st.is_ok()) {
      api->set_error(host, st.message().c_str());
      delete plugin;
      return st.code();
    }
    *state = plugin;
    return DFX_OK;
  } catch (const std::exception& e) {
    api->set_error(host, (std::string("unhandled exception: ") + e.what()).c_str());
  } catch (...) {
    api->set_error(host, "unhandled exception of unknown type");
  }
  delete plugin;
  return DFX_ERR_INTERNAL;
}

/// Calls Plugin::query(RegisterHost&, std::span<const Query>) on the state from register_open.
template <typename Plugin>
dfx_status register_query(void* state, const dfx_register_host_api* api, dfx_host* host,
                          const dfx_register_query* queries, uint32_t count) {
  if (state == nullptr || api == nullptr || host == nullptr || (queries == nullptr && count > 0))
    return DFX_ERR_INVALID_ARGUMENT;
  try {
    std::vector<Query> batch;
    batch.reserve(count);
    for (uint32_t i = 0; i < count; ++i)
      batch.push_back({queries[i].kind ? queries[i].kind : "",
                       queries[i].identifier ? queries[i].identifier : ""});
    RegisterHost h{api, host};
    Status st = static_cast<Plugin*>(state)->query(h, std::span<const Query>(batch));
    if (!st.is_ok()) api->set_error(host, st.message().c_str());
    return st.code();
  } catch (const std::exception& e) {
    api->set_error(host, (std::string("unhandled exception: ") + e.what()).c_str());
  } catch (...) {
    api->set_error(host, "unhandled exception of unknown type");
  }
  return DFX_ERR_INTERNAL;
}

/// Destroys the state from register_open; destructors must not throw.
template <typename Plugin>
void register_close(void* state) {
  delete static_cast<Plugin*>(state);
}

/// Calls Plugin::probe with C++ types and turns its Status, or any exception, into C values.
template <typename Plugin>
dfx_status probe_trampoline(const dfx_host_api* api, dfx_host* host, const dfx_usb_device* dev) {
  if (api == nullptr || host == nullptr || dev == nullptr) return DFX_ERR_INVALID_ARGUMENT;
  try {
    Plugin plugin;
    Host h{api, host};
    Status st = plugin.probe(h, Device{dev});
    if (!st.is_ok()) api->set_error(host, st.message().c_str());
    return st.code();
  } catch (const std::exception& e) {
    api->set_error(host, (std::string("unhandled exception: ") + e.what()).c_str());
  } catch (...) {
    api->set_error(host, "unhandled exception of unknown type");
  }
  return DFX_ERR_INTERNAL;
}

}  // namespace detail
}  // namespace dfx::sdk

/// Registers `PluginClass` (default-constructible, with a probe member) as this library's device
/// plugin. ID must equal the manifest's "id". Use once per library, at namespace scope.
#define DFX_DEVICE_PLUGIN(PluginClass, ID, VERSION, NAME)                                         \
  extern "C" DFX_EXPORT const dfx_plugin_info* dfx_plugin_entry(uint16_t, uint16_t) {            \
    static const dfx_plugin_info info = {sizeof(dfx_plugin_info), DFX_ABI_MAJOR, DFX_ABI_MINOR,  \
                                         DFX_PLUGIN_DEVICE,       ID,            VERSION,        \
                                         NAME, &::dfx::sdk::detail::probe_trampoline<PluginClass>, nullptr}; \
    return &info;                                                                                 \
  }

/// Registers `RegisterClass` (default-constructible, with open and query members) as this
/// library's register plugin, accepting the identifier kinds given after NAME (string literals,
/// at least one; they must equal the manifest's "accepts"). Use once per library.
#define DFX_REGISTER_PLUGIN(RegisterClass, ID, VERSION, NAME, ...)                              \
  extern "C" DFX_EXPORT const dfx_plugin_info* dfx_plugin_entry(uint16_t, uint16_t) {            \
    static const char* const kinds[] = {__VA_ARGS__, nullptr};                                   \
    static const dfx_register_ops ops = {                                                        \
        sizeof(dfx_register_ops), kinds, &::dfx::sdk::detail::register_open<RegisterClass>,     \
        &::dfx::sdk::detail::register_query<RegisterClass>,                                      \
        &::dfx::sdk::detail::register_close<RegisterClass>};                                     \
    static const dfx_plugin_info info = {sizeof(dfx_plugin_info), DFX_ABI_MAJOR, DFX_ABI_MINOR,  \
                                         DFX_PLUGIN_REGISTER,     ID,            VERSION,        \
                                         NAME,                    nullptr,       &ops};          \
    return &info;                                                                                 \
  }
