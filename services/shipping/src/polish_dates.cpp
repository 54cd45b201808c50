#include "polish_dates.hpp"

#include <array>

namespace shipping {
namespace {
constexpr std::array<std::string_view, 7> kNominative = {
    "niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota"};
constexpr std::array<std::string_view, 7> kAccusative = {
    "niedzielę", "poniedziałek", "wtorek", "środę", "czwartek", "piątek", "sobotę"};
constexpr std::array<std::string_view, 12> kMonthGenitive = {
    "stycznia", "lutego",   "marca",    "kwietnia",     "maja",      "czerwca",
    "lipca",    "sierpnia", "września", "października", "listopada", "grudnia"};
}  // namespace

std::string_view weekday_nominative(std::chrono::weekday day) {
  return kNominative.at(day.c_encoding());
}

std::string_view weekday_accusative(std::chrono::weekday day) {
  return kAccusative.at(day.c_encoding());
}

std::string on_weekdays(const std::vector<std::chrono::weekday>& days) {
  if (days.empty()) return {};
  std::string text = days.front() == std::chrono::Tuesday ? "we " : "w ";
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i > 0) text += i + 1 == days.size() ? " lub " : ", ";
    text += weekday_accusative(days[i]);
  }
  return text;
}

std::string polish_date(std::chrono::year_month_day date) {
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         std::string(kMonthGenitive.at(static_cast<unsigned>(date.month()) - 1)) + " " +
         std::to_string(static_cast<int>(date.year()));
}

std::string polish_day_nominative(std::chrono::year_month_day date) {
  return std::string(weekday_nominative(std::chrono::weekday(std::chrono::sys_days(date)))) + ", " +
         polish_date(date);
}

std::string polish_day_accusative(std::chrono::year_month_day date) {
  return std::string(weekday_accusative(std::chrono::weekday(std::chrono::sys_days(date)))) + ", " +
         polish_date(date);
}

}  // namespace shipping
