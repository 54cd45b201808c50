#include "sim_clock.hpp"

namespace payu_sim {

platform::TimePoint SimClock::now() const {
  const std::lock_guard lock(mutex_);
  return std::chrono::system_clock::now() + offset_;
}

void SimClock::advance(std::chrono::seconds by) {
  const std::lock_guard lock(mutex_);
  if (by.count() > 0) offset_ += by;
}

std::chrono::seconds SimClock::offset() const {
  const std::lock_guard lock(mutex_);
  return offset_;
}

void SimClock::reset() {
  const std::lock_guard lock(mutex_);
  offset_ = std::chrono::seconds{0};
}

}  // namespace payu_sim
