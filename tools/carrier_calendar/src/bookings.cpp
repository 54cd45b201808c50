#include "bookings.hpp"

#include <string>

namespace carrier_sim {
namespace {
std::string booking_id(std::int64_t number) {
  auto digits = std::to_string(number);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return "bk-" + digits;
}
}  // namespace

int BookingLedger::booked(DeliveryService service, int prefix,
                          std::chrono::year_month_day date) const {
  const std::lock_guard lock(mutex_);
  const auto found =
      booked_.find(Key{service, region_of(prefix).name, std::chrono::sys_days{date}});
  return found == booked_.end() ? 0 : found->second;
}

platform::Result<Booking> BookingLedger::book(DeliveryService service,
                                              const PostalCode& postal_code,
                                              std::chrono::year_month_day date,
                                              std::chrono::year_month_day earliest) {
  const auto region = region_of(postal_code.prefix);
  const Key key{service, region.name, std::chrono::sys_days{date}};
  const std::lock_guard lock(mutex_);
  int& booked = booked_[key];
  const auto day = calendar_day(service, postal_code.prefix, date, earliest, booked);
  if (!day.available()) {
    if (booked == 0) booked_.erase(key);
    const auto reason = name_of(*day.reason);
    return platform::make_error(platform::Errc::conflict,
                                platform::format_date(date) + " is not available for " +
                                    std::string(name_of(service)) + " delivery to " +
                                    postal_code.text + ": " + std::string(reason),
                                std::string(reason));
  }
  ++booked;
  ++count_;
  return Booking{.booking_id = booking_id(count_),
                 .service = service,
                 .postal_code = postal_code,
                 .region = region.name,
                 .date = date,
                 .capacity_left = day.capacity_left - 1};
}

std::int64_t BookingLedger::count() const {
  const std::lock_guard lock(mutex_);
  return count_;
}

void BookingLedger::clear() {
  const std::lock_guard lock(mutex_);
  booked_.clear();
  count_ = 0;
}

}  // namespace carrier_sim
