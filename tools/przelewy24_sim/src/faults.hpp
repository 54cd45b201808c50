#pragma once
// Fault injection, set by tests through POST /control/faults (the same body in the PayU and
// Stripe simulators). Notifications: duplicated, held and reversed, dropped, badly signed, or
// with a shifted amount; the /api routes: another status, added latency. FaultConfig parsing is
// pure; FaultStore is thread-safe (one mutex).
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "platform/error.hpp"

namespace p24_sim {

inline constexpr int kMaxDuplicates = 10;
inline constexpr std::chrono::milliseconds kMaxApiDelay{60000};
inline constexpr std::int64_t kMaxAmountDelta = 1000000000;

struct FaultConfig {
  int duplicate_notifications = 0;     // each notification sent this many extra times
  bool reorder_notifications = false;  // held; POST /control/flush sends them newest first
  bool drop_notifications = false;     // lost: nothing sent (P24 still resends on schedule)
  bool bad_signature = false;          // notifications signed with a wrong CRC
  std::int64_t amount_delta = 0;       // notified amount = paid amount + delta, signed correctly
  std::optional<int> api_status;       // every /api request answered with this status
  std::chrono::milliseconds api_delay{0};  // waited before every /api answer

  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

// A POST /control/faults body: a JSON object with any of duplicate_notifications (0..10),
// reorder_notifications, drop_notifications, bad_signature (booleans), amount_delta (an integer,
// |delta| <= 1e9), api_status (null, 0 = none, or 400..599), api_delay_ms (0..60000). The body is
// the whole configuration: fields left out take their defaults. Errc::malformed naming the field
// for bad JSON, an unknown field or a bad value.
[[nodiscard]] platform::Result<FaultConfig> parse_fault_config(std::string_view body);
boost::json::object to_json(const FaultConfig& config);

class FaultStore {
 public:
  void set(FaultConfig config);
  void reset() { set(FaultConfig{}); }
  FaultConfig current() const;

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
};

}  // namespace p24_sim
