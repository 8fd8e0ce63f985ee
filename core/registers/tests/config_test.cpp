// The configuration file: where it is found, what it may say, and the embedded default.
#include "registers/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace {

using namespace dfx::registers;
namespace fs = std::filesystem;

std::string error_of(const std::string& text) {
  auto c = parse_config(text, "cfg.json");
  return c ? std::string("(parsed)") : c.error().message;
}

TEST(RegisterConfig, ParsesRegistersWithSettingsAndTimeouts) {
  auto c = parse_config(R"({"registers": [
      {"id": "local", "builtin": "sqlite", "settings": {"path": "/srv/r.sqlite"}},
      {"id": "national", "plugin": "register-http", "timeout_ms": 2500, "comment": "NMPR"}]})",
                        "cfg.json");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->registers.size(), 2u);
  EXPECT_EQ(c->registers[0].id, "local");
  EXPECT_EQ(c->registers[0].builtin, "sqlite");
  EXPECT_EQ(c->registers[0].backend(), "builtin:sqlite");
  EXPECT_EQ(c->registers[1].backend(), "register-http");
  EXPECT_EQ(c->registers[0].settings_json, R"({"path":"/srv/r.sqlite"})");
  EXPECT_EQ(c->registers[1].settings_json, "{}");
  EXPECT_EQ(c->registers[1].timeout.count(), 2500);
  EXPECT_EQ(c->source, "cfg.json");
}

TEST(RegisterConfig, OnlyARegisterPluginMayAskForTheNetwork) {
  auto c = parse_config(R"({"registers": [
      {"id": "national", "plugin": "register-http", "network": true},
      {"id": "offline", "plugin": "register-memory"}]})",
                        "cfg.json");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->registers[0].network);
  EXPECT_FALSE(c->registers[1].network) << "off unless asked for";
  auto builtin = parse_config(
      R"({"registers": [{"id": "l", "builtin": "sqlite", "network": true}]})", "cfg.json");
  ASSERT_FALSE(builtin);
  EXPECT_NE(builtin.error().message.find("needs no network"), std::string::npos);
  auto text =
      parse_config(R"({"registers": [{"id": "n", "plugin": "p", "network": "yes"}]})", "cfg.json");
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("network: expected true or false"), std::string::npos)
      << text.error().message;
}

TEST(RegisterConfig, GrantsToARegisterPluginsSandboxAreNamedInTheConfiguration) {
  auto c = parse_config(R"({"registers": [
      {"id": "dd", "plugin": "register-http", "network": true,
       "environment": ["DD_API_KEY"], "files": ["/etc/dfx/dd.key", "/etc/dfx/ca.pem"]}]})",
                        "cfg.json");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->registers[0].environment, std::vector<std::string>{"DD_API_KEY"});
  ASSERT_EQ(c->registers[0].files.size(), 2u);
  EXPECT_EQ(c->registers[0].files[1], "/etc/dfx/ca.pem");
  for (const char* bad :
       {R"({"registers": [{"id": "d", "plugin": "p", "environment": ["lower"]}]})",
        R"({"registers": [{"id": "d", "plugin": "p", "environment": "DD_API_KEY"}]})",
        R"({"registers": [{"id": "d", "plugin": "p", "files": ["relative/key"]}]})",
        R"({"registers": [{"id": "d", "plugin": "p", "files": ["/"]}]})",
        R"({"registers": [{"id": "l", "builtin": "sqlite", "files": ["/etc/x"]}]})"}) {
    auto r = parse_config(bad, "cfg.json");
    EXPECT_FALSE(r) << bad;
  }
}

TEST(RegisterConfig, EachRegisterHasExactlyOneBackend) {
  EXPECT_NE(error_of(R"({"registers": [{"id": "a"}]})").find("give exactly one of \"builtin\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "builtin": "sqlite", "plugin": "p"}]})")
                .find("exactly one"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "builtin": "postgres"}]})")
                .find("built-in register backends are: sqlite"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "plugin": "register-sqlite"}]})")
                .find("write \"builtin\": \"sqlite\""),
            std::string::npos)
      << "the register that used to be a plugin says how to name it now";
}

