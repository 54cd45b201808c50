#pragma once
// Wall-clock time behind a seam so rules that depend on time can be tested with a fixed clock.
#include <chrono>
#include <string>

namespace platform {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// RFC 3339 UTC with milliseconds, e.g. "2026-11-30T10:09:59.123Z".
std::string format_rfc3339(TimePoint time);

}  // namespace platform
