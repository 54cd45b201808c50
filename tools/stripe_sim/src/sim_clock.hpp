#pragma once
// The simulator's clock: the system clock moved forward by an offset that tests grow with
// POST /control/clock {"advance_s": N}. It drives what Stripe does over time (webhook retries,
// session expiry, the `created` fields); Stripe-Signature timestamps stay on the real clock, as
// a receiver checks them against its own. Thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>

#include "platform/clock.hpp"

namespace stripe_sim {

class SimClock final : public platform::Clock {
 public:
  [[nodiscard]] platform::TimePoint now() const override;
  void advance(std::chrono::seconds by);
  void reset() { offset_s_.store(0); }
  [[nodiscard]] std::chrono::seconds offset() const {
    return std::chrono::seconds(offset_s_.load());
  }

 private:
  std::atomic<std::int64_t> offset_s_{0};
};

std::int64_t unix_seconds(platform::TimePoint instant);

}  // namespace stripe_sim
