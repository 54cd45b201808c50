#include "sim_clock.hpp"

namespace stripe_sim {

platform::TimePoint SimClock::now() const {
  return std::chrono::system_clock::now() + std::chrono::seconds(offset_s_.load());
}

void SimClock::advance(std::chrono::seconds by) {
  offset_s_.fetch_add(by.count());
}

std::int64_t unix_seconds(platform::TimePoint instant) {
  return std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
}

}  // namespace stripe_sim
