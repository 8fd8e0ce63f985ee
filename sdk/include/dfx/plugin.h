/*
 * dfx/plugin.h — the dfx plugin C ABI.
 *
 * This header is the whole contract between the dfx host and a plugin library. Only C types cross
 * it: no exception, no C++ standard type, no RTTI. Plugin authors normally do not use it directly
 * but through the header-only C++ wrapper in <dfx/plugin.hpp>.
 *
 * Versioning
 *   DFX_ABI_MAJOR changes when an existing field or function changes meaning or layout; the host
 *   refuses a plugin whose major differs from its own. DFX_ABI_MINOR grows when fields are added at
 *   the END of a struct; the host refuses a plugin whose minor is newer than its own (it would not
 *   know what the plugin expects), and accepts older ones. Every extensible struct starts with
 *   `struct_size` (its sizeof as compiled by whoever filled it), so both sides can tell which
 *   fields the other side knows about: a field is present only if
 *   offsetof(field) + sizeof(field) <= struct_size.
 *
 * Entry point
 *   A plugin library exports exactly one C symbol, DFX_PLUGIN_ENTRY_NAME, of type
 *   dfx_plugin_entry_fn. The host calls it once after loading; it returns a pointer to static,
 *   immutable plugin information that stays valid until the library is unloaded.
 *
 * Threading
 *   The host calls a plugin's probe function from one thread at a time, and every host API
 *   function must be called from the thread that runs probe. The same holds for a register
 *   plugin's open, query and close functions and the register host API.
 *
 * Facts said once
 *   A plugin's id, version, name, kind and (for register plugins) accepted kinds are written in its
 *   manifest only. dfx_add_plugin() (CMake, DfxPlugin.cmake) generates <dfx_plugin_manifest.h>
 *   from it, defining DFX_PLUGIN_ID, DFX_PLUGIN_VERSION, DFX_PLUGIN_NAME, DFX_PLUGIN_KIND and, for
 *   register plugins, DFX_PLUGIN_ACCEPTS (a list of string literals); the C++ registration macros
 *   use them, and C plugins fill dfx_plugin_info with them. `dfx plugins validate DIR` checks a
 *   built plugin folder the way the loader will.
 *
 * History
 *   1.0  device plugins: dfx_plugin_info up to `probe`, dfx_host_api.
 *   1.1  register plugins: dfx_plugin_info.register_ops, dfx_register_ops, dfx_register_host_api,
 *        dfx_register_query, dfx_register_hit. Later in 1.1, with no change to the binary
 *        interface: the register API takes its own handle type (dfx_register_host), claim kinds
 *        are named constants (DFX_CLAIM_*) and the host refuses kinds it does not know,
 *        dfx_status_name().
 */
#ifndef DFX_PLUGIN_H
#define DFX_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

/** ABI major version: the host accepts plugins with exactly this major. */
#define DFX_ABI_MAJOR 1
/** ABI minor version: the host accepts plugins with a minor up to this one. */
#define DFX_ABI_MINOR 2

/** Name of the one symbol a plugin library exports. */
#define DFX_PLUGIN_ENTRY_NAME "dfx_plugin_entry"

/** Marks a symbol as exported from the plugin library (plugins build with hidden visibility). */
#if defined(__GNUC__)
#define DFX_EXPORT __attribute__((visibility("default")))
#else
#define DFX_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes returned by host API functions and by a plugin's probe. Stored as int32_t. */
typedef int32_t dfx_status;
enum {
  DFX_OK = 0,                   /**< Success. */
  DFX_ERR_INVALID_ARGUMENT = 1, /**< A pointer was NULL, a size too large, an index out of range. */
  DFX_ERR_TIMEOUT = 2,          /**< The device did not answer within the timeout. */
  DFX_ERR_NO_DEVICE = 3,        /**< The device was unplugged or could not be opened. */
  DFX_ERR_STALL = 4,            /**< The device stalled the endpoint or refused the request. */
  DFX_ERR_OVERFLOW = 5,         /**< The device sent more data than the buffer holds. */
  DFX_ERR_IO = 6,               /**< Any other transfer failure. */
  DFX_ERR_DENIED = 7,           /**< Refused by the host's read-only policy; nothing was sent. */
  DFX_ERR_BUSY = 8,             /**< Interface held by a kernel driver or another program. */
  DFX_ERR_UNSUPPORTED = 9,      /**< The host or device cannot do this. */
  DFX_ERR_INTERNAL = 10,        /**< A bug: an unexpected state inside the plugin or the host. */
  DFX_ERR_CANCELLED = 11        /**< The host asked the plugin to stop (deadline reached). */
};

