#include "registers/verdict.hpp"

#include <algorithm>

namespace dfx::registers {

std::vector<Answer> error_answers(std::size_t n, const std::string& register_id,
                                  const std::string& why) {
  std::vector<Answer> out(n);
  for (auto& a : out) {
    a.register_id = register_id;
    a.outcome = Outcome::Error;
    a.error = why;
  }
  return out;
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Hit:
      return "hit";
    case Outcome::Miss:
      return "miss";
    case Outcome::Error:
      return "error";
  }
  return "error";
}

bool is_known_status(std::string_view status) {
  return std::find(std::begin(kHitStatuses), std::end(kHitStatuses), status) !=
         std::end(kHitStatuses);
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Clear:
      return "clear";
    case Verdict::Flagged:
      return "flagged";
    case Verdict::Unknown:
      return "unknown";
    case Verdict::Invalid:
      return "invalid";
  }
  return "unknown";
}

bool can_prove_absence(std::string_view kind) {
  return kind != "serial";
}

Verdict identifier_verdict(bool valid, std::span<const Answer> answers, bool can_clear) {
  if (!valid) return Verdict::Invalid;
  if (std::any_of(answers.begin(), answers.end(),
                  [](const Answer& a) { return a.outcome == Outcome::Hit; }))
    return Verdict::Flagged;
  if (answers.empty()) return Verdict::Unknown;  // nobody could say it is clear
  const bool all_miss = std::all_of(answers.begin(), answers.end(),
                                    [](const Answer& a) { return a.outcome == Outcome::Miss; });
  return all_miss && can_clear ? Verdict::Clear : Verdict::Unknown;
}

std::string not_clear_reason(Verdict verdict, std::string_view kind,
                             std::span<const Answer> answers) {
  if (verdict != Verdict::Unknown) return {};
  if (answers.empty())
    return "no configured register accepts " + std::string(kind) + " identifiers";
  for (const auto& a : answers)
    if (a.outcome == Outcome::Error) return "register " + a.register_id + " could not be asked";
  if (!can_prove_absence(kind))
    return "no record, but a " + std::string(kind) +
           " number cannot show that a phone is not reported (registers list phones by IMEI): "
           "check the phone's IMEI";
  return "not every register answered";
}

bool registers_disagree(std::span<const Answer> answers) {
  bool any_hit = false, any_miss = false;
  const std::string* status = nullptr;
  bool statuses_differ = false;
  for (const auto& a : answers) {
    if (a.outcome == Outcome::Miss) any_miss = true;
    if (a.outcome != Outcome::Hit) continue;
    any_hit = true;
    for (const auto& h : a.hits) {
      if (status == nullptr)
        status = &h.status;
      else if (*status != h.status)
        statuses_differ = true;
    }
  }
  return (any_hit && any_miss) || statuses_differ;
}

Verdict fold_device(std::span<const DeviceIdentifier> identifiers, bool read_completely) {
  bool any_handset_id = false, all_clear = true;
  for (const auto& i : identifiers) {
    if (i.verdict == Verdict::Flagged) return Verdict::Flagged;
    if (!i.checkable) continue;
    if (!i.can_clear) {
      if (!i.answered) all_clear = false;
      continue;
    }
    if (i.verdict != Verdict::Clear) all_clear = false;
    if (i.handset_id && i.verdict == Verdict::Clear) any_handset_id = true;
  }
  return read_completely && any_handset_id && all_clear ? Verdict::Clear : Verdict::Unknown;
}

std::optional<Verdict> worst(std::span<const Verdict> verdicts) {
  if (verdicts.empty()) return std::nullopt;
  const auto rank = [](Verdict v) {
    switch (v) {
      case Verdict::Flagged:
        return 3;
      case Verdict::Unknown:
        return 2;
      case Verdict::Invalid:
        return 1;
      case Verdict::Clear:
        return 0;
    }
    return 2;
  };
  return *std::max_element(verdicts.begin(), verdicts.end(),
                           [&](Verdict a, Verdict b) { return rank(a) < rank(b); });
}

}  // namespace dfx::registers
