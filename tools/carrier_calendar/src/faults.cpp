#include "faults.hpp"

#include <boost/json/value.hpp>
#include <limits>
#include <string>

#include "platform/http/json.hpp"

namespace carrier_sim {
namespace {
namespace json = boost::json;
using platform::Errc;

platform::Error bad_field(std::string_view field, std::string_view expected) {
  return platform::make_error(Errc::malformed,
                              "'" + std::string(field) + "' must be " + std::string(expected),
                              "invalid_fault");
}

std::optional<std::int64_t> integer_of(const json::value& value) {
  if (value.is_int64()) return value.as_int64();
  if (value.is_uint64() &&
      value.as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value.as_uint64());
  }
  return std::nullopt;
}

platform::Status read_field(FaultConfig& config, std::string_view name, const json::value& value) {
  if (name == "latency_ms") {
    const auto millis = integer_of(value);
    if (!millis || *millis < 0 || *millis > kMaxLatency.count()) {
      return bad_field(name, "an integer from 0 to 60000");
    }
    config.latency = std::chrono::milliseconds{*millis};
  } else if (name == "error_status") {
    if (value.is_null()) {
      config.error_status.reset();
      return {};
    }
    const auto status = integer_of(value);
    if (!status || *status < 400 || *status > 599) {
      return bad_field(name, "null or an HTTP status from 400 to 599");
    }
    config.error_status = static_cast<int>(*status);
  } else if (name == "error_rate") {
    if (!value.is_number()) return bad_field(name, "a number from 0 to 1");
    const double rate = value.to_number<double>();
    if (!(rate >= 0.0 && rate <= 1.0)) return bad_field(name, "a number from 0 to 1");
    config.error_rate = rate;
  } else if (name == "hang" || name == "drop") {
    if (!value.is_bool()) return bad_field(name, "true or false");
    (name == "hang" ? config.hang : config.drop) = value.as_bool();
  } else if (name == "seed") {
    if (value.is_uint64()) {
      config.seed = value.as_uint64();
    } else if (value.is_int64() && value.as_int64() >= 0) {
      config.seed = static_cast<std::uint64_t>(value.as_int64());
    } else {
      return bad_field(name, "a non-negative integer");
    }
  } else {
    return platform::make_error(Errc::malformed,
                                "unknown field '" + std::string(name) +
                                    "' (known: latency_ms, error_status, error_rate, hang, drop, "
                                    "seed)",
                                "invalid_fault");
  }
  return {};
}

// A uniform draw in [0, 1) from the top 53 bits, the same on every standard library.
double unit_draw(std::mt19937_64& random) {
  return static_cast<double>(random() >> 11) * 0x1.0p-53;
}
}  // namespace

platform::Result<FaultConfig> parse_fault_config(std::string_view body) {
  PLATFORM_TRY(const auto object, platform::http::parse_json_object(body));
  FaultConfig config;
  for (const auto& [name, value] : object) {
    PLATFORM_CHECK(read_field(config, name, value));
  }
  return config;
}

json::object to_json(const FaultConfig& config) {
  json::object out;
  out["latency_ms"] = config.latency.count();
  if (config.error_status) {
    out["error_status"] = *config.error_status;
  } else {
    out["error_status"] = nullptr;
  }
  out["error_rate"] = config.error_rate;
  out["hang"] = config.hang;
  out["drop"] = config.drop;
  out["seed"] = config.seed;
  return out;
}

FaultInjector::FaultInjector() : random_(kDefaultSeed) {}

void FaultInjector::set(FaultConfig config) {
  const std::lock_guard lock(mutex_);
  config_ = config;
  random_.seed(config.seed);
}

FaultConfig FaultInjector::current() const {
  const std::lock_guard lock(mutex_);
  return config_;
}

FaultPlan FaultInjector::next() {
  const std::lock_guard lock(mutex_);
  FaultPlan plan;
  plan.latency = config_.latency;
  plan.hang = config_.hang;
  plan.drop = config_.drop;
  if (config_.error_status && unit_draw(random_) < config_.error_rate) {
    plan.error_status = config_.error_status;
  }
  return plan;
}

}  // namespace carrier_sim
