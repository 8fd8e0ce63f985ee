#include "plugin_host/manifest.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dfx::plugin_host {
namespace {

constexpr const char* kValid = R"({
  "id": "android", "name": "Android", "version": "1.2.0", "kind": "device", "abi": "1.0",
  "library": "android.so",
  "match": [{"interface_class": "0xff", "interface_subclass": 66, "interface_protocol": "0x01"},
            {"vendor_id": "0x18D1", "product_id": 20199}]
})";

std::string error_of(std::string_view text) {
  auto m = parse_manifest(text, "m.json");
  EXPECT_FALSE(m.has_value()) << "expected a refusal for " << text;
  return m ? "" : m.error().message;
}

TEST(Manifest, ParsesEveryField) {
  auto m = parse_manifest(kValid, "/p/android.json");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->id, "android");
  EXPECT_EQ(m->name, "Android");
  EXPECT_EQ(m->version, "1.2.0");
  EXPECT_EQ(m->kind, PluginKind::Device);
  EXPECT_EQ(m->abi, (AbiVersion{1, 0}));
  EXPECT_EQ(m->library_path(), "/p/android.so");
  ASSERT_EQ(m->match.size(), 2u);
  EXPECT_EQ(m->match[0].interface_class, 0xFF);
  EXPECT_EQ(m->match[0].interface_subclass, 0x42);
  EXPECT_EQ(m->match[0].interface_protocol, 0x01);
  EXPECT_FALSE(m->match[0].vendor_id.has_value());
  EXPECT_EQ(m->match[1].vendor_id, 0x18D1);
  EXPECT_EQ(m->match[1].product_id, 0x4EE7);
}

TEST(Manifest, NameDefaultsToId) {
  auto m = parse_manifest(
      R"({"id":"x","version":"1","kind":"register","abi":"1.1","library":"x.so","accepts":["imei"]})",
      "m.json");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->name, "x");
  EXPECT_EQ(m->kind, PluginKind::Register);
  EXPECT_TRUE(m->match.empty());
  EXPECT_EQ(m->accepts, std::vector<std::string>{"imei"});
}

TEST(Manifest, RegisterPluginsDeclareKnownKindsAndNeedAbi11) {
  const auto error_of = [](const std::string& text) {
    auto m = parse_manifest(text, "r.json");
    return m ? std::string("(parsed)") : m.error().message;
  };
  const std::string head = R"({"id":"r","version":"1","kind":"register","library":"r.so",)";
  EXPECT_NE(error_of(head + R"("abi":"1.1"})")
                .find("needs the identifier kinds it looks up in \"accepts\""),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("abi":"1.1","accepts":["imei","phone"]})")
                .find("accepts[1]: \"phone\" is not an identifier kind"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("abi":"1.1","accepts":["imei","imei"]})").find("listed twice"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("abi":"1.1","accepts":["IMEI"]})").find("is not an identifier kind"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("abi":"1.1","accepts":"imei"})").find("must be an array"),
            std::string::npos);
  EXPECT_NE(
      error_of(head + R"("abi":"1.0","accepts":["imei"]})").find("need ABI 1.1 or later, not 1.0"),
      std::string::npos);
  EXPECT_EQ(error_of(head + R"("abi":"1.1","accepts":["imei","meid","serial"]})"), "(parsed)");
}

TEST(Manifest, InvalidJsonGivesFileLineAndColumn) {
  const auto e = error_of("{\n  \"id\": \"x\"\n  \"kind\": 1\n}");
  EXPECT_NE(e.find("m.json: invalid JSON at line 3, column "), std::string::npos) << e;
}

TEST(Manifest, EachMissingFieldIsNamed) {
  for (const char* field : {"id", "version", "kind", "abi", "library"}) {
    nlohmann::json j = nlohmann::json::parse(kValid);
    j.erase(field);
    const auto e = error_of(j.dump());
    EXPECT_NE(e.find(std::string("missing field \"") + field + "\""), std::string::npos) << e;
    EXPECT_EQ(e.rfind("m.json: ", 0), 0u) << "error must start with the file: " << e;
  }
}

