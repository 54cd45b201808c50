#include "calendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bookings.hpp"

namespace {
using namespace std::chrono;
using carrier_sim::calendar;
using carrier_sim::calendar_day;
using carrier_sim::CalendarDay;
using carrier_sim::DeliveryService;
using carrier_sim::earliest_delivery_day;
using carrier_sim::Reason;

year_month_day date(const std::string& text) {
  auto parsed = platform::parse_date(text);
  if (!parsed) throw std::invalid_argument("bad test date " + text);
  return *parsed;
}

platform::WarsawLocal warsaw(const std::string& day, int hour, int minute = 0) {
  return {date(day), hours{hour} + minutes{minute}};
}

int prefix_of(const std::string& postal_code) {
  return carrier_sim::parse_postal_code(postal_code).value().prefix;
}

int none_booked(year_month_day /*date*/) {
  return 0;
}

// The day of `service`'s calendar for `postal_code` on `day`, ordered at `now`.
CalendarDay day_of(DeliveryService service, const std::string& postal_code,
                   platform::WarsawLocal now, const std::string& day, int booked = 0) {
  return calendar_day(service, prefix_of(postal_code), date(day),
                      earliest_delivery_day(service, now), booked);
}

std::string reason_of(const CalendarDay& day) {
  return day.reason ? std::string(carrier_sim::name_of(*day.reason)) : "available";
}

std::vector<std::string> times_of(const CalendarDay& day) {
  std::vector<std::string> out;
  for (const auto& window : day.windows) {
    out.push_back(carrier_sim::format_time_of_day(window.from) + "-" +
                  carrier_sim::format_time_of_day(window.to));
  }
  return out;
}

TEST(CarrierCalendar, BeforeTheCutoffTheNextWorkingDay) {
  // Wednesday 2 December 2026.
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-02", 13, 59)),
            date("2026-12-03"));
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-02", 0, 0)),
            date("2026-12-03"));
  EXPECT_EQ(earliest_delivery_day(DeliveryService::locker, warsaw("2026-12-02", 13, 59)),
            date("2026-12-03"));
}

TEST(CarrierCalendar, AtAndAfterTheCutoffOneWorkingDayLater) {
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-02", 14, 0)),
            date("2026-12-04"));
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-02", 23, 59)),
            date("2026-12-04"));
}

TEST(CarrierCalendar, FridayAfterTheCutoffIsTuesday) {
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-04", 15, 0)),
            date("2026-12-08"));
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-04", 9, 0)),
            date("2026-12-07"));
  const auto saturday =
      day_of(DeliveryService::standard, "26-600", warsaw("2026-12-04", 15, 0), "2026-12-05");
  EXPECT_EQ(reason_of(saturday), "too_soon");
  EXPECT_EQ(reason_of(day_of(DeliveryService::standard, "26-600", warsaw("2026-12-04", 15, 0),
                             "2026-12-07")),
            "too_soon");
  EXPECT_EQ(reason_of(day_of(DeliveryService::standard, "26-600", warsaw("2026-12-04", 15, 0),
                             "2026-12-08")),
            "available");
}

TEST(CarrierCalendar, OrdersOnNonWorkingDaysAreOneWorkingDayLater) {
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-05", 10, 0)),
            date("2026-12-08"));
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-12-06", 10, 0)),
            date("2026-12-08"));
  // 11 November 2026 is a Wednesday holiday.
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, warsaw("2026-11-11", 9, 0)),
            date("2026-11-13"));
}

TEST(CarrierCalendar, TwoPersonIsOneWorkingDayLaterThanStandard) {
  EXPECT_EQ(earliest_delivery_day(DeliveryService::two_person, warsaw("2026-12-02", 13, 59)),
            date("2026-12-04"));
  EXPECT_EQ(earliest_delivery_day(DeliveryService::two_person, warsaw("2026-12-04", 15, 0)),
            date("2026-12-09"));
}

