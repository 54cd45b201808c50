#pragma once
// Fault injection for the simulator's /v1 API, set by tests through POST /control/faults: added
// latency, an error status instead of the answer (with a seeded probability), a hang, a drop.
// FaultConfig parsing is pure; FaultInjector is thread-safe (one mutex around the config and the
// random generator, so a seed gives the same sequence of decisions in request order).
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

#include "platform/error.hpp"

namespace carrier_sim {

inline constexpr std::chrono::milliseconds kMaxLatency{60000};
inline constexpr std::uint64_t kDefaultSeed = 42;

struct FaultConfig {
  std::chrono::milliseconds latency{0};  // waited before every /v1 answer
  std::optional<int> error_status;       // 400..599 answered instead, with probability error_rate
  double error_rate = 1.0;               // 0..1
  bool hang = false;                     // hold /v1 requests without an answer
  bool drop = false;                     // answer /v1 requests with nothing a client can use
  std::uint64_t seed = kDefaultSeed;     // of the error_rate draws

  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

// A POST /control/faults body: a JSON object with any of latency_ms (0..60000), error_status
// (null or 400..599), error_rate (0..1), hang, drop (booleans), seed (a non-negative integer).
// The body is the whole configuration: fields left out take their defaults. Errc::malformed
// (400) naming the field for bad JSON, an unknown field or a bad value.
[[nodiscard]] platform::Result<FaultConfig> parse_fault_config(std::string_view body);
boost::json::object to_json(const FaultConfig& config);

// What to do with one /v1 request, in this order: wait `latency`, then hang, drop, or answer
// `error_status`, else answer for real.
struct FaultPlan {
  std::chrono::milliseconds latency{0};
  bool hang = false;
  bool drop = false;
  std::optional<int> error_status;
};

class FaultInjector {
 public:
  FaultInjector();

  // Replaces the configuration and reseeds the generator with config.seed.
  void set(FaultConfig config);
  void reset() { set(FaultConfig{}); }
  FaultConfig current() const;
  // Decides the faults of the next /v1 request (draws once when an error_status is set).
  FaultPlan next();

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
  std::mt19937_64 random_;
};

}  // namespace carrier_sim