TEST(RegisterConfig, RefusesWhatWouldSilentlyMisbehave) {
  EXPECT_NE(error_of("{").find("cfg.json: invalid JSON at line 1"), std::string::npos);
  EXPECT_NE(error_of(R"({"registers": []})").find("nothing can ever be called clear"),
            std::string::npos);
  EXPECT_NE(error_of(R"({})").find("missing \"registers\""), std::string::npos);
  EXPECT_NE(error_of(R"({"registres": []})").find("unknown field \"registres\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "plugin": "p", "timout_ms": 5}]})")
                .find("registers[0].timout_ms: unknown field"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "plugin": "p", "timeout_ms": 0}]})")
                .find("registers[0].timeout_ms: expected a whole number"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "A b", "plugin": "p"}]})").find("registers[0].id"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"plugin": "p"}]})").find("missing \"id\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a"}]})").find("give exactly one of \"builtin\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "plugin": "p"}, {"id": "a", "plugin": "q"}]})")
                .find("\"a\" is used twice"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "plugin": "p", "settings": []}]})")
                .find("registers[0].settings: expected an object"),
            std::string::npos);
}

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dfx-config-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "xdg" / "dfx");
  }
  void TearDown() override { fs::remove_all(dir_); }
  GetEnv env() {
    return [this](const char* name) -> const char* {
      auto it = vars_.find(name);
      return it == vars_.end() ? nullptr : it->second.c_str();
    };
  }
  fs::path dir_;
  std::map<std::string, std::string> vars_;
};

TEST_F(ConfigFiles, MissingDefaultFileMeansTheEmbeddedSqliteRegister) {
  vars_["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  auto c = load_config("", env());
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->registers.size(), 1u);
  EXPECT_EQ(c->registers[0].id, "local");
  EXPECT_EQ(c->registers[0].builtin, "sqlite");
  EXPECT_TRUE(c->source.empty());
}

TEST_F(ConfigFiles, XdgFileIsReadAndNamedFilesMustExist) {
  vars_["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  std::ofstream(dir_ / "xdg" / "dfx" / "config.json")
      << R"({"registers": [{"id": "x", "plugin": "register-memory"}]})";
  auto c = load_config("", env());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->registers[0].id, "x");
  EXPECT_EQ(c->source, dir_ / "xdg" / "dfx" / "config.json");

  auto missing = load_config((dir_ / "nope.json").string(), env());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.json does not exist"), std::string::npos);
  vars_["DFX_CONFIG"] = (dir_ / "env.json").string();
  auto env_missing = load_config("", env());
  ASSERT_FALSE(env_missing) << "a file named by $DFX_CONFIG must exist too";
}

TEST_F(ConfigFiles, RelativeXdgIsIgnoredForHome) {
  vars_["XDG_CONFIG_HOME"] = "relative/path";
  vars_["HOME"] = dir_.string();
  fs::create_directories(dir_ / ".config" / "dfx");
  std::ofstream(dir_ / ".config" / "dfx" / "config.json")
      << R"({"registers": [{"id": "home", "plugin": "register-memory"}]})";
  auto c = load_config("", env());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->registers[0].id, "home");
}