TEST(Manifest, RefusesBadValues) {
  auto with = [](const char* key, nlohmann::json value) {
    nlohmann::json j = nlohmann::json::parse(kValid);
    j[key] = std::move(value);
    return error_of(j.dump());
  };
  EXPECT_NE(with("id", "Android!").find("lower-case"), std::string::npos);
  EXPECT_NE(with("kind", "printer").find("neither \"device\" nor \"register\""), std::string::npos);
  EXPECT_NE(with("abi", "1").find("is not \"MAJOR.MINOR\""), std::string::npos);
  EXPECT_NE(with("abi", "1.0.0").find("is not \"MAJOR.MINOR\""), std::string::npos);
  EXPECT_NE(with("abi", ".1").find("is not \"MAJOR.MINOR\""), std::string::npos);
  EXPECT_NE(with("abi", "1.-1").find("is not \"MAJOR.MINOR\""), std::string::npos);
  EXPECT_NE(with("abi", "70000.0").find("out of range"), std::string::npos);
  EXPECT_NE(with("id", "-x").find("lower-case"), std::string::npos);
  EXPECT_NE(with("id", std::string(65, 'a')).find("lower-case"), std::string::npos);
  EXPECT_NE(with("library", "../../usr/lib/evil.so").find("must be a file name"),
            std::string::npos);
  EXPECT_NE(with("library", "/tmp/evil.so").find("must be a file name"), std::string::npos);
  EXPECT_NE(with("version", "").find("non-empty string"), std::string::npos);
  EXPECT_NE(with("match", nlohmann::json::array()).find("at least one rule"), std::string::npos);
  EXPECT_NE(with("match", "any").find("must be an array"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("must be a JSON object"), std::string::npos);
}

TEST(Manifest, RefusesMatchRulesThatWouldMatchTooMuch) {
  auto rule = [](const char* r) {
    return error_of(
        std::string(
            R"({"id":"x","version":"1","kind":"device","abi":"1.0","library":"x.so","match":[)") +
        r + "]}");
  };
  EXPECT_NE(rule("{}").find("match[0]: an empty rule would match every device"), std::string::npos);
  EXPECT_NE(rule(R"({"vendorid": "0x18d1"})").find("match[0].vendorid: unknown match field"),
            std::string::npos);
  EXPECT_NE(rule(R"({"product_id": 1})").find("needs a vendor_id"), std::string::npos);
  EXPECT_NE(rule(R"({"any": false})").find("only \"any\": true"), std::string::npos);
  EXPECT_NE(rule(R"({"interface_class": 256})").find("out of range"), std::string::npos);
  EXPECT_NE(rule(R"({"vendor_id": "18d1"})").find("not a hex number like"), std::string::npos);
  EXPECT_NE(rule(R"({"vendor_id": "0xZZ"})").find("not a hex number"), std::string::npos);
  EXPECT_NE(rule(R"({"vendor_id": -1})").find("expected a number"), std::string::npos);
  EXPECT_NE(rule(R"({"interface_name": ""})").find("match[0].interface_name: expected the"),
            std::string::npos);
  EXPECT_NE(rule(R"({"interface_name": 7})").find("iInterface string"), std::string::npos);
}

TEST(Manifest, AMatchRuleAndAnInterfaceRuleMayNameTheInterface) {
  auto j = nlohmann::json::parse(kValid);
  j["match"] = nlohmann::json::parse(
      R"([{"interface_class": "0xff", "interface_subclass": "0xff", "interface_name": "MTP"}])");
  j["usb"] = nlohmann::json::parse(R"({"interfaces": [{"interface_class": "0xff",
      "interface_subclass": "0xff", "interface_name": "MTP", "bulk_out": true, "why": "mtp"}]})");
  auto m = parse_manifest(j.dump(), "m.json");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->match[0].interface_name, "MTP");
  EXPECT_EQ(m->usb.interfaces[0].interface_name, "MTP");
  j["usb"]["interfaces"][0]["interface_name"] = 1;
  EXPECT_NE(error_of(j.dump()).find("usb.interfaces[0].interface_name must be"), std::string::npos);
}

// The "sandbox" section: what a plugin needs besides its folder, declared so that it can be seen.
std::string with_sandbox(const std::string& sandbox) {
  auto j = nlohmann::json::parse(kValid);
  j["sandbox"] = nlohmann::json::parse(sandbox);
  return j.dump();
}

TEST(Manifest, SandboxNeedsAreParsed) {
  auto m = parse_manifest(with_sandbox(R"({"environment": ["HOME", "ADB_VENDOR_KEYS"],
      "paths": [{"path": ["$ANDROID_USER_HOME", "$HOME/.android"], "access": "read-write",
                 "why": "the key"},
                {"path": "$ADB_VENDOR_KEYS", "list": true, "access": "read-only", "why": "keys"},
                {"path": "/usr/share/dfx", "why": "tables"}]})"),
                          "m.json");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->sandbox.environment, (std::vector<std::string>{"HOME", "ADB_VENDOR_KEYS"}));
  ASSERT_EQ(m->sandbox.paths.size(), 3u);
  EXPECT_EQ(m->sandbox.paths[0].candidates,
            (std::vector<std::string>{"$ANDROID_USER_HOME", "$HOME/.android"}));
  EXPECT_TRUE(m->sandbox.paths[0].writable);
  EXPECT_TRUE(m->sandbox.paths[1].list);
  EXPECT_FALSE(m->sandbox.paths[2].writable) << "read-only unless said otherwise";
  EXPECT_TRUE(parse_manifest(kValid, "m.json")->sandbox.paths.empty());
}

