#pragma once
// The gateway simulators' clock: the system clock plus an offset that tests push forward with
// POST /control/clock {"advance_s": N}, so a gateway's resend schedule, its time limits and its
// token lifetimes run in a test's milliseconds. Never goes back: a negative advance is ignored.
// Thread-safety: every member may be called from any thread (one atomic). No errors.
#include <atomic>
#include <chrono>
#include <cstdint>

#include "platform/clock.hpp"

namespace gateway_sim {

class SimClock final : public platform::Clock {
 public:
  [[nodiscard]] platform::TimePoint now() const override;
  // Moves the clock forward by `by`; a negative `by` is ignored.
  void advance(std::chrono::seconds by);
  [[nodiscard]] std::chrono::seconds offset() const;
  // Back to the system clock (offset 0).
  void reset();

 private:
  std::atomic<std::int64_t> offset_seconds_{0};
};

// Whole seconds since the Unix epoch.
[[nodiscard]] std::int64_t unix_seconds(platform::TimePoint instant);

}  // namespace gateway_sim
