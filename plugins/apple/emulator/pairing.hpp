// Test pairings between a host and an emulated iPhone: the keys and certificates a host makes
// when it pairs with a phone (libimobiledevice's pair_record_generate_keys_and_certs in
// common/userpref.c), written the way usbmuxd stores them in /var/lib/lockdown/<UDID>.plist.
//
// A pairing is three RSA-2048 key pairs and three X.509 v3 certificates, all with serial number
// 0, empty subject and issuer, ten years of validity and SHA-1 signatures made with the root key:
//   root    self-signed, basicConstraints critical CA:TRUE;
//   host    basicConstraints critical CA:FALSE, keyUsage critical digitalSignature,keyEncipherment;
//   device  the phone's public key (DevicePublicKey), CA:FALSE, subjectKeyIdentifier hash, the
//           same keyUsage.
// The phone keeps its private key and the pairing's HostID and certificates; the host keeps the
// whole record. The emulator reads a record with the plugin's own reader
// (dfx::apple::parse_pair_record, protocol/pair_record.hpp), so a record it accepts is one the
// plugin accepts too. These are test keys only: never a real phone's.
#pragma once

#include <string>

#include <tl/expected.hpp>

namespace dfx::testing {

/// A made-up pairing between a host and the phone `udid`.
struct TestPairing {
  std::string udid;
  std::string host_id;      ///< Upper-case UUID, as libimobiledevice makes it.
  std::string system_buid;  ///< Upper-case UUID: the host system's id.
  /// The record as usbmuxd keeps it (XML plist): DeviceCertificate, EscrowBag, HostCertificate,
  /// HostID, HostPrivateKey, RootCertificate, RootPrivateKey, SystemBUID, WiFiMACAddress; the
  /// certificates and keys are <data> holding PEM text.
  std::string pair_record_xml;
  std::string device_key_pem;  ///< The phone's private key (PKCS#8 PEM), which no host ever sees.
};

/// Generates a fresh pairing for `udid` (OpenSSL; takes a second or so for the RSA keys).
/// `wifi_mac` is the phone's Wi-Fi address stored in the record; empty makes one up
/// (locally administered, from the UDID).
tl::expected<TestPairing, std::string> make_test_pairing(const std::string& udid,
                                                         const std::string& wifi_mac = {});

/// A random (version 4) UUID in upper case, as libimobiledevice makes a pairing's HostID and
/// SystemBUID and lockdownd a SessionID.
std::string random_uuid();

}  // namespace dfx::testing
