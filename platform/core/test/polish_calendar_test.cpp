#include "platform/polish_calendar.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {
using namespace std::chrono;
using platform::add_working_days;
using platform::format_date;
using platform::from_warsaw;
using platform::parse_date;
using platform::to_warsaw;

year_month_day date(const std::string& text) {
  auto parsed = parse_date(text);
  if (!parsed) throw std::invalid_argument("bad test date " + text);
  return *parsed;
}

platform::TimePoint utc(const std::string& day, int hour, int minute) {
  return sys_days{date(day)} + hours{hour} + minutes{minute};
}

// Every public holiday of 2024-2030, written out by hand from the law and the Easter dates
// 2024-03-31, 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16, 2029-04-01, 2030-04-21.
const std::map<int, std::vector<std::string>>& holiday_table() {
  static const std::map<int, std::vector<std::string>> table = {
      {2024,
       {"2024-01-01", "2024-01-06", "2024-03-31", "2024-04-01", "2024-05-01", "2024-05-03",
        "2024-05-19", "2024-05-30", "2024-08-15", "2024-11-01", "2024-11-11", "2024-12-25",
        "2024-12-26"}},
      {2025,
       {"2025-01-01", "2025-01-06", "2025-04-20", "2025-04-21", "2025-05-01", "2025-05-03",
        "2025-06-08", "2025-06-19", "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-24",
        "2025-12-25", "2025-12-26"}},
      {2026,
       {"2026-01-01", "2026-01-06", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-03",
        "2026-05-24", "2026-06-04", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-24",
        "2026-12-25", "2026-12-26"}},
      {2027,
       {"2027-01-01", "2027-01-06", "2027-03-28", "2027-03-29", "2027-05-01", "2027-05-03",
        "2027-05-16", "2027-05-27", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-24",
        "2027-12-25", "2027-12-26"}},
      {2028,
       {"2028-01-01", "2028-01-06", "2028-04-16", "2028-04-17", "2028-05-01", "2028-05-03",
        "2028-06-04", "2028-06-15", "2028-08-15", "2028-11-01", "2028-11-11", "2028-12-24",
        "2028-12-25", "2028-12-26"}},
      {2029,
       {"2029-01-01", "2029-01-06", "2029-04-01", "2029-04-02", "2029-05-01", "2029-05-03",
        "2029-05-20", "2029-05-31", "2029-08-15", "2029-11-01", "2029-11-11", "2029-12-24",
        "2029-12-25", "2029-12-26"}},
      {2030,
       {"2030-01-01", "2030-01-06", "2030-04-21", "2030-04-22", "2030-05-01", "2030-05-03",
        "2030-06-09", "2030-06-20", "2030-08-15", "2030-11-01", "2030-11-11", "2030-12-24",
        "2030-12-25", "2030-12-26"}},
  };
  return table;
}

TEST(PolishCalendar, EveryHolidayOf2024To2030MatchesTheTable) {
  for (const auto& [year_number, expected] : holiday_table()) {
    std::vector<std::string> found;
    const sys_days first{year{year_number} / January / 1};
    const sys_days end{year{year_number + 1} / January / 1};
    for (auto day = first; day < end; day += days{1}) {
      if (platform::is_polish_holiday(year_month_day{day})) {
        found.push_back(format_date(year_month_day{day}));
      }
    }
    EXPECT_EQ(found, expected) << "year " << year_number;
  }
}

TEST(PolishCalendar, EasterMatchesTheKnownDates) {
  const std::map<int, std::string> easter = {
      {2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"},
      {2027, "2027-03-28"}, {2028, "2028-04-16"}, {2029, "2029-04-01"},
      {2030, "2030-04-21"}, {2038, "2038-04-25"}, {2285, "2285-03-22"}};
  for (const auto& [year_number, day] : easter) {
    EXPECT_EQ(format_date(platform::easter_sunday(year{year_number})), day);
  }
}

TEST(PolishCalendar, NamesTheHolidaysInPolish) {
  EXPECT_EQ(platform::polish_holiday_name(date("2026-12-25")), "Boże Narodzenie");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-12-26")), "Drugi dzień Bożego Narodzenia");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-12-24")), "Wigilia Bożego Narodzenia");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-04-05")), "Wielkanoc");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-04-06")), "Poniedziałek Wielkanocny");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-05-24")), "Zielone Świątki");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-06-04")), "Boże Ciało");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-05-03")), "Święto Konstytucji 3 Maja");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-11-11")), "Narodowe Święto Niepodległości");
  EXPECT_EQ(platform::polish_holiday_name(date("2026-04-03")), std::nullopt);  // Good Friday
  EXPECT_EQ(platform::polish_holiday_name(date("2026-12-31")), std::nullopt);
}

