#include "calendar.hpp"

#include <algorithm>
#include <array>

namespace carrier_sim {
namespace {
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year_month_day;

struct PrefixRange {
  int first;
  int last;
  std::string_view region;
};

// The metropolitan areas: Sunday deliveries (standard).
constexpr std::array<PrefixRange, 5> kMetropolitan = {{
    {0, 5, "warszawa"},
    {30, 31, "krakow"},
    {50, 54, "wroclaw"},
    {60, 61, "poznan"},
    {80, 81, "trojmiasto"},
}};

// The rest by postal district (the first digit of the code).
constexpr std::array<std::string_view, 10> kDistricts = {
    "mazowsze",                  // 0: Warszawa's district outside the city
    "warmia_mazury_podlasie",    // 1: Olsztyn, Białystok
    "lubelskie_swietokrzyskie",  // 2: Lublin, Kielce
    "malopolska_podkarpacie",    // 3: Kraków's district outside the city, Rzeszów
    "slask_opolskie",            // 4: Katowice, Opole
    "dolny_slask",               // 5: Wrocław's district outside the city
    "wielkopolska_lubuskie",     // 6: Poznań's district outside the city, Zielona Góra
    "pomorze_zachodnie",         // 7: Szczecin, Koszalin
    "pomorze_kujawy",            // 8: Gdańsk's district outside Trójmiasto, Bydgoszcz, Toruń
    "lodzkie",                   // 9: Łódź
};

// Where the two-person crews do not go: Suwałki and Augustów (16), Chełm and Włodawa (22),
// Krosno, Sanok and the Bieszczady (38), Puck and the Hel peninsula (84).
constexpr std::array<int, 4> kTwoPersonNotServed = {16, 22, 38, 84};

constexpr minutes at(int hour, int minute = 0) {
  return hours{hour} + minutes{minute};
}

enum class DayKind { weekday, saturday, sunday };

DayKind kind_of(year_month_day date) {
  const auto weekday = platform::weekday_of(date);
  if (weekday == std::chrono::Sunday) return DayKind::sunday;
  if (weekday == std::chrono::Saturday) return DayKind::saturday;
  return DayKind::weekday;
}

std::vector<Window> windows_of(DeliveryService service, DayKind kind) {
  switch (service) {
    case DeliveryService::standard:
      switch (kind) {
        case DayKind::weekday:
          return {{at(8), at(14)}, {at(14), at(18)}, {at(18), at(22)}};
        case DayKind::saturday:
          return {{at(9), at(15)}};
        case DayKind::sunday:
          return {{at(10), at(16)}};
      }
      break;
    case DeliveryService::two_person:
      if (kind == DayKind::saturday) return {{at(8), at(14)}};
      return {{at(8), at(14)}, {at(14), at(20)}};
    case DeliveryService::locker:
      return {{at(0), at(23, 59)}};
  }
  return {};
}

// Holidays aside: whether the service delivers on this kind of day in the region.
bool delivers_on(DeliveryService service, Region region, DayKind kind) {
  if (kind != DayKind::sunday) return true;
  return service == DeliveryService::standard && region.metropolitan;
}
}  // namespace

std::optional<DeliveryService> delivery_service_from(std::string_view name) {
  if (name == "standard") return DeliveryService::standard;
  if (name == "two_person") return DeliveryService::two_person;
  if (name == "locker") return DeliveryService::locker;
  return std::nullopt;
}

std::string_view name_of(DeliveryService service) {
  switch (service) {
    case DeliveryService::standard:
      return "standard";
    case DeliveryService::two_person:
      return "two_person";
    case DeliveryService::locker:
      return "locker";
  }
  return "unknown";
}

std::string_view name_of(Reason reason) {
  switch (reason) {
    case Reason::holiday:
      return "holiday";
    case Reason::sunday:
      return "sunday";
    case Reason::saturday:
      return "saturday";
    case Reason::full:
      return "full";
    case Reason::not_served:
      return "not_served";
    case Reason::too_soon:
      return "too_soon";
  }
  return "unknown";
}

std::optional<PostalCode> parse_postal_code(std::string_view text) {
  if (text.size() != 6 || text[2] != '-') return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 2 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  }
  return PostalCode{std::string(text), (text[0] - '0') * 10 + (text[1] - '0')};
}

