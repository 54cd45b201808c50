#include "sim_clock.hpp"

namespace p24_sim {

platform::TimePoint SimClock::now() const {
  return std::chrono::system_clock::now() + offset();
}

void SimClock::advance(std::chrono::seconds by) {
  offset_seconds_.fetch_add(by.count(), std::memory_order_relaxed);
}

std::chrono::seconds SimClock::offset() const {
  return std::chrono::seconds(offset_seconds_.load(std::memory_order_relaxed));
}

void SimClock::reset() {
  offset_seconds_.store(0, std::memory_order_relaxed);
}

}  // namespace p24_sim
