#include "registers/checker.hpp"

namespace dfx::registers {

Lookup lookup_for(const ident::Identifier& id) {
  if (id.kind == ident::Kind::Imeisv && !id.derived.imei.empty()) return {"imei", id.derived.imei};
  return {std::string(ident::to_string(id.kind)), id.canonical};
}

std::vector<CheckResult> Checker::check(std::span<const CheckInput> inputs) {
  std::vector<CheckResult> results;
  results.reserve(inputs.size());
  std::vector<Lookup> lookups;
  std::vector<std::size_t> asked;  // positions in results of the lookups
  for (const auto& in : inputs) {
    CheckResult r{.input = in, .identifier = ident::normalize(in.value, in.kind)};
    ++position_;
    if (r.identifier) {
      r.lookup = lookup_for(*r.identifier);
      if (const auto first = first_seen_.seen(r.lookup->kind + ":" + r.lookup->identifier,
                                              in.line != 0 ? in.line : position_))
        r.duplicate_of = *first;
      lookups.push_back(*r.lookup);
      asked.push_back(results.size());
    }
    results.push_back(std::move(r));
  }
  auto answers = registers_.query(lookups);
  for (std::size_t k = 0; k < asked.size(); ++k) results[asked[k]].answers = std::move(answers[k]);
  for (auto& r : results) {
    const std::string_view kind = r.lookup ? std::string_view(r.lookup->kind) : std::string_view();
    r.verdict = identifier_verdict(r.valid(), r.answers, can_prove_absence(kind));
    r.conflict = registers_disagree(r.answers);
    r.not_clear = not_clear_reason(r.verdict, kind, r.answers);
  }
  return results;
}

}  // namespace dfx::registers