/**
 * A short stable name for a status: "ok", "invalid_argument", "timeout", "no_device", "stall",
 * "overflow", "io", "denied", "busy", "unsupported", "internal", "cancelled"; "unknown" for any
 * other value.
 */
static inline const char* dfx_status_name(dfx_status status) {
  static const char* const names[] = {"ok",    "invalid_argument", "timeout",  "no_device",
                                      "stall", "overflow",         "io",       "denied",
                                      "busy",  "unsupported",      "internal", "cancelled"};
  return status >= 0 && status < (dfx_status)(sizeof names / sizeof names[0]) ? names[status]
                                                                              : "unknown";
}

/** Log levels for dfx_host_api.log. */
typedef int32_t dfx_log_level;
enum { DFX_LOG_DEBUG = 1, DFX_LOG_INFO = 2, DFX_LOG_WARN = 3, DFX_LOG_ERROR = 4 };

/** Plugin kinds. Must agree with the "kind" field of the plugin's manifest. */
typedef int32_t dfx_plugin_kind;
enum { DFX_PLUGIN_DEVICE = 1, DFX_PLUGIN_REGISTER = 2 };

/**
 * One USB endpoint of an interface. Fixed layout for ABI 1.x (arrays cannot grow in place).
 */
typedef struct dfx_usb_endpoint {
  uint8_t address;          /**< bEndpointAddress: bit 7 set for IN (device to host). */
  uint8_t attributes;       /**< bmAttributes: bits 0-1 transfer type (2 bulk, 3 interrupt). */
  uint16_t max_packet_size; /**< wMaxPacketSize. */
  uint8_t interval;         /**< bInterval. */
  uint8_t reserved[3];      /**< Zero. */
} dfx_usb_endpoint;

/**
 * One interface alternate setting of the active configuration. Fixed layout for ABI 1.x.
 */
typedef struct dfx_usb_interface {
  uint8_t number;                    /**< bInterfaceNumber. */
  uint8_t alt_setting;               /**< bAlternateSetting. */
  uint8_t interface_class;           /**< bInterfaceClass (e.g. 0xFF vendor specific). */
  uint8_t interface_subclass;        /**< bInterfaceSubClass (e.g. 0x42 for ADB). */
  uint8_t interface_protocol;        /**< bInterfaceProtocol (e.g. 0x01 for ADB). */
  uint8_t endpoint_count;            /**< Number of entries in endpoints. */
  uint8_t reserved[2];               /**< Zero. */
  const char* description;           /**< iInterface string (UTF-8) or NULL. */
  const dfx_usb_endpoint* endpoints; /**< endpoint_count endpoints. */
} dfx_usb_interface;

/**
 * What the host knows about a device before any plugin talks to it. Strings are UTF-8, owned by
 * the host, valid during the probe call; NULL when the device has none or did not answer.
 */
