// The consumer's pure bookkeeping: which lane a message goes to, and what may be committed while
// several messages of a partition are in flight.
#include "in_flight_offsets.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace platform::kafka::detail {
namespace {

using Commits = std::vector<std::pair<InFlightOffsets::Partition, std::int64_t>>;

const InFlightOffsets::Partition kP0{"t", 0};
const InFlightOffsets::Partition kP1{"t", 1};

TEST(LaneOf, SameKeySameLaneWhateverThePartition) {
  for (int i = 0; i < 100; ++i) {
    const auto key = "cart-" + std::to_string(i);
    const auto lane = lane_of(key, 0, 16);
    EXPECT_LT(lane, 16u);
    EXPECT_EQ(lane_of(key, 2, 16), lane);
  }
}

TEST(LaneOf, EmptyKeyGoesByPartition) {
  EXPECT_EQ(lane_of("", 0, 4), 0u);
  EXPECT_EQ(lane_of("", 3, 4), 3u);
  EXPECT_EQ(lane_of("", 5, 4), 1u);
}

TEST(LaneOf, KeysSpreadOverTheLanes) {
  std::set<std::size_t> used;
  for (int i = 0; i < 200; ++i) used.insert(lane_of("k-" + std::to_string(i), 0, 8));
  EXPECT_EQ(used.size(), 8u);
}

TEST(LaneOf, OneLaneTakesEverything) {
  EXPECT_EQ(lane_of("a", 7, 1), 0u);
  EXPECT_EQ(lane_of("", 7, 1), 0u);
}

TEST(InFlightOffsets, NothingToCommitBeforeAMessageFinished) {
  InFlightOffsets offsets;
  const auto gen = offsets.reset();
  ASSERT_TRUE(offsets.begin(kP0, 10, gen));
  ASSERT_TRUE(offsets.begin(kP0, 11, gen));
  EXPECT_TRUE(offsets.take_commits().empty());
}

TEST(InFlightOffsets, CommitStopsAtTheLowestUnfinished) {
  InFlightOffsets offsets;
  const auto gen = offsets.reset();
  for (std::int64_t o = 0; o < 4; ++o) ASSERT_TRUE(offsets.begin(kP0, o, gen));
  offsets.finish(kP0, 2, gen);
  offsets.finish(kP0, 3, gen);
  EXPECT_TRUE(offsets.take_commits().empty());  // 0 is still in flight
  offsets.finish(kP0, 0, gen);
  EXPECT_EQ(offsets.take_commits(), (Commits{{kP0, 1}}));  // 1 is still in flight
  offsets.finish(kP0, 1, gen);
  EXPECT_EQ(offsets.take_commits(), (Commits{{kP0, 4}}));
  EXPECT_TRUE(offsets.take_commits().empty());  // nothing moved since
}

TEST(InFlightOffsets, SkippedOffsetsCommitPastTheHighestDispatched) {
  InFlightOffsets offsets;
  const auto gen = offsets.reset();
  ASSERT_TRUE(offsets.begin(kP0, 5, gen));
  ASSERT_TRUE(offsets.begin(kP0, 9, gen));  // 6..8 compacted away or control records
  offsets.finish(kP0, 9, gen);
  offsets.finish(kP0, 5, gen);
  EXPECT_EQ(offsets.take_commits(), (Commits{{kP0, 10}}));
}

TEST(InFlightOffsets, PartitionsAreIndependent) {
  InFlightOffsets offsets;
  const auto gen = offsets.reset();
  ASSERT_TRUE(offsets.begin(kP0, 0, gen));
  ASSERT_TRUE(offsets.begin(kP1, 0, gen));
  ASSERT_TRUE(offsets.begin(kP1, 1, gen));
  offsets.finish(kP1, 0, gen);
  EXPECT_EQ(offsets.take_commits(), (Commits{{kP1, 1}}));
}

TEST(InFlightOffsets, OlderGenerationChangesNothing) {
  InFlightOffsets offsets;
  const auto old_gen = offsets.reset();
  ASSERT_TRUE(offsets.begin(kP0, 0, old_gen));
  ASSERT_TRUE(offsets.begin(kP0, 1, old_gen));
  const auto gen = offsets.reset();  // rebalance
  EXPECT_NE(gen, old_gen);
  EXPECT_EQ(offsets.generation(), gen);
  offsets.finish(kP0, 0, old_gen);
  offsets.finish(kP0, 1, old_gen);
  EXPECT_FALSE(offsets.begin(kP0, 2, old_gen));
  EXPECT_TRUE(offsets.take_commits().empty());

  // The partition comes back: its progress starts over from what is read now.
  ASSERT_TRUE(offsets.begin(kP0, 0, gen));
  offsets.finish(kP0, 1, old_gen);  // a late finish from before does not count
  EXPECT_TRUE(offsets.take_commits().empty());
  offsets.finish(kP0, 0, gen);
  EXPECT_EQ(offsets.take_commits(), (Commits{{kP0, 1}}));
}

// Random finishing orders against the reference: a commit never passes an unfinished offset,
// commits only grow, and once everything finished the next offset is committed.
TEST(InFlightOffsets, RandomFinishOrdersNeverCommitPastAnUnfinishedMessage) {
  std::mt19937 rng(20260101);
  for (int round = 0; round < 200; ++round) {
    InFlightOffsets offsets;
    const auto gen = offsets.reset();
    const std::int64_t first = rng() % 100;
    const int count = 1 + static_cast<int>(rng() % 40);
    std::set<std::int64_t> unfinished;
    std::int64_t dispatched = 0;
    std::int64_t last_commit = first;
    std::vector<std::int64_t> finishing;
    while (dispatched < count || !finishing.empty()) {
      if (dispatched < count && (finishing.empty() || rng() % 2 == 0)) {
        ASSERT_TRUE(offsets.begin(kP0, first + dispatched, gen));
        unfinished.insert(first + dispatched);
        finishing.push_back(first + dispatched);
        ++dispatched;
      } else {
        const auto pick = rng() % finishing.size();
        const auto offset = finishing[pick];
        finishing.erase(finishing.begin() + static_cast<std::ptrdiff_t>(pick));
        offsets.finish(kP0, offset, gen);
        unfinished.erase(offset);
      }
      if (rng() % 3 == 0) {
        for (const auto& [partition, offset] : offsets.take_commits()) {
          const auto limit = unfinished.empty() ? first + dispatched : *unfinished.begin();
          EXPECT_LE(offset, limit);
          EXPECT_GT(offset, last_commit);
          last_commit = offset;
        }
      }
    }
    for (const auto& [partition, offset] : offsets.take_commits()) last_commit = offset;
    EXPECT_EQ(last_commit, first + count);
  }
}

}  // namespace
}  // namespace platform::kafka::detail
