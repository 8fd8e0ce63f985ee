// The handset JSON format, its error messages, directory loading, and the
// behaviour registry.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "dfx/testing/testing.hpp"

namespace dfx::testing::test {
namespace {

using json = nlohmann::json;

json minimal() {
  return json::parse(R"({
      "format": "dfx-handset/1",
      "name": "Minimal",
      "usb": {
        "vendor_id": "0x1209", "product_id": 2,
        "manufacturer": "Maker", "product": {"text": "Thing", "index": 5}, "serial": "S1",
        "extra_strings": {"0xEE": "MSFT100", "9": "nine"},
        "configurations": [{
          "interfaces": [
            {"number": 0, "class": "0xff", "subclass": 66, "protocol": 1, "name": "ADB Interface",
             "endpoints": [{"address": "0x81", "type": "bulk"}, {"address": "0x01", "type": "bulk", "max_packet_size": 64}]},
            {"number": 1, "alt_settings": [
              {"class": 10},
              {"alternate": 1, "class": 10, "endpoints": [{"address": "0x82", "type": "interrupt", "interval": 9}]}]}
          ]
        }]
      },
      "ttys": [{"interface": 0, "dialogue": [{"command": "AT+CGSN", "reply": ["123", "OK"]}], "echo": false}],
      "behavior": {"module": "descriptor-only"}
    })");
}

std::string error_of(const json& doc) {
  auto r = parse_handset(doc, "test.json");
  return r ? std::string("<parsed>") : r.error();
}

TEST(HandsetJson, ParsesAllFieldsWithDefaults) {
  auto h = parse_handset(minimal(), "test.json", "minimal");
  ASSERT_TRUE(h) << h.error();
  EXPECT_EQ(h->id, "minimal");
  EXPECT_EQ(h->name, "Minimal");
  EXPECT_EQ(h->usb.vendor_id, 0x1209);
  EXPECT_EQ(h->usb.product_id, 2);
  EXPECT_EQ(h->usb.bcd_usb, 0x0200);
  EXPECT_EQ(h->usb.product.index, 5);
  EXPECT_EQ(h->usb.extra_strings.at(0xEE), "MSFT100");
  EXPECT_EQ(h->usb.extra_strings.at(9), "nine");
  const auto& c = h->usb.configurations.at(0);
  EXPECT_EQ(c.value, 1);
  EXPECT_EQ(c.attributes, 0x80);
  const auto& a = c.interfaces.at(0).alt_settings.at(0);
  EXPECT_EQ(a.interface_class, 0xFF);
  EXPECT_EQ(a.interface_subclass, 0x42);
  EXPECT_EQ(a.endpoints.at(0).max_packet_size, 512);  // bulk default at high speed
  EXPECT_EQ(a.endpoints.at(1).max_packet_size, 64);
  ASSERT_EQ(c.interfaces.at(1).alt_settings.size(), 2u);
  EXPECT_EQ(c.interfaces.at(1).alt_settings.at(1).endpoints.at(0).interval, 9);
  ASSERT_EQ(h->ttys.size(), 1u);
  ASSERT_TRUE(h->ttys[0].dialogue);
  EXPECT_FALSE(h->ttys[0].dialogue->echo);
  EXPECT_EQ(h->ttys[0].dialogue->entries.at(0).reply.at(1), "OK");
  EXPECT_EQ(h->behavior.module, "descriptor-only");
  EXPECT_TRUE(h->behavior.params.empty());
}

TEST(HandsetJson, ErrorsNameSourceAndJsonPointer) {
  auto doc = minimal();
  doc["usb"]["configurations"][0]["interfaces"][0]["endpoints"][0]["type"] = "blk";
  EXPECT_EQ(error_of(doc),
            "test.json: /usb/configurations/0/interfaces/0/endpoints/0/type: expected one of bulk, "
            "interrupt, "
            "isochronous, got \"blk\"");

  doc = minimal();
  doc["usb"]["vendor_id"] = "18d1";
  EXPECT_EQ(error_of(doc),
            "test.json: /usb/vendor_id: expected a number or a \"0x...\" hex string, got \"18d1\"");

  doc = minimal();
  doc["usb"]["product_id"] = 70000;
  EXPECT_EQ(error_of(doc), "test.json: /usb/product_id: 70000 is larger than 65535");

  doc = minimal();
  doc["usb"].erase("configurations");
  EXPECT_EQ(error_of(doc), "test.json: /usb: missing required key \"configurations\"");

  doc = minimal();
  doc["format"] = "dfx-handset/2";
  EXPECT_EQ(error_of(doc), "test.json: /format: expected \"dfx-handset/1\", got \"dfx-handset/2\"");
}

TEST(HandsetJson, UnknownKeysAreErrors) {
  auto doc = minimal();
  doc["usb"]["configurations"][0]["interfaces"][0]["clas"] = 1;
  const auto e = error_of(doc);
  EXPECT_EQ(
      e.rfind("test.json: /usb/configurations/0/interfaces/0/clas: unknown key \"clas\" (allowed: ",
              0),
      0u)
      << e;
  doc = minimal();
  doc["usb"]["configurations"][0]["interfaces"][1]["class"] =
      1;  // inline fields next to alt_settings
  EXPECT_NE(error_of(doc).find("/usb/configurations/0/interfaces/1/class: unknown key"),
            std::string::npos)
      << error_of(doc);
}

TEST(HandsetJson, DescriptorProblemsPointIntoTheDocument) {
  auto doc = minimal();
  doc["usb"]["configurations"][0]["interfaces"][0]["endpoints"][1]["address"] = "0x81";
  EXPECT_EQ(
      error_of(doc).rfind("test.json: /usb/configurations/0/interfaces/0/endpoints/1/address: ", 0),
      0u)
      << error_of(doc);
  doc = minimal();
  doc["ttys"][0]["interface"] = 4;
  EXPECT_EQ(error_of(doc),
            "test.json: /ttys/0/interface: the first configuration has no interface 4");
}

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/handsets.XXXXXX";
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(HandsetJson, LoadsFilesAndSortedDirectories) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto b = minimal();
  b["name"] = "B";
  auto a = minimal();
  a["name"] = "A";
  dir.write("b-phone.json", b.dump());
  dir.write("a-phone.json", a.dump(2));
  dir.write("notes.txt", "ignored");
  auto all = load_handset_directory(dir.path());
  ASSERT_TRUE(all) << all.error();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "a-phone");
  EXPECT_EQ((*all)[1].name, "B");
  EXPECT_EQ((*all)[0].source, dir.path() / "a-phone.json");

  dir.write("c-broken.json", "{ \"format\": ");
  auto d = minimal();
  d["usb"]["speed"] = "warp";
  dir.write("d-bad.json", d.dump());
  auto broken = load_handset_directory(dir.path());
  ASSERT_FALSE(broken);
  const std::string expected_c = (dir.path() / "c-broken.json").string() + ": invalid JSON: ";
  const std::string expected_d =
      (dir.path() / "d-bad.json").string() +
      ": /usb/speed: expected one of low, full, high, super, super_plus, got \"warp\"";
  EXPECT_EQ(broken.error().rfind(expected_c, 0), 0u) << broken.error();
  EXPECT_NE(broken.error().find("\n" + expected_d), std::string::npos) << broken.error();

  auto missing = load_handset(dir.path() / "nope.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.json: cannot read"), std::string::npos);
}