typedef struct dfx_usb_device {
  uint32_t struct_size;      /**< sizeof(dfx_usb_device) as compiled by the host. */
  uint8_t bus_number;        /**< USB bus number. */
  uint8_t device_address;    /**< Address on the bus (changes on every re-plug). */
  uint8_t port_depth;        /**< Number of valid entries in port_numbers (0 for a root hub). */
  uint8_t port_numbers[7];   /**< Port path from the root hub, e.g. {1, 4} for "1-1.4". */
  uint16_t vendor_id;        /**< idVendor. */
  uint16_t product_id;       /**< idProduct. */
  uint16_t bcd_device;       /**< bcdDevice (device release number). */
  uint16_t bcd_usb;          /**< bcdUSB (USB specification release). */
  uint8_t device_class;      /**< bDeviceClass. */
  uint8_t device_subclass;   /**< bDeviceSubClass. */
  uint8_t device_protocol;   /**< bDeviceProtocol. */
  uint8_t i_manufacturer;    /**< String index of the manufacturer (0 = none). */
  uint8_t i_product;         /**< String index of the product (0 = none). */
  uint8_t i_serial_number;   /**< String index of the serial number (0 = none). */
  uint8_t reserved[2];       /**< Zero. */
  const char* manufacturer;  /**< Manufacturer string read at discovery, or NULL. */
  const char* product;       /**< Product string read at discovery, or NULL. */
  const char* serial_number; /**< Serial number string read at discovery, or NULL. */
  uint32_t interface_count;  /**< Number of entries in interfaces. */
  const dfx_usb_interface* interfaces; /**< Interfaces of the active configuration. */
} dfx_usb_device;

/* ---------------------------------------------------------------------------------------------
 * Claim kinds
 *
 * What a claim is about. The host knows exactly these kinds and refuses any other (the claim is
 * dropped and a log line names the plugin and the kind): a typo such as "imei_number" must not
 * leave a phone unchecked in silence. The C++ wrapper checks kinds at compile time.
 *
 * Identifier kinds are normalized by the host and checked against the registers; the others
 * describe the device and are shown and recorded, never checked. A vendor-specific fact that has
 * no kind here uses a name starting with "x_" (lower-case letters, digits and '_', at most 64
 * bytes): shown and recorded, never checked.
 * ------------------------------------------------------------------------------------------- */

/**
 * Every claim kind as X(NAME, "text", IS_IDENTIFIER): DFX_CLAIM_<NAME> is "text". Expand it with
 * your own X to build tables; new kinds are added at the end.
 */
#define DFX_CLAIM_KINDS(X)                                                                    \
  X(IMEI, "imei", 1)                             /* IMEI of the first (or only) SIM slot */   \
  X(IMEI2, "imei2", 1)                           /* IMEI of the second SIM slot */            \
  X(IMEISV, "imeisv", 1)                         /* IMEI with software version (16 digits) */ \
  X(MEID, "meid", 1)                             /* CDMA mobile equipment identifier */       \
  X(ESN, "esn", 1)                               /* CDMA electronic serial number */          \
  X(ICCID, "iccid", 1)                           /* SIM card number */                        \
  X(IMSI, "imsi", 1)                             /* subscriber identity (personal data) */    \
  X(EID, "eid", 1)                               /* eUICC identifier */                       \
  X(ECID, "ecid", 1)                             /* Apple exclusive chip id */                \
  X(UDID, "udid", 1)                             /* Apple unique device id */                 \
  X(SERIAL, "serial", 1)                         /* the manufacturer's serial number */       \
  X(MANUFACTURER, "manufacturer", 0)             /* as the device names its maker */          \
  X(BRAND, "brand", 0)                           /* brand, where it differs from the maker */ \
  X(MODEL, "model", 0)                           /* marketing or model name */                \
  X(DEVICE, "device", 0)                         /* internal device or board name */          \
  X(PRODUCT, "product", 0)                       /* product code */                           \
  X(BUILD_FINGERPRINT, "build_fingerprint", 0)   /* OS build fingerprint */                   \
  X(SDK_LEVEL, "sdk_level", 0)                   /* OS API level */                           \
  X(VERSION_BOOTLOADER, "version_bootloader", 0) /* bootloader version */                     \
  X(VERSION_BASEBAND, "version_baseband", 0)     /* baseband (modem firmware) version */      \
  X(SECURE, "secure", 0)                         /* bootloader reports secure boot */         \
  X(UNLOCKED, "unlocked", 0)                     /* bootloader reports unlocked */            \
  X(ADB_STATE, "adb_state", 0)                   /* device, recovery, unauthorized... */      \
  X(FASTBOOT_STATE, "fastboot_state", 0)         /* the bootloader's answer state */          \
  X(USB_MANUFACTURER, "usb_manufacturer", 0)     /* iManufacturer string descriptor */        \
  X(USB_PRODUCT, "usb_product", 0)               /* iProduct string descriptor */             \
  X(USB_SERIAL, "usb_serial", 1)                 /* iSerialNumber (checked as a serial) */    \
  X(USB_INTERFACE, "usb_interface", 0)           /* an iInterface string descriptor */

