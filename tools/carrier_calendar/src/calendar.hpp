#pragma once
// The simulated courier's delivery calendar: which day a parcel can come, in which time windows
// and for how many more parcels. Pure rules over plain values (no I/O, no state), thread-safe.
// The tables (regions, remote prefixes, windows, capacities) are documented in ../README.md.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/polish_calendar.hpp"

namespace carrier_sim {

enum class DeliveryService {
  standard,    // a courier, Monday-Saturday, Sundays in the metropolitan regions
  two_person,  // large items carried in by a two-person crew, one working day later
  locker,      // to a parcel locker, Monday-Saturday, one all-day window
};

[[nodiscard]] std::optional<DeliveryService> delivery_service_from(std::string_view name);
std::string_view name_of(DeliveryService service);

// "NN-NNN"; `prefix` is the first two digits, which pick the region.
struct PostalCode {
  std::string text;
  int prefix = 0;
};
// Exactly two digits, '-', three digits; std::nullopt otherwise.
[[nodiscard]] std::optional<PostalCode> parse_postal_code(std::string_view text);

struct Region {
  std::string_view name;  // e.g. "warszawa", "mazowsze"
  bool metropolitan = false;
};
// The region of a two-digit postal prefix (0..99): the metropolitan areas by their prefixes, the
// rest by the first digit (the postal district).
Region region_of(int prefix);
// Whether `service` delivers to the prefix at all (two_person skips a few remote ones).
bool serves(DeliveryService service, int prefix);

// Orders placed before this Warsaw time on a working day ship that day.
inline constexpr std::chrono::minutes kCutoff{14 * 60};

struct Window {
  std::chrono::minutes from;
  std::chrono::minutes to;
};

// Why a day is not available. `saturday` belongs to the API (a service that does not deliver on
// Saturdays) but today's rules never produce it: every service delivers on Saturdays.
enum class Reason { holiday, sunday, saturday, full, not_served, too_soon };
std::string_view name_of(Reason reason);

struct CalendarDay {
  std::chrono::year_month_day date{};
  std::optional<Reason> reason;             // empty when the day is available
  std::optional<std::string_view> holiday;  // the holiday's Polish name, when reason is holiday
  int capacity_left = 0;                    // 0 when not available
  std::vector<Window> windows;              // empty when not available

  [[nodiscard]] bool available() const { return !reason.has_value(); }
};

// The earliest day `service` can deliver an order placed at `now` (Warsaw time): before the
// cut-off on a working day the next working day, else one working day later; two_person one
// more working day.
[[nodiscard]] std::chrono::year_month_day earliest_delivery_day(DeliveryService service,
                                                                platform::WarsawLocal now);

// The parcels `service` can take on `date` in `region` before any booking; 0 on a day it does
// not deliver (a holiday, a Sunday outside the metropolitan regions, ...).
[[nodiscard]] int base_capacity(DeliveryService service, Region region,
                                std::chrono::year_month_day date);

// One day of the calendar, given the earliest possible day and the parcels already booked for
// (service, region, date). Reasons, first match wins: not_served, holiday, sunday or saturday,
// too_soon, full.
[[nodiscard]] CalendarDay calendar_day(DeliveryService service, int prefix,
                                       std::chrono::year_month_day date,
                                       std::chrono::year_month_day earliest, int booked);

// `days` consecutive dates from the day after `now`'s Warsaw date; `booked` answers how many
// parcels are booked for the region (of `prefix`) on a date.
using BookedCount = std::function<int(std::chrono::year_month_day)>;
[[nodiscard]] std::vector<CalendarDay> calendar(DeliveryService service, int prefix,
                                                platform::WarsawLocal now, int days,
                                                const BookedCount& booked);

// "08:00".
std::string format_time_of_day(std::chrono::minutes time_of_day);

}  // namespace carrier_sim