Region region_of(int prefix) {
  for (const auto& range : kMetropolitan) {
    if (prefix >= range.first && prefix <= range.last) return Region{range.region, true};
  }
  const int district = std::clamp(prefix, 0, 99) / 10;
  return Region{kDistricts.at(static_cast<std::size_t>(district)), false};
}

bool serves(DeliveryService service, int prefix) {
  if (service != DeliveryService::two_person) return true;
  return std::find(kTwoPersonNotServed.begin(), kTwoPersonNotServed.end(), prefix) ==
         kTwoPersonNotServed.end();
}

year_month_day earliest_delivery_day(DeliveryService service, platform::WarsawLocal now) {
  const bool ships_today = platform::is_working_day(now.date) && now.time_of_day < kCutoff;
  int working_days = ships_today ? 1 : 2;
  if (service == DeliveryService::two_person) ++working_days;
  return platform::add_working_days(now.date, working_days);
}

int base_capacity(DeliveryService service, Region region, year_month_day date) {
  if (platform::is_polish_holiday(date)) return 0;
  const auto kind = kind_of(date);
  if (!delivers_on(service, region, kind)) return 0;
  switch (service) {
    case DeliveryService::standard:
      return kind == DayKind::weekday ? 40 : kind == DayKind::saturday ? 15 : 5;
    case DeliveryService::two_person:
      return kind == DayKind::weekday ? 6 : 3;
    case DeliveryService::locker:
      return kind == DayKind::weekday ? 120 : 60;
  }
  return 0;
}

CalendarDay calendar_day(DeliveryService service, int prefix, year_month_day date,
                         year_month_day earliest, int booked) {
  CalendarDay day;
  day.date = date;
  const auto region = region_of(prefix);
  const auto kind = kind_of(date);
  if (!serves(service, prefix)) {
    day.reason = Reason::not_served;
  } else if (auto holiday = platform::polish_holiday_name(date)) {
    day.reason = Reason::holiday;
    day.holiday = holiday;
  } else if (!delivers_on(service, region, kind)) {
    day.reason = kind == DayKind::sunday ? Reason::sunday : Reason::saturday;
  } else if (sys_days{date} < sys_days{earliest}) {
    day.reason = Reason::too_soon;
  } else if (base_capacity(service, region, date) - booked <= 0) {
    day.reason = Reason::full;
  } else {
    day.capacity_left = base_capacity(service, region, date) - booked;
    day.windows = windows_of(service, kind);
  }
  return day;
}

std::vector<CalendarDay> calendar(DeliveryService service, int prefix, platform::WarsawLocal now,
                                  int days, const BookedCount& booked) {
  const auto earliest = earliest_delivery_day(service, now);
  std::vector<CalendarDay> out;
  out.reserve(static_cast<std::size_t>(std::max(days, 0)));
  for (int i = 1; i <= days; ++i) {
    const year_month_day date{sys_days{now.date} + std::chrono::days{i}};
    out.push_back(calendar_day(service, prefix, date, earliest, booked(date)));
  }
  return out;
}

std::string format_time_of_day(minutes time_of_day) {
  const auto total = static_cast<int>(time_of_day.count());
  const int hour = total / 60;
  const int minute = total % 60;
  std::string out;
  out.push_back(static_cast<char>('0' + hour / 10));
  out.push_back(static_cast<char>('0' + hour % 10));
  out.push_back(':');
  out.push_back(static_cast<char>('0' + minute / 10));
  out.push_back(static_cast<char>('0' + minute % 10));
  return out;
}

}  // namespace carrier_sim
