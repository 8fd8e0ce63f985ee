// The settings of a service: the shipped configurations parse, and every ambiguity that could
// turn an unanswered question into a miss, or leak a secret, is refused with the field named.
#include "service_config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace dfx::register_http {
namespace {

using nlohmann::json;

json shipped(const std::string& name) {
  std::ifstream in(std::string(REGISTER_HTTP_SERVICES_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

json minimal() {
  return {{"service", "s"},
          {"kinds", {"imei"}},
          {"request", {{"url", "https://r.example/v1/{identifier}"}}},
          {"response", {{"outcome", "/result"}, {"words", {{"clean", "miss"}}}}}};
}

std::string refusal(const json& settings) {
  auto c = parse_service_config(settings.dump());
  return c ? std::string("(accepted)") : c.status().message();
}

TEST(ServiceConfig, TheShippedConfigurationsParse) {
  for (const char* name :
       {"dfx-registerd.json", "dfx-registerd-private.json", "checkmend-style.json"}) {
    const auto entry = shipped(name);
    auto c = parse_service_config(entry.at("settings").dump());
    ASSERT_TRUE(c) << name << ": " << c.status().message();
    EXPECT_EQ(entry.at("plugin"), "register-http") << name;
    EXPECT_TRUE(entry.at("network").get<bool>()) << name << ": a remote service needs the network";
  }
  auto registerd = parse_service_config(shipped("dfx-registerd.json").at("settings").dump());
  EXPECT_EQ(registerd->mode, QueryMode::Batch);
  EXPECT_EQ(registerd->auth.type, AuthType::Bearer);
  EXPECT_FALSE(registerd->cache.enabled);
  auto checkmend = parse_service_config(shipped("checkmend-style.json").at("settings").dump());
  EXPECT_EQ(checkmend->auth.type, AuthType::Basic);
  EXPECT_FALSE(checkmend->cache.enabled) << "its terms forbid storing answers";
  EXPECT_EQ(checkmend->response.words.at("passed"), "miss");
  EXPECT_EQ(checkmend->response.words.at("failed"), "other");
  auto priv = parse_service_config(shipped("dfx-registerd-private.json").at("settings").dump());
  EXPECT_EQ(priv->mode, QueryMode::Range);
  EXPECT_EQ(priv->prefix_length, 6);
}

TEST(ServiceConfig, DefaultsAreSafe) {
  auto c = parse_service_config(minimal().dump());
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->mode, QueryMode::Single);
  EXPECT_FALSE(c->cache.enabled);
  EXPECT_TRUE(c->ca_file.empty());
  EXPECT_EQ(c->limits.retries, 2);
  EXPECT_GT(c->limits.request_timeout.count(), 0);
}

TEST(ServiceConfig, AMisspeltFieldIsRefusedNotIgnored) {
  auto s = minimal();
  s["limits"] = {{"retry", 3}};
  EXPECT_NE(refusal(s).find("settings.limits.retry: unknown field"), std::string::npos)
      << refusal(s);
  s = minimal();
  s["respnse"] = json::object();
  EXPECT_NE(refusal(s).find("settings.respnse"), std::string::npos);
}

TEST(ServiceConfig, WordsMapOnlyOntoKnownTargets) {
  auto s = minimal();
  s["response"]["words"]["maybe"] = "probably-fine";
  EXPECT_NE(refusal(s).find("settings.response.words.maybe"), std::string::npos) << refusal(s);
  s = minimal();
  s["response"]["words"] = {{"hit", "records"}};
  EXPECT_NE(refusal(s).find("say where the records are"), std::string::npos) << refusal(s);
}

TEST(ServiceConfig, TheRangeModeNeedsAnExplicitMissAndNeverSendsTheIdentifier) {
  json s = {{"service", "s"},
            {"mode", "range"},
            {"kinds", {"imei"}},
            {"request", {{"url", "https://r.example/range/{prefix}"}, {"prefix_length", 5}}},
            {"response", {{"matches", "/m"}, {"suffix", "/s"}, {"records", "/r"}}}};
  EXPECT_NE(refusal(s).find("no_match"), std::string::npos) << refusal(s);
  s["response"]["no_match"] = "miss";
  EXPECT_EQ(refusal(s), "(accepted)");
  s["request"]["url"] = "https://r.example/range/{prefix}?id={identifier}";
  EXPECT_NE(refusal(s).find("never sends the {identifier}"), std::string::npos) << refusal(s);
  s["request"]["url"] = "https://r.example/range/{prefix}";
  s["request"]["prefix_length"] = 3;
  EXPECT_NE(refusal(s).find("prefix_length"), std::string::npos) << refusal(s);
}

TEST(ServiceConfig, BatchResultsAreMatchedByNameNeverByPosition) {
  json s = {{"service", "s"},
            {"mode", "batch"},
            {"kinds", {"imei"}},
            {"request",
             {{"method", "POST"}, {"url", "https://r.example/c"}, {"body", {{"ids", "{items}"}}}}},
            {"response", {{"results", "/r"}, {"outcome", "/o"}, {"words", {{"no", "miss"}}}}}};
  EXPECT_NE(refusal(s).find("never matched by position"), std::string::npos) << refusal(s);
  s["response"]["match"] = {{"pointer", "/id"}, {"value", "{identifier}"}};
  EXPECT_EQ(refusal(s), "(accepted)");
}

TEST(ServiceConfig, SecretsAreNeverWrittenInTheFile) {
  auto s = minimal();
  s["request"]["headers"] = {{"Authorization", "Bearer abc"}};
  EXPECT_NE(refusal(s).find("settings.auth"), std::string::npos) << refusal(s);
  s = minimal();
  s["auth"] = {{"type", "bearer"}, {"token", "abc"}};
  EXPECT_NE(refusal(s).find("unknown field"), std::string::npos) << refusal(s);
  s["auth"] = {{"type", "bearer"}};
  EXPECT_NE(refusal(s).find("exactly one of secret_env"), std::string::npos) << refusal(s);
  s["auth"] = {{"type", "bearer"}, {"secret_env", "T"}, {"secret_file", "/etc/t"}};
  EXPECT_NE(refusal(s).find("exactly one of secret_env"), std::string::npos) << refusal(s);
}

TEST(ServiceConfig, PlainHttpOnlyToThisMachineUnlessSaidSo) {
  auto s = minimal();
  s["request"]["url"] = "http://127.0.0.1:8470/v1/{identifier}";
  EXPECT_EQ(refusal(s), "(accepted)");
  s["request"]["url"] = "http://localhost:8470/v1/{identifier}";
  EXPECT_EQ(refusal(s), "(accepted)");
  for (const char* remote :
       {"http://registers.depot.example/v1/{identifier}", "http://127.evil.example/v1/{identifier}",
        "http://localhost.evil.example/v1/{identifier}"}) {
    s["request"]["url"] = remote;
    EXPECT_NE(refusal(s).find("plain_http"), std::string::npos) << remote << ": " << refusal(s);
  }
  s["request"]["url"] = "http://registers.depot.example/v1/{identifier}";
  s["plain_http"] = true;
  EXPECT_EQ(refusal(s), "(accepted)");
  s["request"]["url"] = "ftp://r.example/{identifier}";
  EXPECT_NE(refusal(s).find("http:// or https://"), std::string::npos) << refusal(s);
}

TEST(ServiceConfig, HttpStatusesThatAreRetriedCannotBeMapped) {
  auto s = minimal();
  s["response"]["http_status"] = {{"404", "miss"}};
  EXPECT_EQ(refusal(s), "(accepted)");
  s["response"]["http_status"] = {{"503", "miss"}};
  EXPECT_NE(refusal(s).find("http_status.503"), std::string::npos) << refusal(s);
  s["response"]["http_status"] = {{"429", "error"}};
  EXPECT_NE(refusal(s).find("http_status.429"), std::string::npos) << refusal(s);
}

TEST(ServiceConfig, KindsAreTheOnesARegisterHolds) {
  auto s = minimal();
  s["kinds"] = {"imsi"};
  EXPECT_NE(refusal(s).find("settings.kinds"), std::string::npos) << refusal(s);
  s["kinds"] = json::array();
  EXPECT_NE(refusal(s).find("settings.kinds"), std::string::npos) << refusal(s);
}

}  // namespace
}  // namespace dfx::register_http