/* The same kinds as named constants (the C++ wrapper checks at compile time that they agree). */
#define DFX_CLAIM_IMEI "imei"                             /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_IMEI2 "imei2"                           /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_IMEISV "imeisv"                         /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_MEID "meid"                             /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_ESN "esn"                               /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_ICCID "iccid"                           /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_IMSI "imsi"                             /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_EID "eid"                               /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_ECID "ecid"                             /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_UDID "udid"                             /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_SERIAL "serial"                         /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_MANUFACTURER "manufacturer"             /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_BRAND "brand"                           /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_MODEL "model"                           /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_DEVICE "device"                         /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_PRODUCT "product"                       /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_BUILD_FINGERPRINT "build_fingerprint"   /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_SDK_LEVEL "sdk_level"                   /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_VERSION_BOOTLOADER "version_bootloader" /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_VERSION_BASEBAND "version_baseband"     /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_SECURE "secure"                         /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_UNLOCKED "unlocked"                     /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_ADB_STATE "adb_state"                   /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_FASTBOOT_STATE "fastboot_state"         /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_USB_MANUFACTURER "usb_manufacturer"     /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_USB_PRODUCT "usb_product"               /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_USB_SERIAL "usb_serial"                 /**< see DFX_CLAIM_KINDS */
#define DFX_CLAIM_USB_INTERFACE "usb_interface"           /**< see DFX_CLAIM_KINDS */

/** Longest claim kind the host accepts, in bytes. */
#define DFX_CLAIM_KIND_MAX 64

/**
 * 1 when `kind` is a claim kind the host accepts: one of DFX_CLAIM_KINDS, or a vendor-specific
 * "x_" name (lower-case letters, digits, '_'; at most DFX_CLAIM_KIND_MAX bytes). 0 otherwise.
 */
