// The duplicate tracker of a streamed check: exact for what it keeps, bounded in what it keeps.
#include "registers/duplicate_tracker.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using dfx::registers::DuplicateTracker;

TEST(DuplicateTracker, SaysWhereAnIdentifierCameFirst) {
  DuplicateTracker t;
  EXPECT_FALSE(t.seen("imei:352099001761481", 3));
  EXPECT_FALSE(t.seen("imei:353812084788745", 4));
  EXPECT_EQ(t.seen("imei:352099001761481", 9), 3u);
  EXPECT_EQ(t.seen("imei:352099001761481", 12), 3u) << "always the first place";
  EXPECT_FALSE(t.seen("serial:352099001761481", 13)) << "the kind is part of the identity";
  EXPECT_EQ(t.size(), 3u);
  EXPECT_FALSE(t.saturated());
}

TEST(DuplicateTracker, ManyIdentifiersAreAllFound) {
  DuplicateTracker t;
  for (std::size_t i = 0; i < 200000; ++i) EXPECT_FALSE(t.seen("imei:" + std::to_string(i), i));
  std::size_t found = 0;
  for (std::size_t i = 0; i < 200000; ++i) found += t.seen("imei:" + std::to_string(i), 0) == i;
  EXPECT_EQ(found, 200000u);
}

TEST(DuplicateTracker, StopsGrowingAtItsCapAndSaysSo) {
  DuplicateTracker t(1000);
  for (std::size_t i = 0; i < 1500; ++i) t.seen("imei:" + std::to_string(i), i + 1);
  EXPECT_EQ(t.size(), 1000u);
  EXPECT_TRUE(t.saturated());
  EXPECT_EQ(t.seen("imei:5", 99999), 6u) << "what it kept is still found";
  EXPECT_FALSE(t.seen("imei:1400", 99999)) << "what came after the cap is not";
}

}  // namespace
