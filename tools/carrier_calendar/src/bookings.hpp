#pragma once
// The simulator's bookings: parcels booked per (service, region, date), which the calendar
// subtracts from each day's capacity. In memory only; thread-safe (one mutex), so two requests
// can never both take the last place of a day.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "calendar.hpp"
#include "platform/error.hpp"

namespace carrier_sim {

struct Booking {
  std::string booking_id;  // "bk-000001", numbered from 1 after each clear()
  DeliveryService service = DeliveryService::standard;
  PostalCode postal_code;
  std::string_view region;
  std::chrono::year_month_day date{};
  int capacity_left = 0;  // what the day has left after this booking
};

class BookingLedger {
 public:
  // Parcels booked for the region of `prefix` on `date`.
  int booked(DeliveryService service, int prefix, std::chrono::year_month_day date) const;

  // Books one parcel on `date` if calendar_day() says the day is available given `earliest`.
  // Errc::conflict otherwise, the reason (full, holiday, too_soon, ...) as the error's reason.
  [[nodiscard]] platform::Result<Booking> book(DeliveryService service,
                                               const PostalCode& postal_code,
                                               std::chrono::year_month_day date,
                                               std::chrono::year_month_day earliest);

  // Bookings made since the last clear().
  std::int64_t count() const;
  void clear();

 private:
  using Key = std::tuple<DeliveryService, std::string_view, std::chrono::sys_days>;

  mutable std::mutex mutex_;
  std::map<Key, int> booked_;
  std::int64_t count_ = 0;
};

}  // namespace carrier_sim
