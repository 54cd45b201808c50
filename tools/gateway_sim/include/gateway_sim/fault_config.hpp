#pragma once
// The fault configuration a test sets through POST /control/faults, in the control API the
// gateway simulators share: duplicated, held-and-reversed, dropped or badly signed
// notifications, a shifted notified amount, and an error status or a delay on every gateway API
// request. What each fault means for a gateway's messages stays in that simulator.
// parse_fault_config and to_json are pure; FaultStore is a thread-safe holder (one mutex).
// Errors: parse_fault_config returns Errc::malformed (problem type "invalid_fault") naming the
// field.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "platform/error.hpp"

namespace gateway_sim {

inline constexpr int kMaxDuplicates = 10;
inline constexpr std::chrono::milliseconds kMaxApiDelay{60000};
inline constexpr std::int64_t kMaxAmountDelta = 1000000000;

struct FaultConfig {
  int duplicate_notifications = 0;         // each notification sent this many extra times
  bool reorder_notifications = false;      // held; POST /control/flush sends them newest first
  bool drop_notifications = false;         // lost: never sent
  bool bad_signature = false;              // notifications signed with a wrong key
  std::int64_t amount_delta = 0;           // notified amount = paid amount + delta
  std::optional<int> api_status;           // every gateway API request answered with this status
  std::chrono::milliseconds api_delay{0};  // waited before every gateway API answer

  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

struct FaultLimits {
  // |amount_delta| <= this; std::nullopt accepts any 64-bit integer.
  std::optional<std::int64_t> max_amount_delta = kMaxAmountDelta;
};

// A POST /control/faults body: a JSON object with any of duplicate_notifications (0..10),
// reorder_notifications, drop_notifications, bad_signature (booleans), amount_delta (an integer
// within `limits`), api_status (null, 0 = none, or 400..599), api_delay_ms (0..60000). The body
// is the whole configuration: fields left out take their defaults. Errc::malformed naming the
// field for bad JSON, an unknown field or a bad value.
[[nodiscard]] platform::Result<FaultConfig> parse_fault_config(std::string_view body,
                                                               FaultLimits limits = {});
// The same fields as the body; api_status null when there is none.
boost::json::object to_json(const FaultConfig& config);

class FaultStore {
 public:
  void set(FaultConfig config);
  void reset() { set(FaultConfig{}); }
  [[nodiscard]] FaultConfig current() const;

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
};

}  // namespace gateway_sim
