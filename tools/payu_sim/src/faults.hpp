#pragma once
// The faults a test injects through POST /control/faults, in the control API the three gateway
// simulators share (README.md): duplicated, reordered, dropped or badly signed notifications, a
// wrong notified amount, and an error status or a delay on every /api and OAuth request.
// Parsing is pure; the simulator keeps the current FaultConfig under its own mutex.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "platform/error.hpp"

namespace payu_sim {

inline constexpr int kMaxDuplicates = 10;
inline constexpr std::chrono::milliseconds kMaxApiDelay{60000};

struct FaultConfig {
  int duplicate_notifications = 0;         // each notification sent this many extra times
  bool reorder_notifications = false;      // held, then delivered in reverse on the next flush
  bool drop_notifications = false;         // lost (never sent)
  bool bad_signature = false;              // signed with a wrong key
  std::int64_t amount_delta = 0;           // order notifications say totalAmount + delta
  std::optional<int> api_status;           // every /api and OAuth request answered with it
  std::chrono::milliseconds api_delay{0};  // waited before every /api and OAuth answer

  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

// The body is the whole configuration: fields left out take their defaults. Ranges:
// duplicate_notifications 0..10, amount_delta any integer, api_status null or 0 (none) or
// 400..599, api_delay_ms 0..60000. Errc::malformed naming the field for bad JSON, an unknown
// field or a bad value.
[[nodiscard]] platform::Result<FaultConfig> parse_fault_config(std::string_view body);
boost::json::object to_json(const FaultConfig& config);

}  // namespace payu_sim
