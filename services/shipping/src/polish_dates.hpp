#pragma once
// Delivery days as the Shipping's Polish messages name them: "wtorek, 8 grudnia 2026", "we
// wtorek", "w poniedziałek, wtorek lub środę". Pure, thread-safe.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace shipping {

// "wtorek", "środa", ... (the nominative).
std::string_view weekday_nominative(std::chrono::weekday day);
// "wtorek", "środę", ... (the accusative a day takes after "w" or "na").
std::string_view weekday_accusative(std::chrono::weekday day);
// "w niedzielę", "we wtorek", "w poniedziałek, wtorek lub środę": the days after the preposition
// ("we" before "wtorek", as it is said), the last two joined by "lub". Empty for no days.
std::string on_weekdays(const std::vector<std::chrono::weekday>& days);
// "8 grudnia 2026" (the month in the genitive).
std::string polish_date(std::chrono::year_month_day date);
// "wtorek, 8 grudnia 2026" / "środę, 9 grudnia 2026".
std::string polish_day_nominative(std::chrono::year_month_day date);
std::string polish_day_accusative(std::chrono::year_month_day date);

}  // namespace shipping
