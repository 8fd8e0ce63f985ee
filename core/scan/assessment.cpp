#include "scan/assessment.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

namespace dfx::scan {
namespace {

using ident::Kind;

bool all_hex(std::string_view v) {
  for (char c : v)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// The manufacturer to hold against a TAC's brand: what a plugin read from the phone, else the
// USB descriptor.
std::string reported_manufacturer(const DeviceReport& d) {
  for (const char* kind : {"manufacturer", "brand"})
    for (const auto& p : d.probes)
      for (const auto& c : p.claims)
        if (c.kind == kind && !c.value.empty()) return c.value;
  return d.facts.manufacturer.value_or("");
}

// The IMEIs each plugin read (canonical, valid ones only), with the method of the first.
struct PluginImeis {
  std::string plugin;
  std::vector<std::string> imeis;
  std::string method;
};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::vector<tac::Finding> imei_disagreements(const std::vector<DeviceIdentifier>& identifiers) {
  // Which valid IMEIs each plugin read, from the identifiers as assessed (normalized and grouped
  // once, in assess): an invalid value is reported as invalid, not compared.
  std::vector<PluginImeis> reads;
  for (const auto& id : identifiers) {
    if (!id.check.identifier || id.check.identifier->kind != Kind::Imei) continue;
    for (const auto& src : id.sources) {
      auto it = std::find_if(reads.begin(), reads.end(),
                             [&](const PluginImeis& r) { return r.plugin == src.plugin; });
      if (it == reads.end()) it = reads.insert(reads.end(), {src.plugin, {}, src.method});
      const auto& canonical = id.check.identifier->canonical;
      if (std::find(it->imeis.begin(), it->imeis.end(), canonical) == it->imeis.end())
        it->imeis.push_back(canonical);
    }
  }
  std::vector<tac::Finding> out;
  for (std::size_t i = 0; i < reads.size(); ++i)
    for (std::size_t j = i + 1; j < reads.size(); ++j) {
      const auto& a = reads[i];
      const auto& b = reads[j];
      const bool shared = std::any_of(a.imeis.begin(), a.imeis.end(), [&](const std::string& x) {
        return std::find(b.imeis.begin(), b.imeis.end(), x) != b.imeis.end();
      });
      if (shared) continue;
      out.push_back({"imei_disagreement",
                     "plugin " + a.plugin + " read IMEI " + join(a.imeis) + " (" + a.method +
                         ") but plugin " + b.plugin + " read " + join(b.imeis) + " (" + b.method +
                         "): two readings of one device share no IMEI, so which IMEI is the "
                         "device's is not certain; check the label or dial *#06#",
                     ""});
    }
  return out;
}

std::optional<Kind> identifier_kind(std::string_view claim, std::string_view value) {
  if (claim == "imei" || claim == "imei1" || claim == "imei2") return Kind::Imei;
  if (claim == "usb_serial" || claim == "serial") {
    // Apple Recovery/DFU and other boot modes put structured "KEY:value KEY:value" text in
    // iSerialNumber: that is not a serial number (a vendor plugin parses it), so it is not checked.
    if (claim == "usb_serial" && value.find_first_of(": ") != std::string_view::npos)
      return std::nullopt;
    if ((value.size() == 24 || value.size() == 40) && all_hex(value)) return Kind::Udid;
    return Kind::Serial;
  }
  if (auto k = ident::kind_from_string(claim); k && *k != Kind::Auto) return k;
  return std::nullopt;
}

Assessment Assessor::assess(const DeviceReport& device) {
  Assessment out;
  // Normalize every identifier claim, grouping claims of the same identifier.
  std::vector<registers::CheckInput> inputs;
  std::vector<std::vector<IdentifierSource>> sources;
  std::map<std::string, std::size_t> index;  // "kind:canonical" or "invalid:kind:value"
  for (const auto& p : device.probes) {
    for (const auto& c : p.claims) {
      const auto kind = identifier_kind(c.kind, c.value);
      if (!kind) continue;
      const auto n = ident::normalize(c.value, *kind);
      const std::string key =
          n ? registers::lookup_for(*n).kind + ":" + registers::lookup_for(*n).identifier
            : "invalid:" + std::string(ident::to_string(*kind)) + ":" + c.value;
      auto [it, inserted] = index.try_emplace(key, inputs.size());
      if (inserted) {
        inputs.push_back({c.value, 0, *kind});
        sources.emplace_back();
      }
      sources[it->second].push_back({p.plugin_id, c.kind, c.value, c.method});
    }
  }
  std::vector<registers::CheckResult> results;
  if (registers_ != nullptr) {
    registers::Checker checker(*registers_);
    results = checker.check(inputs);
  } else {
    for (const auto& in : inputs) {
      registers::CheckResult r{.input = in, .identifier = ident::normalize(in.value, in.kind)};
      r.verdict = r.identifier ? registers::Verdict::Unknown : registers::Verdict::Invalid;
      if (r.identifier) r.not_clear = "no register was asked (--no-registers)";
      results.push_back(std::move(r));
    }
  }
  const std::string manufacturer = reported_manufacturer(device);
  std::vector<registers::DeviceIdentifier> fold;
  for (std::size_t i = 0; i < results.size(); ++i) {
    DeviceIdentifier id;
    id.check = std::move(results[i]);
    id.sources = std::move(sources[i]);
    const auto kind_name = ident::to_string(id.check.input.kind);
    id.checkable =
        registers_ != nullptr &&
        registers_->accepts(id.check.lookup ? std::string_view(id.check.lookup->kind) : kind_name);
    if (id.check.identifier && tacs_ != nullptr && !id.check.identifier->derived.tac.empty()) {
      if (const auto t = tacs_->find(id.check.identifier->derived.tac)) {
        id.brand = std::string(t->brand);
        id.model = std::string(t->model);
        const tac::TacInfo info{id.check.identifier->derived.tac, id.brand, id.model, ""};
        if (auto f = tac::tac_mismatch_finding(manufacturer, info)) out.findings.push_back(*f);
      }
    }
    const auto k = id.check.identifier ? id.check.identifier->kind : id.check.input.kind;
    const bool answered = std::none_of(
        id.check.answers.begin(), id.check.answers.end(),
        [](const registers::Answer& a) { return a.outcome == registers::Outcome::Error; });
    fold.push_back({id.check.verdict, id.checkable,
                    k == Kind::Imei || k == Kind::Imeisv || k == Kind::Meid || k == Kind::Esn,
                    registers::can_prove_absence(ident::to_string(k)), answered});
    out.identifiers.push_back(std::move(id));
  }
  out.verdict = registers::fold_device(fold, device.status() != "error");
  for (auto& f : imei_disagreements(out.identifiers)) out.findings.push_back(std::move(f));
  for (const auto& p : device.probes)
    for (const auto& f : p.findings) out.findings.push_back({f.code, f.message, p.plugin_id});
  out.verdict = limit_by_findings(out.verdict, out.findings);
  return out;
}

registers::Verdict limit_by_findings(registers::Verdict verdict,
                                     const std::vector<tac::Finding>& findings) {
  if (verdict != registers::Verdict::Clear) return verdict;
  for (const auto& f : findings)
    if (f.code.ends_with("_withheld") || f.code == "imei_disagreement")
      return registers::Verdict::Unknown;
  return verdict;
}

void add_assessment_json(nlohmann::json& j, const Assessment& a) {
  using nlohmann::json;
  j["verdict"] = registers::to_string(a.verdict);
  json ids = json::array();
  for (const auto& id : a.identifiers) {
    const auto& r = id.check;
    json o;
    o["kind"] =
        r.identifier ? ident::to_string(r.identifier->kind) : ident::to_string(r.input.kind);
    o["canonical"] = r.identifier ? json(r.identifier->canonical) : json(nullptr);
    o["valid"] = r.valid();
    if (!r.identifier) o["error"] = r.identifier.error().reason;
    if (!id.brand.empty()) o["brand"] = id.brand;
    if (!id.model.empty()) o["model"] = id.model;
    o["verdict"] = registers::to_string(r.verdict);
    if (!r.not_clear.empty()) o["not_clear"] = r.not_clear;
    o["conflict"] = r.conflict;
    json srcs = json::array();
    for (const auto& s : id.sources)
      srcs.push_back(
          {{"plugin", s.plugin}, {"claim", s.claim}, {"value", s.value}, {"method", s.method}});
    o["sources"] = srcs;
    json hits = json::array(), regs = json::array();
    for (const auto& ans : r.answers) {
      for (const auto& h : ans.hits)
        hits.push_back(
            {{"register", ans.register_id},
             {"status", h.status},
             {"reported_at", h.reported_at.empty() ? json(nullptr) : json(h.reported_at)},
             {"reporting_party",
              h.reporting_party.empty() ? json(nullptr) : json(h.reporting_party)},
             {"reference", h.reference.empty() ? json(nullptr) : json(h.reference)}});
      regs.push_back(
          {{"id", ans.register_id},
           {"outcome", registers::to_string(ans.outcome)},
           {"latency_ms", std::round(ans.latency_ms * 1000) / 1000},
           {"asked_at", ans.asked_at.empty() ? json(nullptr) : json(ans.asked_at)},
           {"answer_sha256", ans.answer_sha256.empty() ? json(nullptr) : json(ans.answer_sha256)},
           {"error", ans.error.empty() ? json(nullptr) : json(ans.error)}});
    }
    o["hits"] = hits;
    o["registers"] = regs;
    ids.push_back(std::move(o));
  }
  j["identifiers"] = ids;
  json findings = json::array();
  for (const auto& f : a.findings) {
    json o = {{"code", f.code}, {"message", f.message}};
    if (!f.plugin.empty()) o["plugin"] = f.plugin;
    findings.push_back(std::move(o));
  }
  j["findings"] = findings;
}

}  // namespace dfx::scan
