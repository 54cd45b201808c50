// The simulators' clock: the system clock plus an offset that only grows, back to 0 on reset.
#include "gateway_sim/sim_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace gateway_sim {
namespace {
using namespace std::chrono_literals;

TEST(SimClock, AdvancesAndResets) {
  SimClock clock;
  EXPECT_EQ(clock.offset(), 0s);
  clock.advance(90s);
  clock.advance(10s);
  EXPECT_EQ(clock.offset(), 100s);
  EXPECT_GE(clock.now(), std::chrono::system_clock::now() + 99s);
  clock.advance(-50s);
  EXPECT_EQ(clock.offset(), 100s);
  clock.reset();
  EXPECT_EQ(clock.offset(), 0s);
  EXPECT_LT(clock.now(), std::chrono::system_clock::now() + 1s);
}

TEST(SimClock, UnixSeconds) {
  EXPECT_EQ(unix_seconds(platform::TimePoint{} + 1700000000s + 999ms), 1700000000);
}

}  // namespace
}  // namespace gateway_sim
