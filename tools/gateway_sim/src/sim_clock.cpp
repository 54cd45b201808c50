#include "gateway_sim/sim_clock.hpp"

namespace gateway_sim {

platform::TimePoint SimClock::now() const {
  return std::chrono::system_clock::now() + offset();
}

void SimClock::advance(std::chrono::seconds by) {
  if (by.count() > 0) offset_seconds_.fetch_add(by.count(), std::memory_order_relaxed);
}

std::chrono::seconds SimClock::offset() const {
  return std::chrono::seconds(offset_seconds_.load(std::memory_order_relaxed));
}

void SimClock::reset() {
  offset_seconds_.store(0, std::memory_order_relaxed);
}

std::int64_t unix_seconds(platform::TimePoint instant) {
  return std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
}

}  // namespace gateway_sim