TEST(CarrierCalendar, AroundEaster) {
  // Thursday 2 April 2026 after the cut-off: Good Friday is a working day, Easter Monday is not.
  const auto now = warsaw("2026-04-02", 15, 0);
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, now), date("2026-04-07"));
  const auto days = calendar(DeliveryService::standard, prefix_of("00-950"), now, 6, none_booked);
  ASSERT_EQ(days.size(), 6U);
  EXPECT_EQ(days[0].date, date("2026-04-03"));
  EXPECT_EQ(reason_of(days[0]), "too_soon");  // Good Friday
  EXPECT_EQ(reason_of(days[1]), "too_soon");  // Saturday
  EXPECT_EQ(reason_of(days[2]), "holiday");
  EXPECT_EQ(days[2].holiday, "Wielkanoc");
  EXPECT_EQ(reason_of(days[3]), "holiday");
  EXPECT_EQ(days[3].holiday, "Poniedziałek Wielkanocny");
  EXPECT_EQ(reason_of(days[4]), "available");
  EXPECT_EQ(days[4].date, date("2026-04-07"));
  EXPECT_EQ(days[4].capacity_left, 40);
  EXPECT_EQ(reason_of(days[5]), "available");
}

TEST(CarrierCalendar, AroundChristmas) {
  // Wednesday 23 December 2026, before the cut-off: 24-26 December are holidays (26th a Saturday).
  const auto now = warsaw("2026-12-23", 10, 0);
  EXPECT_EQ(earliest_delivery_day(DeliveryService::standard, now), date("2026-12-28"));
  const auto days = calendar(DeliveryService::standard, prefix_of("00-950"), now, 5, none_booked);
  ASSERT_EQ(days.size(), 5U);
  EXPECT_EQ(days[0].holiday, "Wigilia Bożego Narodzenia");
  EXPECT_EQ(days[1].holiday, "Boże Narodzenie");
  EXPECT_EQ(days[2].holiday, "Drugi dzień Bożego Narodzenia");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reason_of(days[i]), "holiday");
    EXPECT_EQ(days[i].capacity_left, 0);
    EXPECT_TRUE(days[i].windows.empty());
  }
  EXPECT_EQ(reason_of(days[3]), "too_soon");  // a Sunday in Warszawa, but before the 28th
  EXPECT_EQ(reason_of(days[4]), "available");
  EXPECT_EQ(days[4].date, date("2026-12-28"));
  // Outside the metropolitan regions that Sunday is simply a Sunday.
  EXPECT_EQ(reason_of(day_of(DeliveryService::standard, "26-600", now, "2026-12-27")), "sunday");
}

TEST(CarrierCalendar, SundaysOnlyInTheMetropolitanRegions) {
  const auto now = warsaw("2026-12-02", 10, 0);
  for (const char* metropolitan : {"00-950", "05-500", "30-001", "31-999", "50-001", "54-100",
                                   "60-001", "61-100", "80-001", "81-300"}) {
    const auto sunday = day_of(DeliveryService::standard, metropolitan, now, "2026-12-13");
    EXPECT_EQ(reason_of(sunday), "available") << metropolitan;
    EXPECT_EQ(sunday.capacity_left, 5) << metropolitan;
    EXPECT_EQ(times_of(sunday), std::vector<std::string>{"10:00-16:00"}) << metropolitan;
  }
  for (const char* elsewhere : {"06-100", "26-600", "32-005", "55-100", "62-800", "82-300",
                                "90-001", "15-001", "43-300", "70-001"}) {
    EXPECT_EQ(reason_of(day_of(DeliveryService::standard, elsewhere, now, "2026-12-13")), "sunday")
        << elsewhere;
  }
  // Sundays are the standard courier's alone.
  EXPECT_EQ(reason_of(day_of(DeliveryService::two_person, "00-950", now, "2026-12-13")), "sunday");
  EXPECT_EQ(reason_of(day_of(DeliveryService::locker, "00-950", now, "2026-12-13")), "sunday");
}

TEST(CarrierCalendar, StandardWindowsAndCapacities) {
  const auto now = warsaw("2026-12-02", 10, 0);
  const auto weekday = day_of(DeliveryService::standard, "26-600", now, "2026-12-03");
  EXPECT_EQ(times_of(weekday),
            (std::vector<std::string>{"08:00-14:00", "14:00-18:00", "18:00-22:00"}));
  EXPECT_EQ(weekday.capacity_left, 40);
  const auto saturday = day_of(DeliveryService::standard, "26-600", now, "2026-12-05");
  EXPECT_EQ(times_of(saturday), std::vector<std::string>{"09:00-15:00"});
  EXPECT_EQ(saturday.capacity_left, 15);
}

