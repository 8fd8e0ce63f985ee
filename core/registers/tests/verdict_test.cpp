// The fail-closed verdict rules (registers/verdict.hpp).
#include "registers/verdict.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace dfx::registers;

Answer answer(const std::string& id, Outcome o, std::vector<std::string> statuses = {}) {
  Answer a;
  a.register_id = id;
  a.outcome = o;
  for (auto& s : statuses) a.hits.push_back({s, "2024-01-01", "party", "ref"});
  if (o == Outcome::Error) a.error = "timed out";
  return a;
}

TEST(Verdict, InvalidIsNeverAskedAndNeverClear) {
  EXPECT_EQ(identifier_verdict(false, {}), Verdict::Invalid);
  const std::vector<Answer> all_miss = {answer("a", Outcome::Miss)};
  EXPECT_EQ(identifier_verdict(false, all_miss), Verdict::Invalid);
}

TEST(Verdict, ClearOnlyWhenEveryAcceptingRegisterMissed) {
  EXPECT_EQ(identifier_verdict(
                true, std::vector<Answer>{answer("a", Outcome::Miss), answer("b", Outcome::Miss)}),
            Verdict::Clear);
  EXPECT_EQ(identifier_verdict(true, {}), Verdict::Unknown) << "no register accepts the kind";
}

TEST(Verdict, AnErroringRegisterMakesItUnknownNeverClear) {
  EXPECT_EQ(identifier_verdict(
                true, std::vector<Answer>{answer("a", Outcome::Miss), answer("b", Outcome::Error)}),
            Verdict::Unknown);
  EXPECT_EQ(identifier_verdict(true, std::vector<Answer>{answer("b", Outcome::Error)}),
            Verdict::Unknown);
}

TEST(Verdict, AnyHitFlagsWhateverTheOthersSay) {
  EXPECT_EQ(identifier_verdict(true, std::vector<Answer>{answer("a", Outcome::Error),
                                                         answer("b", Outcome::Hit, {"lost"})}),
            Verdict::Flagged);
  EXPECT_EQ(identifier_verdict(true, std::vector<Answer>{answer("a", Outcome::Miss),
                                                         answer("b", Outcome::Hit, {"stolen"})}),
            Verdict::Flagged);
}

TEST(Verdict, DisagreementIsDetectedNotMerged) {
  EXPECT_TRUE(registers_disagree(
      std::vector<Answer>{answer("a", Outcome::Miss), answer("b", Outcome::Hit, {"stolen"})}));
  EXPECT_TRUE(registers_disagree(std::vector<Answer>{answer("a", Outcome::Hit, {"lost"}),
                                                     answer("b", Outcome::Hit, {"stolen"})}));
  EXPECT_TRUE(
      registers_disagree(std::vector<Answer>{answer("a", Outcome::Hit, {"lost", "stolen"})}))
      << "one register with two records of different status";
  EXPECT_FALSE(registers_disagree(std::vector<Answer>{answer("a", Outcome::Hit, {"stolen"}),
                                                      answer("b", Outcome::Hit, {"stolen"})}));
  EXPECT_FALSE(registers_disagree(
      std::vector<Answer>{answer("a", Outcome::Miss), answer("b", Outcome::Error)}))
      << "an error next to a miss is unknown, not a conflict";
}

TEST(Verdict, DeviceFoldsItsIdentifiers) {
  using D = DeviceIdentifier;
  const D imei_clear{Verdict::Clear, true, true};
  EXPECT_EQ(fold_device(std::vector<D>{}), Verdict::Unknown) << "nothing to check";
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, {Verdict::Clear, true, false}}), Verdict::Clear);
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, {Verdict::Flagged, true, false}}),
            Verdict::Flagged)
      << "a flagged serial flags the phone";
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, {Verdict::Unknown, true, true}}),
            Verdict::Unknown)
      << "IMEI clear but IMEI2's register did not answer";
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, {Verdict::Invalid, true, true}}),
            Verdict::Unknown)
      << "an unreadable IMEI cannot be called clear";
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, {Verdict::Unknown, false, false}}),
            Verdict::Clear)
      << "a USB serial no register accepts does not block a clear IMEI";
  EXPECT_EQ(fold_device(std::vector<D>{{Verdict::Unknown, false, false}}), Verdict::Unknown)
      << "nothing checkable is not clear";
}

