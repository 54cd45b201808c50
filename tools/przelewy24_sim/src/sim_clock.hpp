#pragma once
// The simulator's clock: the system clock plus an offset that tests move forward (POST
// /control/clock {"advance_s": N}), so P24's resend schedule (3 to 450 minutes) and the
// transactions' time limits run in a test's milliseconds. Thread-safe (one atomic).
#include <atomic>
#include <chrono>
#include <cstdint>

#include "platform/clock.hpp"

namespace p24_sim {

class SimClock final : public platform::Clock {
 public:
  [[nodiscard]] platform::TimePoint now() const override;
  // Moves the clock forward; `by` must not be negative.
  void advance(std::chrono::seconds by);
  [[nodiscard]] std::chrono::seconds offset() const;
  void reset();

 private:
  std::atomic<std::int64_t> offset_seconds_{0};
};

}  // namespace p24_sim