TEST(CarrierCalendar, TwoPersonWindowsAndCapacities) {
  const auto now = warsaw("2026-12-02", 10, 0);
  const auto weekday = day_of(DeliveryService::two_person, "26-600", now, "2026-12-04");
  EXPECT_EQ(times_of(weekday), (std::vector<std::string>{"08:00-14:00", "14:00-20:00"}));
  EXPECT_EQ(weekday.capacity_left, 6);
  const auto saturday = day_of(DeliveryService::two_person, "26-600", now, "2026-12-05");
  EXPECT_EQ(times_of(saturday), std::vector<std::string>{"08:00-14:00"});
  EXPECT_EQ(saturday.capacity_left, 3);
}

TEST(CarrierCalendar, TwoPersonDoesNotServeTheRemotePrefixes) {
  const auto now = warsaw("2026-12-02", 10, 0);
  for (const char* remote : {"16-400", "22-100", "38-500", "84-150"}) {
    const auto days =
        calendar(DeliveryService::two_person, prefix_of(remote), now, 31, none_booked);
    for (const auto& day : days) {
      EXPECT_EQ(reason_of(day), "not_served") << remote << " " << platform::format_date(day.date);
      EXPECT_EQ(day.capacity_left, 0);
    }
    // The other services go there.
    EXPECT_EQ(reason_of(day_of(DeliveryService::standard, remote, now, "2026-12-03")), "available");
    EXPECT_EQ(reason_of(day_of(DeliveryService::locker, remote, now, "2026-12-03")), "available");
  }
  EXPECT_EQ(reason_of(day_of(DeliveryService::two_person, "15-001", now, "2026-12-04")),
            "available");
  EXPECT_EQ(reason_of(day_of(DeliveryService::two_person, "37-700", now, "2026-12-04")),
            "available");
}

TEST(CarrierCalendar, LockerHasOneAllDayWindowMondayToSaturday) {
  const auto now = warsaw("2026-12-02", 10, 0);
  const auto weekday = day_of(DeliveryService::locker, "26-600", now, "2026-12-03");
  EXPECT_EQ(times_of(weekday), std::vector<std::string>{"00:00-23:59"});
  EXPECT_EQ(weekday.capacity_left, 120);
  const auto saturday = day_of(DeliveryService::locker, "26-600", now, "2026-12-05");
  EXPECT_EQ(times_of(saturday), std::vector<std::string>{"00:00-23:59"});
  EXPECT_EQ(saturday.capacity_left, 60);
  EXPECT_EQ(reason_of(day_of(DeliveryService::locker, "26-600", now, "2026-12-25")), "holiday");
}

TEST(CarrierCalendar, CapacityRunsOutPerServiceRegionAndDate) {
  carrier_sim::BookingLedger ledger;
  const auto now = warsaw("2026-12-02", 10, 0);
  const auto earliest = earliest_delivery_day(DeliveryService::two_person, now);
  const auto warszawa = carrier_sim::parse_postal_code("00-950").value();
  for (int i = 1; i <= 6; ++i) {
    auto booked = ledger.book(DeliveryService::two_person, warszawa, date("2026-12-07"), earliest);
    ASSERT_TRUE(booked) << i;
    EXPECT_EQ(booked->capacity_left, 6 - i);
    EXPECT_EQ(booked->region, "warszawa");
  }
  // Another postal code of the same region shares the day's capacity.
  const auto also_warszawa = carrier_sim::parse_postal_code("02-001").value();
  auto refused =
      ledger.book(DeliveryService::two_person, also_warszawa, date("2026-12-07"), earliest);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, platform::Errc::conflict);
  EXPECT_EQ(refused.error().reason, "full");
  EXPECT_EQ(ledger.count(), 6);

  const auto full =
      day_of(DeliveryService::two_person, "00-950", now, "2026-12-07",
             ledger.booked(DeliveryService::two_person, prefix_of("00-950"), date("2026-12-07")));
  EXPECT_EQ(reason_of(full), "full");
  EXPECT_EQ(full.capacity_left, 0);
  EXPECT_TRUE(full.windows.empty());
  // Other dates, regions and services keep theirs.
  EXPECT_EQ(ledger.booked(DeliveryService::two_person, prefix_of("00-950"), date("2026-12-08")), 0);
  EXPECT_EQ(ledger.booked(DeliveryService::two_person, prefix_of("26-600"), date("2026-12-07")), 0);
  EXPECT_EQ(ledger.booked(DeliveryService::standard, prefix_of("00-950"), date("2026-12-07")), 0);

  ledger.clear();
  EXPECT_EQ(ledger.count(), 0);
  auto again = ledger.book(DeliveryService::two_person, warszawa, date("2026-12-07"), earliest);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->booking_id, "bk-000001");
}

