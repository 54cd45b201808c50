#include "sim_clock.hpp"

#include <gtest/gtest.h>

namespace {
using namespace std::chrono;

TEST(CarrierClock, ParsesRfc3339Timestamps) {
  const auto base = sys_days{year{2026} / December / 2} + hours{13} + minutes{59};
  EXPECT_EQ(carrier_sim::parse_timestamp("2026-12-02T13:59:00Z"), base);
  EXPECT_EQ(carrier_sim::parse_timestamp("2026-12-02t13:59:00z"), base);
  EXPECT_EQ(carrier_sim::parse_timestamp("2026-12-02T14:59:00+01:00"), base);
  EXPECT_EQ(carrier_sim::parse_timestamp("2026-12-02T12:29:00-01:30"), base);
  EXPECT_EQ(carrier_sim::parse_timestamp("2026-12-02T13:59:00.250Z"), base + milliseconds{250});
  for (const char* bad :
       {"2026-12-02T13:59:00", "2026-12-02 13:59:00Z", "2026-12-02T24:00:00Z",
        "2026-12-02T13:60:00Z", "2026-02-30T13:59:00Z", "2026-12-02T13:59Z",
        "2026-12-02T13:59:00.Z", "2026-12-02T13:59:00+0100", "2026-12-02T13:59:00ZZ", ""}) {
    EXPECT_EQ(carrier_sim::parse_timestamp(bad), std::nullopt) << bad;
  }
}

TEST(CarrierClock, FormatsWholeSecondsInUtc) {
  const auto instant = sys_days{year{2026} / December / 2} + hours{10} + milliseconds{999};
  EXPECT_EQ(carrier_sim::format_timestamp(instant), "2026-12-02T10:00:00Z");
}

TEST(CarrierClock, FixedOrSystem) {
  carrier_sim::SimClock clock;
  EXPECT_FALSE(clock.fixed());
  const auto fixed = platform::TimePoint{sys_days{year{2026} / December / 2}};
  clock.fix(fixed);
  EXPECT_EQ(clock.now(), fixed);
  EXPECT_EQ(clock.fixed(), fixed);
  clock.fix(std::nullopt);
  EXPECT_NE(clock.now(), fixed);
}

}  // namespace