TEST(Verdict, ADeviceIsNeverClearWithoutItsHandsetIdentity) {
  using D = DeviceIdentifier;
  // A phone that did not authorise the workstation: only its serial number could be checked.
  EXPECT_EQ(fold_device(std::vector<D>{{Verdict::Clear, true, false}}), Verdict::Unknown);
  EXPECT_EQ(fold_device(std::vector<D>{{Verdict::Flagged, true, false}}), Verdict::Flagged)
      << "but a serial number on a register still flags it";
  EXPECT_EQ(fold_device(std::vector<D>{{Verdict::Clear, true, true}}, false), Verdict::Unknown)
      << "a probe failed: an identifier may be missing";
  EXPECT_EQ(fold_device(std::vector<D>{{Verdict::Flagged, true, true}}, false), Verdict::Flagged);
}

TEST(Verdict, ASerialNumbersMissNeverClears) {
  const std::vector<Answer> all_miss = {answer("a", Outcome::Miss), answer("b", Outcome::Miss)};
  EXPECT_FALSE(can_prove_absence("serial"));
  EXPECT_TRUE(can_prove_absence("imei"));
  EXPECT_EQ(identifier_verdict(true, all_miss, can_prove_absence("serial")), Verdict::Unknown);
  EXPECT_NE(not_clear_reason(Verdict::Unknown, "serial", all_miss).find("cannot show"),
            std::string::npos);
  const std::vector<Answer> hit = {answer("a", Outcome::Hit, {"stolen"})};
  EXPECT_EQ(identifier_verdict(true, hit, false), Verdict::Flagged) << "a hit still counts";
  EXPECT_EQ(not_clear_reason(Verdict::Unknown, "imei", {}),
            "no configured register accepts imei identifiers");
  const std::vector<Answer> down = {answer("a", Outcome::Miss), answer("b", Outcome::Error)};
  EXPECT_EQ(not_clear_reason(Verdict::Unknown, "imei", down), "register b could not be asked");
  EXPECT_EQ(not_clear_reason(Verdict::Clear, "imei", all_miss), "");

  // In a device, a serial's miss neither clears nor blocks the IMEI; a register that could not
  // be asked about the serial still blocks.
  using D = DeviceIdentifier;
  const D imei_clear{Verdict::Clear, true, true};
  const D serial_missed{Verdict::Unknown, true, false, false, true};
  const D serial_unasked{Verdict::Unknown, true, false, false, false};
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, serial_missed}), Verdict::Clear);
  EXPECT_EQ(fold_device(std::vector<D>{serial_missed}), Verdict::Unknown);
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, serial_unasked}), Verdict::Unknown);
  EXPECT_EQ(fold_device(std::vector<D>{imei_clear, {Verdict::Flagged, true, false, false, true}}),
            Verdict::Flagged);
}

TEST(Verdict, WorstOrdersFlaggedUnknownInvalidClear) {
  EXPECT_FALSE(worst(std::vector<Verdict>{}).has_value());
  EXPECT_EQ(*worst(std::vector<Verdict>{Verdict::Clear, Verdict::Invalid}), Verdict::Invalid);
  EXPECT_EQ(*worst(std::vector<Verdict>{Verdict::Invalid, Verdict::Unknown}), Verdict::Unknown);
  EXPECT_EQ(*worst(std::vector<Verdict>{Verdict::Unknown, Verdict::Flagged, Verdict::Clear}),
            Verdict::Flagged);
}

}  // namespace