TEST(BehaviorRegistry, BuiltinModules) {
  const auto registry = BehaviorRegistry::builtin();
  EXPECT_EQ(registry.names(),
            (std::vector<std::string>{"composite", "descriptor-only", "scripted"}));
  ASSERT_NE(registry.find("descriptor-only"), nullptr);
  EXPECT_FALSE(registry.find("descriptor-only")->summary.empty());
  UsbDeviceSpec spec;
  auto made = registry.create("descriptor-only", json::object(), spec);
  EXPECT_TRUE(made) << made.error();
  auto with_params = registry.create("descriptor-only", json{{"imei", "1"}}, spec, "x.json");
  ASSERT_FALSE(with_params);
  EXPECT_EQ(with_params.error(),
            "x.json: behaviour \"descriptor-only\": /behavior/params/imei: the descriptor-only "
            "module takes no parameters");
  auto unknown = registry.create("adb", json::object(), spec, "x.json");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(),
            "x.json: /behavior/module: unknown behaviour module \"adb\" (known: composite, "
            "descriptor-only, scripted)");
}

TEST(BehaviorRegistry, ModulesAreAddedAsData) {
  auto registry = BehaviorRegistry::builtin();
  struct Custom : UsbBehavior {};
  ASSERT_TRUE(registry.add(
      {"custom", "a test module",
       [](const BehaviorContext& ctx) -> tl::expected<std::unique_ptr<UsbBehavior>, std::string> {
         if (!ctx.params.contains("state"))
           return tl::unexpected(std::string("/behavior/params: needs \"state\""));
         return std::make_unique<Custom>();
       }}));
  EXPECT_FALSE(registry.add(
      {"custom", "again",
       [](const BehaviorContext&) -> tl::expected<std::unique_ptr<UsbBehavior>, std::string> {
         return std::make_unique<Custom>();
       }}));
  EXPECT_FALSE(registry.add({"", "nameless", nullptr}));
  EXPECT_EQ(registry.names(),
            (std::vector<std::string>{"composite", "custom", "descriptor-only", "scripted"}));
  UsbDeviceSpec spec;
  EXPECT_TRUE(registry.create("custom", json{{"state", "unauthorized"}}, spec));
  EXPECT_FALSE(registry.create("custom", json::object(), spec));
}

