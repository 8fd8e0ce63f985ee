// dfx/sdk/claim_kind.hpp — claim kinds for C++ plugins: a kind written in the source is checked
// against DFX_CLAIM_KINDS (<dfx/plugin.h>) when the plugin compiles. Included by <dfx/plugin.hpp>.
#pragma once

#include <dfx/plugin.h>

#include <cstddef>
#include <string_view>

namespace dfx::sdk {

/// A claim kind (see DFX_CLAIM_KINDS in plugin.h). Built from a string literal it is checked at
/// compile time: `host.claim("imei_number", ...)` does not build. Kinds known only at run time go
/// through ClaimKind::parse.
class ClaimKind {
 public:
  /// A known kind, checked when the program is compiled.
  consteval ClaimKind(const char* text) : text_(text) {  // NOLINT: implicit by design
    if (!known(text))
      throw "unknown claim kind: use a DFX_CLAIM_* kind of <dfx/plugin.h> or an x_ name";
  }
  /// A kind known only at run time (read from a table or a file). For an unknown kind the result
  /// is not valid(), and Host::claim refuses it.
  static ClaimKind parse(std::string_view text) {
    ClaimKind k;
    if (known(text)) {
      for (std::size_t i = 0; i < text.size(); ++i) k.runtime_[i] = text[i];
      k.text_ = k.runtime_;
    }
    return k;
  }
  constexpr ClaimKind(const ClaimKind& other) { *this = other; }
  constexpr ClaimKind& operator=(const ClaimKind& other) {
    for (std::size_t i = 0; i < sizeof runtime_; ++i) runtime_[i] = other.runtime_[i];
    text_ = other.text_ == other.runtime_ ? runtime_ : other.text_;
    return *this;
  }
  /// False for a ClaimKind::parse of an unknown kind.
  [[nodiscard]] constexpr bool valid() const { return text_ != nullptr; }
  /// The kind's text, e.g. "imei" ("" when not valid()).
  [[nodiscard]] constexpr std::string_view text() const {
    return text_ ? std::string_view(text_) : std::string_view();
  }
  /// True for kinds the host normalizes and checks against registers (the third column of
  /// DFX_CLAIM_KINDS).
  [[nodiscard]] constexpr bool is_identifier() const { return identifier(text()); }

  /// True when `kind` is one of DFX_CLAIM_KINDS or a vendor-specific "x_" name.
  static constexpr bool known(std::string_view kind) {
#define DFX_SDK_CLAIM_KNOWN_(NAME, TEXT, ID) \
  if (kind == TEXT) return true;
    DFX_CLAIM_KINDS(DFX_SDK_CLAIM_KNOWN_)
#undef DFX_SDK_CLAIM_KNOWN_
    if (kind.size() < 3 || kind.size() > DFX_CLAIM_KIND_MAX || kind.substr(0, 2) != "x_")
      return false;
    for (char c : kind.substr(2))
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
  }
  /// True when `kind` is an identifier kind.
  static constexpr bool identifier(std::string_view kind) {
#define DFX_SDK_CLAIM_ID_(NAME, TEXT, ID) \
  if (kind == TEXT) return ID != 0;
    DFX_CLAIM_KINDS(DFX_SDK_CLAIM_ID_)
#undef DFX_SDK_CLAIM_ID_
    return false;
  }

 private:
  constexpr ClaimKind() = default;
  const char* text_ = nullptr;                 ///< a literal, or runtime_
  char runtime_[DFX_CLAIM_KIND_MAX + 1] = {};  ///< a kind from ClaimKind::parse
};

// The named constants of plugin.h and the DFX_CLAIM_KINDS table must agree.
#define DFX_SDK_CLAIM_AGREE_(NAME, TEXT, ID)                \
  static_assert(std::string_view(DFX_CLAIM_##NAME) == TEXT, \
                "DFX_CLAIM_" #NAME " disagrees with DFX_CLAIM_KINDS");
DFX_CLAIM_KINDS(DFX_SDK_CLAIM_AGREE_)
#undef DFX_SDK_CLAIM_AGREE_

/// The claim kinds as C++ constants: dfx::sdk::claim::imei ...
namespace claim {
inline constexpr const char* imei = DFX_CLAIM_IMEI;
inline constexpr const char* imei2 = DFX_CLAIM_IMEI2;
inline constexpr const char* imeisv = DFX_CLAIM_IMEISV;
inline constexpr const char* meid = DFX_CLAIM_MEID;
inline constexpr const char* esn = DFX_CLAIM_ESN;
inline constexpr const char* iccid = DFX_CLAIM_ICCID;
inline constexpr const char* imsi = DFX_CLAIM_IMSI;
inline constexpr const char* eid = DFX_CLAIM_EID;
inline constexpr const char* ecid = DFX_CLAIM_ECID;
inline constexpr const char* udid = DFX_CLAIM_UDID;
inline constexpr const char* serial = DFX_CLAIM_SERIAL;
inline constexpr const char* manufacturer = DFX_CLAIM_MANUFACTURER;
inline constexpr const char* brand = DFX_CLAIM_BRAND;
inline constexpr const char* model = DFX_CLAIM_MODEL;
inline constexpr const char* device = DFX_CLAIM_DEVICE;
inline constexpr const char* product = DFX_CLAIM_PRODUCT;
inline constexpr const char* build_fingerprint = DFX_CLAIM_BUILD_FINGERPRINT;
inline constexpr const char* sdk_level = DFX_CLAIM_SDK_LEVEL;
inline constexpr const char* version_bootloader = DFX_CLAIM_VERSION_BOOTLOADER;
inline constexpr const char* version_baseband = DFX_CLAIM_VERSION_BASEBAND;
inline constexpr const char* secure = DFX_CLAIM_SECURE;
inline constexpr const char* unlocked = DFX_CLAIM_UNLOCKED;
inline constexpr const char* adb_state = DFX_CLAIM_ADB_STATE;
inline constexpr const char* fastboot_state = DFX_CLAIM_FASTBOOT_STATE;
inline constexpr const char* usb_manufacturer = DFX_CLAIM_USB_MANUFACTURER;
inline constexpr const char* usb_product = DFX_CLAIM_USB_PRODUCT;
inline constexpr const char* usb_serial = DFX_CLAIM_USB_SERIAL;
inline constexpr const char* usb_interface = DFX_CLAIM_USB_INTERFACE;
}  // namespace claim

}  // namespace dfx::sdk