static inline int dfx_claim_kind_known(const char* kind) {
  size_t i;
  if (kind == NULL) return 0;
#define DFX_CLAIM_MATCH_(NAME, TEXT, ID)                  \
  for (i = 0; TEXT[i] != 0 && kind[i] == TEXT[i]; ++i) {} \
  if (TEXT[i] == 0 && kind[i] == 0) return 1;
  DFX_CLAIM_KINDS(DFX_CLAIM_MATCH_)
#undef DFX_CLAIM_MATCH_
  if (kind[0] != 'x' || kind[1] != '_' || kind[2] == 0) return 0;
  for (i = 2; kind[i] != 0; ++i) {
    const char c = kind[i];
    if (i >= DFX_CLAIM_KIND_MAX || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return 0;
  }
  return 1;
}

/**
 * One identifier as a plugin read it. The plugin reports what the device said, unmodified: the
 * host normalizes and validates; plugins never decide validity.
 */
typedef struct dfx_claim {
  uint32_t struct_size; /**< sizeof(dfx_claim) as compiled by the plugin. */
  const char* kind;     /**< A claim kind: one of DFX_CLAIM_KINDS, or a vendor-specific "x_..." */
  const char* value;    /**< The value as read (UTF-8). */
  const char* method;   /**< How it was read, e.g. "adb: shell getprop ro.serialno". */
} dfx_claim;

/** Opaque host state passed back to every host API function. */
typedef struct dfx_host dfx_host;

/**
 * Functions the host offers to a device plugin during a probe. The only way a plugin reaches USB:
 * the host records every transfer, enforces its read-only policy and applies timeouts here.
 *
 * All functions return DFX_OK or an error status; on error, last_error gives a sentence saying
 * what failed. Buffers are owned by the caller.
 */
typedef struct dfx_host_api {
  uint32_t struct_size; /**< sizeof(dfx_host_api) as compiled by the host. */
  uint16_t abi_major;   /**< The host's DFX_ABI_MAJOR. */
  uint16_t abi_minor;   /**< The host's DFX_ABI_MINOR. */

  /** Writes a message to the host's log (never to the scan results). */
  void (*log)(dfx_host* host, dfx_log_level level, const char* message);

  /**
   * Reports one identifier. The host copies the strings; value must not be empty, and kind must
   * be a known claim kind (dfx_claim_kind_known), else DFX_ERR_INVALID_ARGUMENT.
   */
  dfx_status (*report_claim)(dfx_host* host, const dfx_claim* claim);

  /** Sets the sentence explaining why probe is about to return an error. */
  void (*set_error)(dfx_host* host, const char* message);

  /** Claims an interface of the device for bulk/interrupt transfers. */
  dfx_status (*claim_interface)(dfx_host* host, uint8_t interface_number);

  /** Releases an interface claimed with claim_interface (the host also releases at the end). */
  dfx_status (*release_interface)(dfx_host* host, uint8_t interface_number);

  /**
   * A control transfer. request_type bit 7 gives the direction; for IN, up to `length` bytes are
   * written to data. State-changing standard requests (SET_ADDRESS, SET_CONFIGURATION,
   * SET_FEATURE, CLEAR_FEATURE, SET_DESCRIPTOR, SET_INTERFACE) are refused with DFX_ERR_DENIED.
   * *transferred receives the number of bytes moved (may be NULL).
   */
  dfx_status (*control_transfer)(dfx_host* host, uint8_t request_type, uint8_t request,
                                 uint16_t value, uint16_t index, uint8_t* data, uint16_t length,
                                 uint32_t timeout_ms, uint32_t* transferred);

  /**
   * A bulk transfer on an endpoint of a claimed interface. Bit 7 of endpoint gives the direction.
   * For OUT, data holds `length` bytes to send; for IN, it receives up to `length` bytes.
   */
  dfx_status (*bulk_transfer)(dfx_host* host, uint8_t endpoint, uint8_t* data, uint32_t length,
                              uint32_t timeout_ms, uint32_t* transferred);

  /** An interrupt transfer; same contract as bulk_transfer. */
  dfx_status (*interrupt_transfer)(dfx_host* host, uint8_t endpoint, uint8_t* data, uint32_t length,
                                   uint32_t timeout_ms, uint32_t* transferred);

  /**
   * Reads string descriptor `index` in the device's first language, converted to UTF-8 and
   * NUL-terminated into buffer (capacity bytes). *length receives the byte count without NUL.
   */
  dfx_status (*get_string_descriptor)(dfx_host* host, uint8_t index, char* buffer,
                                      uint32_t capacity, uint32_t* length);

  /** Non-zero once the host wants the probe to end (its deadline is near): return soon. */
  int32_t (*should_stop)(dfx_host* host);

  /** The sentence describing the last failed host API call on this thread, or "". */
  const char* (*last_error)(dfx_host* host);

  /* ABI 1.2 */

  /**
   * Makes configuration `configuration_value` (a bConfigurationValue of the device) the active
   * one, for a plugin whose protocol lives in an interface the device does not offer in the
   * configuration it starts in (an iPhone starts in PTP; usbmux is in a later configuration).
   * Allowed only when the target configuration holds an interface matching one of the
   * manifest's "usb": {"configurations": [...]} rules; nothing is sent when it is already
   * active. The host sends SET_CONFIGURATION itself and says so in the probe's record: it
   * changes which USB functions the device offers until it is unplugged, not data on the
   * device. Interfaces claimed before are released. DFX_ERR_DENIED when not declared,
   * DFX_ERR_BUSY when a kernel driver or another program holds an interface.
   */
  dfx_status (*select_configuration)(dfx_host* host, uint8_t configuration_value);

  /**
   * Reports a finding: something the examiner must know about this device that is not an
   * identifier (e.g. "imei_withheld": the phone answered but withheld its IMEI). `code` is
   * lowercase letters, digits and '_' (at most 64 bytes); `message` one sentence (at most 4096
   * bytes). Findings appear in the device's results beside the host's own.
   */
  dfx_status (*report_finding)(dfx_host* host, const char* code, const char* message);
} dfx_host_api;

/**
 * Reads identifiers from one device. Called once per process with a device the plugin's
 * manifest matched. Reports claims through api->report_claim and returns DFX_OK, or sets an
 * error with api->set_error and returns an error status. Claims reported before an error are
 * kept. Must not throw (the C++ wrapper catches exceptions).
 */
typedef dfx_status (*dfx_probe_fn)(const dfx_host_api* api, dfx_host* host,
                                   const dfx_usb_device* device);

/* ---------------------------------------------------------------------------------------------
 * Register plugins (ABI 1.1)
 *
 * A register plugin answers "is this identifier reported stolen, lost...?" for one register (a
 * local database, a national register's web service...). The host opens it once with its settings
 * from the dfx configuration, sends identifiers in batches, and closes it. For every query of a
 * batch the plugin gives exactly one answer:
 *   - one or more hits (report_hit, once per record the register holds for the identifier);
 *   - a miss (report_miss): the register was asked and holds no record;
 *   - an error (report_error): the register could not be asked or did not answer.
 * A query left without an answer, or answered both ways, counts as an error: the host never
 * takes silence for a miss, because a miss is what lets a device be called clear.
 * Identifiers arrive validated and in canonical form (see docs/plugin-sdk.md), only of the kinds
 * the plugin accepts.
 * ------------------------------------------------------------------------------------------- */

/** One identifier to look up. Strings are owned by the host, valid during the query call. */
typedef struct dfx_register_query {
  uint32_t struct_size;   /**< sizeof(dfx_register_query) as compiled by the host. */
  const char* kind;       /**< Identifier kind, e.g. "imei", "meid", "serial". */
  const char* identifier; /**< Canonical form, e.g. 15 digits with check digit for an IMEI. */
} dfx_register_query;

/** One record a register holds about an identifier. The host copies the strings. */
typedef struct dfx_register_hit {
  uint32_t struct_size;        /**< sizeof(dfx_register_hit) as compiled by the plugin. */
  const char* status;          /**< "stolen", "lost", "blocked", "fraud" or "other". */
  const char* reported_at;     /**< When it was reported, ISO 8601 (date or date-time); or NULL. */
  const char* reporting_party; /**< Who reported it (police force, network, owner...); or NULL. */
  const char* reference;       /**< The register's reference for the report (crime number...);
                                    or NULL. */
} dfx_register_hit;

/** Opaque host state passed back to every register host API function. */
typedef struct dfx_register_host dfx_register_host;

/**
 * Functions the host offers to a register plugin during open, query and close. `query_index` is
 * the position of the query in the batch passed to query().
 */
typedef struct dfx_register_host_api {
  uint32_t struct_size; /**< sizeof(dfx_register_host_api) as compiled by the host. */
  uint16_t abi_major;   /**< The host's DFX_ABI_MAJOR. */
  uint16_t abi_minor;   /**< The host's DFX_ABI_MINOR. */

  /** Writes a message to the host's log. */
  void (*log)(dfx_register_host* host, dfx_log_level level, const char* message);

  /** Sets the sentence explaining why open or query is about to return an error. */
  void (*set_error)(dfx_register_host* host, const char* message);

  /** Records one hit for query `query_index`; may be called several times for one query. */
  dfx_status (*report_hit)(dfx_register_host* host, uint32_t query_index,
                           const dfx_register_hit* hit);

  /** Records that the register holds no record for query `query_index`. */
  dfx_status (*report_miss)(dfx_register_host* host, uint32_t query_index);

  /** Records that query `query_index` could not be answered, and why (one sentence). */
  dfx_status (*report_error)(dfx_register_host* host, uint32_t query_index, const char* reason);

  /** Non-zero once 90 % of the register's timeout for this call has passed (or the host gave up
   * on it): answer the rest with errors, while the answers can still reach the host. */
  int32_t (*should_stop)(dfx_register_host* host);
} dfx_register_host_api;

/**
 * Opens the register with its settings: a JSON object (UTF-8 text, "{}" when the configuration
 * gives none). On success stores the plugin's state in *state and returns DFX_OK; otherwise
 * calls api->set_error and returns an error status (the register then answers every query with
 * that error).
 */
typedef dfx_status (*dfx_register_open_fn)(const dfx_register_host_api* api,
                                           dfx_register_host* host, const char* settings_json,
                                           void** state);

/**
 * Looks up `count` identifiers and answers each through the api (see above). Returning an error
 * status (with api->set_error) turns every query still unanswered into an error.
 */
typedef dfx_status (*dfx_register_query_fn)(void* state, const dfx_register_host_api* api,
                                            dfx_register_host* host,
                                            const dfx_register_query* queries, uint32_t count);

/** Frees the state returned by open. Called once, also after failed queries. */
typedef void (*dfx_register_close_fn)(void* state);

/** What a register plugin does (ABI 1.1). */
typedef struct dfx_register_ops {
  uint32_t struct_size;              /**< sizeof(dfx_register_ops) as compiled by the plugin. */
  const char* const* accepted_kinds; /**< NULL-terminated identifier kinds it can look up; must
                                          equal the manifest's "accepts". */
  dfx_register_open_fn open;         /**< Opens the register. */
  dfx_register_query_fn query;       /**< Looks up a batch. */
  dfx_register_close_fn close;       /**< Frees the state. */
} dfx_register_ops;

/**
 * Static description of a plugin, returned by the entry point.
 */
typedef struct dfx_plugin_info {
  uint32_t struct_size; /**< sizeof(dfx_plugin_info) as compiled by the plugin. */
  uint16_t abi_major;   /**< DFX_ABI_MAJOR the plugin was built against. */
  uint16_t abi_minor;   /**< DFX_ABI_MINOR the plugin was built against. */
  dfx_plugin_kind kind; /**< DFX_PLUGIN_DEVICE or DFX_PLUGIN_REGISTER. */
  const char* id;       /**< Stable identifier; must equal the manifest's "id". */
  const char* version;  /**< Plugin version, e.g. "1.2.0". */
  const char* name;     /**< Human-readable name. */
  dfx_probe_fn probe;   /**< Device plugins: the probe function. NULL for other kinds. */
  /** Since ABI 1.1. Register plugins: what the register does. NULL for other kinds. */
  const dfx_register_ops* register_ops;
} dfx_plugin_info;

/**
 * Type of the exported entry point. The host passes its own ABI version so that a plugin may
 * adapt to an older host; the plugin returns its static information, or NULL to decline loading.
 */
typedef const dfx_plugin_info* (*dfx_plugin_entry_fn)(uint16_t host_abi_major,
                                                      uint16_t host_abi_minor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DFX_PLUGIN_H */