TEST(Manifest, SandboxNeedsAreStrict) {
  EXPECT_NE(
      error_of(with_sandbox(R"({"network": true})")).find("sandbox: unknown field \"network\""),
      std::string::npos);
  EXPECT_NE(error_of(with_sandbox(R"({"environment": ["lower"]})")).find("is not a variable name"),
            std::string::npos);
  EXPECT_NE(error_of(with_sandbox(R"({"paths": [{"path": "relative/x", "why": "w"}]})"))
                .find("is not \"$VAR\", \"$VAR/rest\" or an absolute path"),
            std::string::npos);
  EXPECT_NE(error_of(with_sandbox(R"({"paths": [{"path": "$HOME/../etc", "why": "w"}]})"))
                .find("is not \"$VAR\""),
            std::string::npos);
  EXPECT_NE(error_of(with_sandbox(R"({"paths": [{"path": "/x", "access": "all", "why": "w"}]})"))
                .find("is neither read-only nor read-write"),
            std::string::npos);
  EXPECT_NE(error_of(with_sandbox(R"({"paths": [{"path": "/x"}]})")).find("\"why\" is missing"),
            std::string::npos);
}

std::string with_usb(const std::string& usb) {
  auto j = nlohmann::json::parse(kValid);
  j["usb"] = nlohmann::json::parse(usb);
  return j.dump();
}

TEST(Manifest, UsbSurfaceIsParsedAndStateChangesCannotBeDeclared) {
  auto m = parse_manifest(with_usb(R"({
      "control": [{"request_type": "0xC0", "request": 1, "why": "identity"}],
      "interfaces": [{"interface_class": "0xff", "interface_subclass": "0x42",
                      "bulk_out": true, "why": "adb"}]})"),
                          "m.json");
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->usb.control.size(), 1u);
  EXPECT_EQ(m->usb.control[0].request_type, 0xC0);
  EXPECT_EQ(m->usb.control[0].request, 1);
  ASSERT_EQ(m->usb.interfaces.size(), 1u);
  EXPECT_EQ(m->usb.interfaces[0].interface_class, 0xFF);
  EXPECT_FALSE(m->usb.interfaces[0].interface_protocol.has_value());
  EXPECT_TRUE(m->usb.interfaces[0].bulk_out);

  EXPECT_NE(error_of(with_usb(R"({"control": [{"request_type": 0, "request": 9, "why": "x"}]})"))
                .find("usb.control[0]: 0x00/0x09 (standard, device, OUT): a standard "
                      "host-to-device request changes the device"),
            std::string::npos);
  EXPECT_NE(
      error_of(with_usb(R"({"control": [{"request_type": "0x40", "request": 53, "why": "x"}]})"))
          .find("accessory-mode"),
      std::string::npos);
  EXPECT_NE(error_of(with_usb(R"({"control": [{"request_type": "0xC0", "request": 1}]})"))
                .find("\"why\" is missing"),
            std::string::npos);
  EXPECT_NE(error_of(with_usb(R"({"interfaces": [{"bulk_out": true, "why": "x"}]})"))
                .find("name the interface"),
            std::string::npos);
  EXPECT_NE(error_of(with_usb(R"({"bulk": []})")).find("usb: unknown field \"bulk\""),
            std::string::npos);
}

TEST(Manifest, ConfigurationsAreDeclaredByTheInterfaceTheyHold) {
  auto m = parse_manifest(with_usb(R"({
      "configurations": [{"interface_class": "0xff", "interface_subclass": "0xfe",
                          "interface_protocol": "0x02", "why": "usbmux"}]})"),
                          "m.json");
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->usb.configurations.size(), 1u);
  EXPECT_EQ(m->usb.configurations[0].interface_subclass, 0xFE);
  EXPECT_TRUE(m->usb.interfaces.empty());
  EXPECT_NE(error_of(with_usb(R"({"configurations": [{"interface_class": "0xff",
                                  "bulk_out": true, "why": "x"}]})"))
                .find("unknown field \"bulk_out\""),
            std::string::npos)
      << "writing is declared per interface, not per configuration";
  EXPECT_NE(error_of(with_usb(R"({"configurations": [{"interface_class": "0xff"}]})"))
                .find("\"why\" is missing"),
            std::string::npos);
}

TEST(Abi, EqualMajorAndOlderOrEqualMinorIsAccepted) {
  EXPECT_FALSE(abi_incompatibility({1, 0}, {1, 0}));
  EXPECT_FALSE(abi_incompatibility({1, 0}, {1, 3}));
  EXPECT_NE(abi_incompatibility({1, 4}, {1, 3}).value().find("newer than the host's 1.3"),
            std::string::npos);
  EXPECT_NE(abi_incompatibility({2, 0}, {1, 3}).value().find("different major"), std::string::npos);
  EXPECT_NE(abi_incompatibility({0, 9}, {1, 3}).value().find("different major"), std::string::npos);
}

}  // namespace
}  // namespace dfx::plugin_host
