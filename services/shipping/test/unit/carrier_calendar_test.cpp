// Reading the carrier's calendar answer (tools/carrier_calendar/README.md): pure, no I/O.
#include "carrier_calendar.hpp"

#include <gtest/gtest.h>

namespace shipping {
namespace {
using namespace std::chrono;

TEST(CarrierCalendar, ReadsDaysWindowsAndReasons) {
  const auto calendar = parse_carrier_calendar(R"({
    "service": "standard", "postal_code": "00-950", "region": "warszawa",
    "generated_at": "2026-12-02T10:00:00Z", "cutoff": "14:00",
    "days": [
      {"date": "2026-12-03", "available": true, "capacity_left": 37,
       "windows": [{"from": "08:00", "to": "16:00"}, {"from": "18:00", "to": "22:00"}]},
      {"date": "2026-12-25", "available": false, "reason": "holiday",
       "holiday": "Boże Narodzenie", "capacity_left": 0, "windows": []}]})");
  ASSERT_TRUE(calendar) << calendar.error().message;
  EXPECT_EQ(calendar->region, "warszawa");
  ASSERT_EQ(calendar->days.size(), 2U);
  EXPECT_EQ(calendar->days[0].date, 2026y / December / 3);
  EXPECT_TRUE(calendar->days[0].available);
  ASSERT_EQ(calendar->days[0].windows.size(), 2U);
  EXPECT_EQ(calendar->days[0].windows[1].from, 18h);
  EXPECT_EQ(calendar->days[0].windows[1].to, 22h);
  EXPECT_FALSE(calendar->days[1].available);
  EXPECT_EQ(calendar->days[1].reason, "holiday");
  EXPECT_EQ(calendar->days[1].holiday, "Boże Narodzenie");
}

TEST(CarrierCalendar, AGarbledAnswerIsAsGoodAsDown) {
  for (const char* body : {"", "[]", "{}", R"({"days": 3})",
                           R"({"days": [{"date": "2026-02-30", "available": true}]})",
                           R"({"days": [{"date": "2026-12-03"}]})",
                           R"({"days": [{"date": "2026-12-03", "available": true,
                                         "windows": [{"from": "8", "to": "16:00"}]}]})"}) {
    const auto calendar = parse_carrier_calendar(body);
    ASSERT_FALSE(calendar) << body;
    EXPECT_EQ(calendar.error().code, platform::Errc::unavailable) << body;
  }
}

}  // namespace
}  // namespace shipping
