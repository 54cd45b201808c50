#include "faults.hpp"

#include <utility>

#include "platform/http/json.hpp"

namespace stripe_sim {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error invalid(std::string_view name, std::string_view expected) {
  return make_error(Errc::malformed, "'" + std::string(name) + "' must be " + std::string(expected),
                    "invalid_parameter");
}

platform::Result<std::int64_t> integer_in(const json::value& value, std::string_view name,
                                          std::int64_t min, std::int64_t max) {
  if (!value.is_int64() || value.as_int64() < min || value.as_int64() > max) {
    return invalid(name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value.as_int64();
}

platform::Result<bool> boolean(const json::value& value, std::string_view name) {
  if (!value.is_bool()) return invalid(name, "true or false");
  return value.as_bool();
}
}  // namespace

platform::Result<FaultConfig> parse_fault_config(std::string_view body) {
  PLATFORM_TRY(const auto object, platform::http::parse_json_object(body));
  FaultConfig config;
  constexpr std::int64_t kMaxDelta = 1'000'000'000;
  for (const auto& [key, value] : object) {
    if (key == "duplicate_notifications") {
      PLATFORM_TRY(const auto n, integer_in(value, key, 0, 10));
      config.duplicate_notifications = static_cast<int>(n);
    } else if (key == "reorder_notifications") {
      PLATFORM_TRY(config.reorder_notifications, boolean(value, key));
    } else if (key == "drop_notifications") {
      PLATFORM_TRY(config.drop_notifications, boolean(value, key));
    } else if (key == "bad_signature") {
      PLATFORM_TRY(config.bad_signature, boolean(value, key));
    } else if (key == "stale_timestamp") {
      PLATFORM_TRY(config.stale_timestamp, boolean(value, key));
    } else if (key == "amount_delta") {
      PLATFORM_TRY(config.amount_delta, integer_in(value, key, -kMaxDelta, kMaxDelta));
    } else if (key == "api_status") {
      PLATFORM_TRY(const auto status, integer_in(value, key, 0, 599));
      if (status != 0 && status < 400) return invalid(key, "0 (off) or an integer from 400 to 599");
      config.api_status = static_cast<int>(status);
    } else if (key == "api_delay_ms") {
      PLATFORM_TRY(const auto delay, integer_in(value, key, 0, 60000));
      config.api_delay_ms = static_cast<int>(delay);
    } else if (key == "second_secret") {
      if (!value.is_string()) return invalid(key, "a string (\"\" for none)");
      config.second_secret = std::string(value.as_string());
    } else {
      return make_error(Errc::malformed, "unknown fault '" + std::string(key) + "'",
                        "invalid_parameter");
    }
  }
  return config;
}

json::object to_json(const FaultConfig& config) {
  return json::object{
      {"duplicate_notifications", config.duplicate_notifications},
      {"reorder_notifications", config.reorder_notifications},
      {"drop_notifications", config.drop_notifications},
      {"bad_signature", config.bad_signature},
      {"amount_delta", config.amount_delta},
      {"api_status", config.api_status},
      {"api_delay_ms", config.api_delay_ms},
      {"stale_timestamp", config.stale_timestamp},
      {"second_secret", config.second_secret},
  };
}

void Faults::set(FaultConfig config) {
  const std::lock_guard lock(mutex_);
  config_ = std::move(config);
}

FaultConfig Faults::current() const {
  const std::lock_guard lock(mutex_);
  return config_;
}

}  // namespace stripe_sim
