#pragma once
// The simulator's clock: the system clock, or a fixed instant set by tests (POST /control/clock)
// so cut-off rules are deterministic. Thread-safe. Also the RFC 3339 timestamps it reads and
// writes (pure functions).
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.hpp"

namespace carrier_sim {

class SimClock final : public platform::Clock {
 public:
  platform::TimePoint now() const override;
  // Fixes the clock at `instant`; std::nullopt goes back to the system clock.
  void fix(std::optional<platform::TimePoint> instant);
  std::optional<platform::TimePoint> fixed() const;

 private:
  mutable std::mutex mutex_;
  std::optional<platform::TimePoint> fixed_;
};

// "2026-12-02T13:59:00Z", "2026-12-02T14:59:00.250+01:00": a date, 'T', hh:mm:ss, an optional
// fraction, and 'Z' or a ±hh:mm offset (both 'T'/'t' and 'Z'/'z', as RFC 3339 allows).
// std::nullopt for anything else, including a date or time that does not exist.
[[nodiscard]] std::optional<platform::TimePoint> parse_timestamp(std::string_view text);
// "2026-12-02T13:59:00Z" (UTC, whole seconds, rounded down).
std::string format_timestamp(platform::TimePoint instant);

}  // namespace carrier_sim