TEST(PolishCalendar, ChristmasEveOnlyFrom2025AndThreeKingsOnlyFrom2011) {
  EXPECT_FALSE(platform::is_polish_holiday(date("2024-12-24")));
  EXPECT_TRUE(platform::is_polish_holiday(date("2025-12-24")));
  EXPECT_FALSE(platform::is_polish_holiday(date("2010-01-06")));
  EXPECT_TRUE(platform::is_polish_holiday(date("2011-01-06")));
}

TEST(PolishCalendar, WorkingDaysAreWeekdaysThatAreNotHolidays) {
  EXPECT_TRUE(platform::is_working_day(date("2026-12-02")));   // Wednesday
  EXPECT_FALSE(platform::is_working_day(date("2026-12-05")));  // Saturday
  EXPECT_FALSE(platform::is_working_day(date("2026-12-06")));  // Sunday
  EXPECT_FALSE(platform::is_working_day(date("2026-12-24")));  // Thursday, Wigilia
  EXPECT_TRUE(platform::is_working_day(date("2024-12-24")));   // Tuesday, before the amendment
  EXPECT_EQ(platform::weekday_of(date("2026-12-02")), Wednesday);
  EXPECT_EQ(platform::weekday_of(date("2024-02-29")), Thursday);
}

TEST(PolishCalendar, AddsWorkingDaysAcrossLongWeekends) {
  // 1 May (Friday), 3 May (Sunday).
  EXPECT_EQ(add_working_days(date("2026-04-30"), 1), date("2026-05-04"));
  // 24-26 December 2026 are Thursday to Saturday.
  EXPECT_EQ(add_working_days(date("2026-12-23"), 1), date("2026-12-28"));
  EXPECT_EQ(add_working_days(date("2026-12-23"), 2), date("2026-12-29"));
  // Good Friday is a working day, Easter Monday is not.
  EXPECT_EQ(add_working_days(date("2026-04-02"), 1), date("2026-04-03"));
  EXPECT_EQ(add_working_days(date("2026-04-03"), 1), date("2026-04-07"));
  // Across New Year and 6 January (Wednesday 2027).
  EXPECT_EQ(add_working_days(date("2026-12-31"), 1), date("2027-01-04"));
  EXPECT_EQ(add_working_days(date("2027-01-05"), 1), date("2027-01-07"));
  EXPECT_EQ(add_working_days(date("2026-12-04"), 1), date("2026-12-07"));  // Friday to Monday
  EXPECT_EQ(add_working_days(date("2026-12-02"), 5), date("2026-12-09"));
}

TEST(PolishCalendar, ZeroWorkingDaysIsTheDayItselfOrTheNextWorkingDay) {
  EXPECT_EQ(add_working_days(date("2026-12-02"), 0), date("2026-12-02"));
  EXPECT_EQ(add_working_days(date("2026-05-01"), 0), date("2026-05-04"));
  EXPECT_EQ(add_working_days(date("2026-12-24"), 0), date("2026-12-28"));
}

TEST(PolishCalendar, NegativeWorkingDaysGoBack) {
  EXPECT_EQ(add_working_days(date("2026-05-04"), -1), date("2026-04-30"));
  EXPECT_EQ(add_working_days(date("2026-12-28"), -2), date("2026-12-22"));
}

TEST(PolishCalendar, ParsesDatesStrictly) {
  EXPECT_EQ(parse_date("2026-12-24"), year{2026} / December / 24);
  EXPECT_EQ(parse_date("2024-02-29"), year{2024} / February / 29);
  for (const char* bad :
       {"2026-02-30", "2025-02-29", "2026-2-3", "2026-02-3", "2026-02-03x", "2026-02-03 ",
        " 2026-02-03", "2026/02/03", "", "2026-13-01", "2026-00-10", "2026-01-00", "+026-01-01",
        "2026-01-1a", "20260101", "2026-01-01T00:00:00Z"}) {
    EXPECT_EQ(parse_date(bad), std::nullopt) << bad;
  }
}

TEST(PolishCalendar, FormatsDatesZeroPadded) {
  EXPECT_EQ(format_date(year{2026} / December / 24), "2026-12-24");
  EXPECT_EQ(format_date(year{2027} / January / 6), "2027-01-06");
  EXPECT_EQ(format_date(year{999} / March / 1), "0999-03-01");
  EXPECT_EQ(format_date(*parse_date("2028-02-29")), "2028-02-29");
}