TEST(RegisterConfig, RegisterDbSetsTheOneSqliteRegisterOrTheOneItNames) {
  Config c = default_config();
  ASSERT_TRUE(override_sqlite_path(c, "/tmp/x.sqlite"));
  EXPECT_EQ(c.registers[0].settings_json, R"({"path":"/tmp/x.sqlite"})");
  Config other{{RegisterConfig{.id = "m", .builtin = "", .plugin = "register-memory"}}, "c.json"};
  auto r = override_sqlite_path(other, "/tmp/x.sqlite");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("has no built-in sqlite register"), std::string::npos);

  auto two = parse_config(R"({"registers": [
      {"id": "local", "builtin": "sqlite"}, {"id": "insurer", "builtin": "sqlite"}]})",
                          "two.json");
  ASSERT_TRUE(two) << two.error().message;
  auto ambiguous = override_sqlite_path(*two, "/tmp/x.sqlite");
  ASSERT_FALSE(ambiguous) << "pointing both at one file would fake a second register's answers";
  EXPECT_NE(ambiguous.error().message.find("2 built-in sqlite registers (local, insurer); say "
                                           "which one: --register-db local=FILE"),
            std::string::npos)
      << ambiguous.error().message;
  ASSERT_TRUE(override_sqlite_path(*two, "insurer=/tmp/i.sqlite"));
  EXPECT_EQ(two->registers[1].settings_json, R"({"path":"/tmp/i.sqlite"})");
  EXPECT_EQ(two->registers[0].settings_json, "{}");
  auto typo = override_sqlite_path(*two, "insurrer=/tmp/x.sqlite");
  ASSERT_FALSE(typo) << "a mistyped id must not become a file name";
  EXPECT_EQ(typo.error().message,
            "--register-db insurrer=/tmp/x.sqlite: two.json has no register \"insurrer\" (it has: "
            "local, insurer); for a file whose name holds '=', write ./insurrer=/tmp/x.sqlite");
  Config one = default_config();
  ASSERT_TRUE(override_sqlite_path(one, "/tmp/a=b.sqlite")) << "'=' inside a path is a path";
  EXPECT_EQ(one.registers[0].settings_json, R"({"path":"/tmp/a=b.sqlite"})");
}

TEST(RegisterConfig, TwoRegistersOnOneFileAreRefused) {
  const dfx::GetEnv env = [](const char* n) -> const char* {
    return std::string(n) == "HOME" ? "/home/tech" : nullptr;
  };
  auto c = parse_config(R"({"registers": [
      {"id": "local", "builtin": "sqlite"},
      {"id": "insurer", "builtin": "sqlite",
       "settings": {"path": "/home/tech/.local/share/dfx/./register.sqlite"}}]})",
                        "c.json");
  ASSERT_TRUE(c) << c.error().message;
  auto r = check_distinct_files(*c, env);
  ASSERT_FALSE(r) << "the default path and a spelled-out one are the same file";
  EXPECT_NE(r.error().message.find("registers local and insurer both use "
                                   "/home/tech/.local/share/dfx/register.sqlite"),
            std::string::npos)
      << r.error().message;
  auto fine = parse_config(R"({"registers": [
      {"id": "local", "builtin": "sqlite"},
      {"id": "insurer", "builtin": "sqlite", "settings": {"path": "/srv/insurer.sqlite"}}]})",
                           "c.json");
  EXPECT_TRUE(check_distinct_files(*fine, env));
}

TEST(RegisterConfig, ADuplicatedKeyOrDeepNestingIsRefused) {
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "builtin": "sqlite"}],
                         "registers": [{"id": "b", "builtin": "sqlite"}]})")
                .find("the key \"registers\" appears twice in the top-level object"),
            std::string::npos)
      << "the second list would silently drop the first register";
  EXPECT_NE(error_of(R"({"registers": [{"id": "a", "id": "b", "builtin": "sqlite"}]})")
                .find("the key \"id\" appears twice in the object at /registers/[]"),
            std::string::npos);
  std::string deep = R"({"registers": [{"id": "a", "builtin": "sqlite", "settings": {"x": )";
  for (int i = 0; i < 10000; ++i) deep += "[";
  EXPECT_NE(error_of(deep).find("nested deeper than 32 levels"), std::string::npos)
      << "a deep document must end in an error, not a stack overflow";
}

}  // namespace
