#pragma once
// The simulator's clock: the system clock plus an offset that tests push forward
// (POST /control/clock {"advance_s": N}), so PayU's resend schedule (minutes to days) and the
// OAuth token's 43199 s run in a test's milliseconds. Never goes back. Thread-safe.
#include <chrono>
#include <mutex>

#include "platform/clock.hpp"

namespace payu_sim {

class SimClock final : public platform::Clock {
 public:
  platform::TimePoint now() const override;
  void advance(std::chrono::seconds by);
  std::chrono::seconds offset() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  std::chrono::seconds offset_{0};
};

}  // namespace payu_sim