TEST(PolishCalendar, WarsawIsUtcPlusOneInWinterAndTwoInSummer) {
  auto winter = to_warsaw(utc("2026-12-02", 13, 0));
  EXPECT_EQ(winter.date, date("2026-12-02"));
  EXPECT_EQ(winter.time_of_day, hours{14});
  auto summer = to_warsaw(utc("2026-07-01", 22, 30));
  EXPECT_EQ(summer.date, date("2026-07-02"));
  EXPECT_EQ(summer.time_of_day, minutes{30});
  auto new_year = to_warsaw(utc("2026-12-31", 23, 30) + seconds{59});
  EXPECT_EQ(new_year.date, date("2027-01-01"));
  EXPECT_EQ(new_year.time_of_day, minutes{30});
}

TEST(PolishCalendar, SpringForwardOnTheLastSundayOfMarchAt0100Utc) {
  // 2026-03-29: 02:00 CET becomes 03:00 CEST.
  EXPECT_EQ(to_warsaw(utc("2026-03-29", 0, 59)).time_of_day, hours{1} + minutes{59});
  EXPECT_EQ(to_warsaw(utc("2026-03-29", 1, 0)).time_of_day, hours{3});
  EXPECT_EQ(from_warsaw(date("2026-03-29"), hours{1} + minutes{59}), utc("2026-03-29", 0, 59));
  EXPECT_EQ(from_warsaw(date("2026-03-29"), hours{3}), utc("2026-03-29", 1, 0));
  // 02:30 does not exist that night: an hour later, 03:30 CEST.
  EXPECT_EQ(from_warsaw(date("2026-03-29"), hours{2} + minutes{30}), utc("2026-03-29", 1, 30));
  EXPECT_EQ(to_warsaw(utc("2026-03-29", 1, 30)).time_of_day, hours{3} + minutes{30});
  // The Saturday before is still winter, the Monday after summer.
  EXPECT_EQ(from_warsaw(date("2026-03-28"), hours{14}), utc("2026-03-28", 13, 0));
  EXPECT_EQ(from_warsaw(date("2026-03-30"), hours{14}), utc("2026-03-30", 12, 0));
  // 2027: 28 March.
  EXPECT_EQ(to_warsaw(utc("2027-03-28", 1, 0)).time_of_day, hours{3});
}

TEST(PolishCalendar, FallBackOnTheLastSundayOfOctoberAt0100Utc) {
  // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happen twice.
  EXPECT_EQ(to_warsaw(utc("2026-10-25", 0, 59)).time_of_day, hours{2} + minutes{59});
  EXPECT_EQ(to_warsaw(utc("2026-10-25", 1, 0)).time_of_day, hours{2});
  EXPECT_EQ(from_warsaw(date("2026-10-25"), hours{2} + minutes{30}), utc("2026-10-25", 0, 30));
  EXPECT_EQ(from_warsaw(date("2026-10-25"), hours{3}), utc("2026-10-25", 2, 0));
  EXPECT_EQ(from_warsaw(date("2026-10-25"), hours{1} + minutes{59}), utc("2026-10-24", 23, 59));
  // 2027: 31 October.
  EXPECT_EQ(to_warsaw(utc("2027-10-31", 0, 59)).time_of_day, hours{2} + minutes{59});
  EXPECT_EQ(to_warsaw(utc("2027-10-31", 1, 0)).time_of_day, hours{2});
}

TEST(PolishCalendar, FromWarsawUndoesToWarsawExceptForTheRepeatedHour) {
  const sys_days first{year{2026} / January / 1};
  for (auto t = platform::TimePoint{first}; t < platform::TimePoint{first + days{366}};
       t += minutes{15}) {
    const auto local = to_warsaw(t);
    const auto back = from_warsaw(local.date, local.time_of_day);
    if (back == t) continue;
    // The second 02:xx of 25 October maps to the first.
    EXPECT_EQ(local.date, date("2026-10-25"));
    EXPECT_EQ(local.time_of_day / hours{1}, 2);
    EXPECT_EQ(back, t - hours{1});
  }
}

TEST(PolishCalendar, FromWarsawRollsTimeOfDayOverIntoNeighbouringDays) {
  EXPECT_EQ(from_warsaw(date("2026-12-02"), hours{24}), utc("2026-12-02", 23, 0));
  EXPECT_EQ(from_warsaw(date("2026-12-02"), -minutes{30}), utc("2026-12-01", 22, 30));
}

}  // namespace
