#include "platform/polish_calendar.hpp"

#include <cstddef>
#include <string>

namespace platform {
namespace {
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr int kWigiliaFromYear = 2025;      // 24 December, added by the 2024 amendment
constexpr int kThreeKingsFromYear = 2011;   // 6 January, added by the 2010 amendment
constexpr days kEasterToPentecost{49};      // Pentecost Sunday is the 7th Sunday after Easter
constexpr days kEasterToCorpusChristi{60};  // Corpus Christi is the Thursday after Trinity Sunday

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// `value` in decimal with leading zeros up to `width` digits (a minus sign comes first).
void append_padded(std::string& out, int value, std::size_t width) {
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  const auto digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

int number(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

std::optional<std::string_view> fixed_holiday(year_month_day date) {
  const int y = static_cast<int>(date.year());
  const unsigned m = static_cast<unsigned>(date.month());
  const unsigned d = static_cast<unsigned>(date.day());
  switch (m * 100 + d) {
    case 101:
      return "Nowy Rok";
    case 106:
      if (y >= kThreeKingsFromYear) return "Święto Trzech Króli";
      return std::nullopt;
    case 501:
      return "Święto Pracy";
    case 503:
      return "Święto Konstytucji 3 Maja";
    case 815:
      return "Wniebowzięcie Najświętszej Maryi Panny";
    case 1101:
      return "Wszystkich Świętych";
    case 1111:
      return "Narodowe Święto Niepodległości";
    case 1224:
      if (y >= kWigiliaFromYear) return "Wigilia Bożego Narodzenia";
      return std::nullopt;
    case 1225:
      return "Boże Narodzenie";
    case 1226:
      return "Drugi dzień Bożego Narodzenia";
    default:
      return std::nullopt;
  }
}

std::optional<std::string_view> movable_holiday(year_month_day date) {
  const sys_days easter{easter_sunday(date.year())};
  const sys_days day{date};
  if (day == easter) return "Wielkanoc";
  if (day == easter + days{1}) return "Poniedziałek Wielkanocny";
  if (day == easter + kEasterToPentecost) return "Zielone Świątki";
  if (day == easter + kEasterToCorpusChristi) return "Boże Ciało";
  return std::nullopt;
}

// Daylight saving time in Warsaw (EU rule): from the last Sunday of March to the last Sunday of
// October, both at 01:00 UTC.
sys_days last_sunday(year y, std::chrono::month m) {
  return sys_days{y / m / std::chrono::Sunday[std::chrono::last]};
}

bool summer_time_at(TimePoint utc) {
  const auto day = std::chrono::floor<days>(utc);
  const year y = year_month_day{day}.year();
  const TimePoint begins = last_sunday(y, std::chrono::March) + hours{1};
  const TimePoint ends = last_sunday(y, std::chrono::October) + hours{1};
  return utc >= begins && utc < ends;
}

minutes warsaw_offset_at(TimePoint utc) {
  return summer_time_at(utc) ? hours{2} : hours{1};
}
}  // namespace

std::optional<year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && !digit(text[i])) return std::nullopt;
  }
  const year_month_day date{year{number(text.substr(0, 4))},
                            std::chrono::month{static_cast<unsigned>(number(text.substr(5, 2)))},
                            std::chrono::day{static_cast<unsigned>(number(text.substr(8, 2)))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(year_month_day date) {
  std::string out;
  out.reserve(10);
  append_padded(out, static_cast<int>(date.year()), 4);
  out.push_back('-');
  append_padded(out, static_cast<int>(static_cast<unsigned>(date.month())), 2);
  out.push_back('-');
  append_padded(out, static_cast<int>(static_cast<unsigned>(date.day())), 2);
  return out;
}

year_month_day easter_sunday(year y) {
  // The anonymous Gregorian algorithm (Meeus, Jones, Butcher).
  const int n = static_cast<int>(y);
  const int a = n % 19;
  const int b = n / 100;
  const int c = n % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return year_month_day{y, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}};
}

std::optional<std::string_view> polish_holiday_name(year_month_day date) {
  if (!date.ok()) return std::nullopt;
  if (auto fixed = fixed_holiday(date)) return fixed;
  return movable_holiday(date);
}

bool is_polish_holiday(year_month_day date) {
  return polish_holiday_name(date).has_value();
}

bool is_working_day(year_month_day date) {
  const auto weekday = weekday_of(date);
  if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) return false;
  return !is_polish_holiday(date);
}

year_month_day add_working_days(year_month_day date, int n) {
  sys_days day{date};
  if (n == 0) {
    while (!is_working_day(year_month_day{day})) day += days{1};
    return year_month_day{day};
  }
  const days step{n > 0 ? 1 : -1};
  for (int left = n > 0 ? n : -n; left > 0;) {
    day += step;
    if (is_working_day(year_month_day{day})) --left;
  }
  return year_month_day{day};
}

std::chrono::weekday weekday_of(year_month_day date) {
  return std::chrono::weekday{sys_days{date}};
}

WarsawLocal to_warsaw(TimePoint utc) {
  const auto local = std::chrono::floor<minutes>(utc) + warsaw_offset_at(utc);
  const auto day = std::chrono::floor<days>(local);
  return WarsawLocal{year_month_day{day}, std::chrono::duration_cast<minutes>(local - day)};
}

TimePoint from_warsaw(year_month_day date, minutes time_of_day) {
  // The wall-clock reading as if it were UTC; the true instant is one or two hours earlier.
  const TimePoint wall = sys_days{date} + time_of_day;
  const TimePoint summer = wall - hours{2};
  if (summer_time_at(summer)) return summer;  // also the earlier of the two in autumn
  const TimePoint winter = wall - hours{1};
  // In the spring gap neither reading is consistent; the winter one lands an hour later on the
  // clock, which is what we want.
  return winter;
}

}  // namespace platform
