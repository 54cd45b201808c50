#pragma once
// The carrier calendars this process last read, parsed, so that a calendar served again (fresh,
// or stale while the carrier's breaker is open) costs no Redis read and no JSON parse. Redis
// (calendar:{method}:{postal_code}) stays the cache all instances share; this is a bounded copy
// in front of it. Thread-safe (one mutex, never held across a co_await: callers copy out).
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "carrier_calendar.hpp"
#include "platform/clock.hpp"

namespace shipping {

struct HeldCalendar {
  platform::TimePoint fetched_at;
  CarrierCalendar calendar;
};

class CalendarMemory {
 public:
  explicit CalendarMemory(std::size_t capacity = 4096) : capacity_(capacity) {}

  std::optional<HeldCalendar> get(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto at = held_.find(key);
    if (at == held_.end()) return std::nullopt;
    return at->second;
  }

  // Keeps `calendar` unless a newer one is held; when full, forgets the oldest fetch first.
  void put(const std::string& key, HeldCalendar calendar) {
    std::lock_guard lock(mutex_);
    auto at = held_.find(key);
    if (at != held_.end()) {
      if (at->second.fetched_at < calendar.fetched_at) at->second = std::move(calendar);
      return;
    }
    if (held_.size() >= capacity_) {
      auto oldest = held_.begin();
      for (auto it = held_.begin(); it != held_.end(); ++it) {
        if (it->second.fetched_at < oldest->second.fetched_at) oldest = it;
      }
      held_.erase(oldest);
    }
    held_.emplace(key, std::move(calendar));
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, HeldCalendar> held_;
};

}  // namespace shipping
