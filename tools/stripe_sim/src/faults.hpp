#pragma once
// The faults a test injects through POST /control/faults (the same body for the P24, PayU and
// Stripe simulators). The body is the whole configuration: fields left out take their defaults.
//   duplicate_notifications  0..10   extra deliveries of every event (same evt_ id)
//   reorder_notifications    bool    hold new events; POST /control/flush sends them in reverse
//   drop_notifications       bool    new events are recorded but never delivered
//   bad_signature            bool    deliveries carry a v1 that does not verify
//   amount_delta             int     added to the amounts inside new events (signed correctly)
//   api_status               0 or 400..599: every /v1 request answers this status (0 = off)
//   api_delay_ms             0..60000: waited before every /v1 answer
//   stale_timestamp          bool    deliveries signed with t ten minutes old
//   second_secret            ""/"whsec_...": deliveries carry a second v1 with this secret
// parse_fault_config is pure; Faults is a thread-safe holder.
#include <boost/json/object.hpp>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "platform/error.hpp"

namespace stripe_sim {

struct FaultConfig {
  int duplicate_notifications = 0;
  bool reorder_notifications = false;
  bool drop_notifications = false;
  bool bad_signature = false;
  std::int64_t amount_delta = 0;
  int api_status = 0;
  int api_delay_ms = 0;
  bool stale_timestamp = false;
  std::string second_secret;

  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

// Errc::malformed naming the field for bad JSON, an unknown field or a value out of range.
[[nodiscard]] platform::Result<FaultConfig> parse_fault_config(std::string_view body);
boost::json::object to_json(const FaultConfig& config);

class Faults {
 public:
  void set(FaultConfig config);
  FaultConfig current() const;

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
};

}  // namespace stripe_sim