// A maker with its own behaviour type, as emulators write them for their tests.
struct Counted : UsbBehavior {
  int answers = 0;
};
tl::expected<std::unique_ptr<Counted>, std::string> make_counted(const BehaviorContext& ctx) {
  if (ctx.params.contains("broken")) return tl::unexpected(std::string("/behavior/params: broken"));
  return std::make_unique<Counted>();
}

TEST(BehaviorRegistry, AsBehaviorMakesAFactoryOfATypedMaker) {
  auto registry = BehaviorRegistry::builtin();
  ASSERT_TRUE(registry.add({"counted", "a typed maker", &as_behavior<&make_counted>}));
  UsbDeviceSpec spec;
  auto made = registry.create("counted", json::object(), spec);
  ASSERT_TRUE(made) << made.error();
  EXPECT_NE(dynamic_cast<Counted*>(made->get()), nullptr);
  auto broken = registry.create("counted", json{{"broken", true}}, spec, "x.json");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().find("/behavior/params: broken"), std::string::npos) << broken.error();
}

// A TtyPort that records what the dialogue writes.
struct RecordingPort : TtyPort {
  std::string out;
  void write(std::span<const std::uint8_t> b) override { out.append(b.begin(), b.end()); }
  using TtyPort::write;
};

TEST(LineDialogue, AnswersEchoesAndSwitchesEcho) {
  LineDialogue d;
  d.entries.push_back({"AT+CGSN", {"350000110246812", "OK"}});
  auto handler = d.handler();
  RecordingPort port;
  auto feed = [&](std::string_view s) {
    handler(port, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()),
                                                s.size()));
  };
  feed("at+c");
  feed("gsn\r");
  EXPECT_EQ(port.out, "at+cgsn\r\r\n350000110246812\r\n\r\nOK\r\n");
  port.out.clear();
  feed("ATE0\r");
  EXPECT_EQ(port.out, "ATE0\r\r\nOK\r\n");
  port.out.clear();
  feed("AT+FOO\r\n");
  EXPECT_EQ(port.out, "\r\nERROR\r\n");
  port.out.clear();
  feed("AT\r");
  EXPECT_EQ(port.out, "\r\nOK\r\n");
}

}  // namespace
}  // namespace dfx::testing::test