TEST(CarrierCalendar, BookingsOnlyOnAvailableDays) {
  carrier_sim::BookingLedger ledger;
  const auto earliest =
      earliest_delivery_day(DeliveryService::two_person, warsaw("2026-12-02", 10, 0));
  const auto warszawa = carrier_sim::parse_postal_code("00-950").value();
  const auto suwalki = carrier_sim::parse_postal_code("16-400").value();
  auto reason = [&](const carrier_sim::PostalCode& code, const std::string& day) {
    auto booked = ledger.book(DeliveryService::two_person, code, date(day), earliest);
    return booked ? std::string("booked") : booked.error().reason;
  };
  EXPECT_EQ(reason(warszawa, "2026-12-03"), "too_soon");
  EXPECT_EQ(reason(warszawa, "2026-12-06"), "sunday");
  EXPECT_EQ(reason(warszawa, "2026-12-25"), "holiday");
  EXPECT_EQ(reason(suwalki, "2026-12-07"), "not_served");
  EXPECT_EQ(reason(warszawa, "2026-12-04"), "booked");
  EXPECT_EQ(ledger.count(), 1);
}

TEST(CarrierCalendar, ListsDaysFromTomorrowAcrossMonthEnds) {
  const auto days = calendar(DeliveryService::standard, prefix_of("26-600"),
                             warsaw("2026-12-30", 10, 0), 31, none_booked);
  ASSERT_EQ(days.size(), 31U);
  EXPECT_EQ(days.front().date, date("2026-12-31"));
  EXPECT_EQ(days[1].date, date("2027-01-01"));
  EXPECT_EQ(days[1].holiday, "Nowy Rok");
  EXPECT_EQ(days.back().date, date("2027-01-30"));
}

TEST(CarrierCalendar, RegionsByPostalPrefix) {
  const std::vector<std::pair<int, std::string>> expected = {
      {0, "warszawa"},
      {5, "warszawa"},
      {6, "mazowsze"},
      {9, "mazowsze"},
      {10, "warmia_mazury_podlasie"},
      {19, "warmia_mazury_podlasie"},
      {20, "lubelskie_swietokrzyskie"},
      {30, "krakow"},
      {31, "krakow"},
      {32, "malopolska_podkarpacie"},
      {40, "slask_opolskie"},
      {50, "wroclaw"},
      {54, "wroclaw"},
      {55, "dolny_slask"},
      {60, "poznan"},
      {61, "poznan"},
      {62, "wielkopolska_lubuskie"},
      {70, "pomorze_zachodnie"},
      {80, "trojmiasto"},
      {81, "trojmiasto"},
      {82, "pomorze_kujawy"},
      {90, "lodzkie"},
      {99, "lodzkie"},
  };
  for (const auto& [prefix, name] : expected) {
    EXPECT_EQ(carrier_sim::region_of(prefix).name, name) << prefix;
  }
  EXPECT_TRUE(carrier_sim::region_of(0).metropolitan);
  EXPECT_FALSE(carrier_sim::region_of(6).metropolitan);
}

TEST(CarrierCalendar, PostalCodesAreTwoDigitsDashThreeDigits) {
  const auto code = carrier_sim::parse_postal_code("00-950");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->prefix, 0);
  EXPECT_EQ(code->text, "00-950");
  EXPECT_EQ(carrier_sim::parse_postal_code("81-300")->prefix, 81);
  for (const char* bad : {"00950", "0-950", "00-95", "00-9500", "00-95a", " 00-950", "00 950",
                          "00-950 ", "", "ab-cde", "000-95"}) {
    EXPECT_FALSE(carrier_sim::parse_postal_code(bad)) << bad;
  }
}

TEST(CarrierCalendar, ServiceNames) {
  EXPECT_EQ(carrier_sim::delivery_service_from("standard"), DeliveryService::standard);
  EXPECT_EQ(carrier_sim::delivery_service_from("two_person"), DeliveryService::two_person);
  EXPECT_EQ(carrier_sim::delivery_service_from("locker"), DeliveryService::locker);
  EXPECT_FALSE(carrier_sim::delivery_service_from("Standard"));
  EXPECT_FALSE(carrier_sim::delivery_service_from("express"));
  EXPECT_EQ(carrier_sim::name_of(DeliveryService::two_person), "two_person");
  EXPECT_EQ(carrier_sim::name_of(Reason::not_served), "not_served");
}

}  // namespace
