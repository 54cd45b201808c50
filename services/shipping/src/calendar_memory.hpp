#pragma once
// The carrier calendars this process last read, parsed and with their days already rendered for
// the API, so that a calendar served again (fresh, or stale while the carrier's breaker is open)
// costs no Redis read, no JSON parse and no rendering. Redis (calendar:{method}:{postal_code})
// stays the cache all instances share; this is a bounded copy in front of it. Entries are
// immutable and shared (std::shared_ptr<const>); thread-safe (one mutex, never held across a
// co_await).
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "carrier_calendar.hpp"
#include "delivery_rules.hpp"
#include "platform/clock.hpp"

namespace shipping {

struct HeldCalendar {
  platform::TimePoint fetched_at;
  CarrierCalendar calendar;
  std::string days_json;     // calendar_days_json() of it
  std::string rules_digest;  // the rules days_json was rendered with (the addons of each day)
};
using SharedCalendar = std::shared_ptr<const HeldCalendar>;

// The days of `calendar` as GET /shipping/calendar shows them (a JSON array): date, available,
// reason, holiday, windows, and the addons `method_id` allows on that weekday under `rules`.
std::string calendar_days_json(const CarrierCalendar& calendar, std::string_view method_id,
                               const DeliveryRules& rules);

class CalendarMemory {
 public:
  explicit CalendarMemory(std::size_t capacity = 4096) : capacity_(capacity) {}

  SharedCalendar get(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto at = held_.find(key);
    return at == held_.end() ? nullptr : at->second;
  }

  // Keeps `calendar` unless a newer fetch is held; when full, forgets the oldest fetch first.
  void put(const std::string& key, SharedCalendar calendar) {
    std::lock_guard lock(mutex_);
    auto at = held_.find(key);
    if (at != held_.end()) {
      if (at->second->fetched_at <= calendar->fetched_at) at->second = std::move(calendar);
      return;
    }
    if (held_.size() >= capacity_) {
      auto oldest = held_.begin();
      for (auto it = held_.begin(); it != held_.end(); ++it) {
        if (it->second->fetched_at < oldest->second->fetched_at) oldest = it;
      }
      held_.erase(oldest);
    }
    held_.emplace(key, std::move(calendar));
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, SharedCalendar> held_;
};

}  // namespace shipping
