#pragma once
// The Polish calendar: ISO dates, public holidays (ustawa z dnia 18 stycznia 1951 r. o dniach
// wolnych od pracy), working days, and Europe/Warsaw local time without tzdata. Pure functions
// over std::chrono values: no I/O, no state, thread-safe.
//
// Holidays follow the law as it stands: the fixed ones, the movable ones computed from Easter
// (Gregorian computus), 6 January from 2011 and 24 December from 2025. Earlier changes of the law
// (before 2011) are not modelled. Warsaw time is CET (UTC+1), and CEST (UTC+2) from the last
// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, the EU rule since 1996.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.hpp"

namespace platform {

// "YYYY-MM-DD" strictly: exactly ten characters, zero-padded, a real calendar date
// ("2026-02-30", "2026-2-3", "2026-02-03 " and "2026-02-03x" are std::nullopt).
[[nodiscard]] std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
// "2026-12-24".
[[nodiscard]] std::string format_date(std::chrono::year_month_day date);

// Easter Sunday of `year` (Gregorian).
[[nodiscard]] std::chrono::year_month_day easter_sunday(std::chrono::year year);

// The Polish name of the public holiday on `date`, e.g. "Boże Narodzenie"; std::nullopt on
// other days. The view points at a string literal.
[[nodiscard]] std::optional<std::string_view> polish_holiday_name(std::chrono::year_month_day date);
[[nodiscard]] bool is_polish_holiday(std::chrono::year_month_day date);
// Monday to Friday and not a public holiday.
[[nodiscard]] bool is_working_day(std::chrono::year_month_day date);
// The n-th working day after `date` for n >= 1; for n == 0 `date` itself if it is a working day,
// else the next one; for n < 0 the |n|-th working day before `date`.
[[nodiscard]] std::chrono::year_month_day add_working_days(std::chrono::year_month_day date, int n);
[[nodiscard]] std::chrono::weekday weekday_of(std::chrono::year_month_day date);

// A wall-clock reading in Warsaw: the local date and the minutes since its midnight (0..1439).
struct WarsawLocal {
  std::chrono::year_month_day date;
  std::chrono::minutes time_of_day;
};

// The Warsaw date and time of `utc` (seconds and below are dropped, rounding down).
[[nodiscard]] WarsawLocal to_warsaw(TimePoint utc);
// The instant when Warsaw's clocks show `time_of_day` on `date`. In the autumn hour that happens
// twice, the earlier instant (still CEST); in the spring hour that never happens (02:00-02:59 on
// the last Sunday of March), the time one hour later (02:30 becomes 03:30 CEST). `time_of_day`
// outside 0..1439 minutes rolls over into the neighbouring days.
[[nodiscard]] TimePoint from_warsaw(std::chrono::year_month_day date,
                                    std::chrono::minutes time_of_day);

}  // namespace platform
