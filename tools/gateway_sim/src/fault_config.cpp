#include "gateway_sim/fault_config.hpp"

#include <boost/json/value.hpp>
#include <limits>
#include <string>

#include "platform/http/json.hpp"

namespace gateway_sim {
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

platform::Status read_flag(bool& flag, std::string_view name, const json::value& value) {
  if (!value.is_bool()) return bad_field(name, "true or false");
  flag = value.as_bool();
  return {};
}

platform::Status read_amount_delta(FaultConfig& config, std::string_view name,
                                   const json::value& value, const FaultLimits& limits) {
  const auto delta = integer_of(value);
  const auto max = limits.max_amount_delta;
  if (!delta || (max && (*delta < -*max || *delta > *max))) {
    return bad_field(
        name, max ? "an integer from -" + std::to_string(*max) + " to " + std::to_string(*max)
                  : std::string("an integer"));
  }
  config.amount_delta = *delta;
  return {};
}

platform::Status read_field(FaultConfig& config, std::string_view name, const json::value& value,
                            const FaultLimits& limits) {
  if (name == "duplicate_notifications") {
    const auto count = integer_of(value);
    if (!count || *count < 0 || *count > kMaxDuplicates) {
      return bad_field(name, "an integer from 0 to 10");
    }
    config.duplicate_notifications = static_cast<int>(*count);
    return {};
  }
  if (name == "reorder_notifications") return read_flag(config.reorder_notifications, name, value);
  if (name == "drop_notifications") return read_flag(config.drop_notifications, name, value);
  if (name == "bad_signature") return read_flag(config.bad_signature, name, value);
  if (name == "amount_delta") return read_amount_delta(config, name, value, limits);
  if (name == "api_status") {
    const auto status = value.is_null() ? std::optional<std::int64_t>{0} : integer_of(value);
    if (!status || (*status != 0 && (*status < 400 || *status > 599))) {
      return bad_field(name, "null, 0 or an HTTP status from 400 to 599");
    }
    config.api_status = *status == 0 ? std::nullopt : std::optional<int>(static_cast<int>(*status));
    return {};
  }
  if (name == "api_delay_ms") {
    const auto millis = integer_of(value);
    if (!millis || *millis < 0 || *millis > kMaxApiDelay.count()) {
      return bad_field(name, "an integer from 0 to 60000");
    }
    config.api_delay = std::chrono::milliseconds(*millis);
    return {};
  }
  return platform::make_error(
      Errc::malformed,
      "unknown field '" + std::string(name) +
          "' (known: duplicate_notifications, reorder_notifications, drop_notifications, "
          "bad_signature, amount_delta, api_status, api_delay_ms)",
      "invalid_fault");
}
}  // namespace

platform::Result<FaultConfig> parse_fault_config(std::string_view body, FaultLimits limits) {
  PLATFORM_TRY(const auto object, platform::http::parse_json_object(body));
  FaultConfig config;
  for (const auto& [name, value] : object) {
    PLATFORM_CHECK(read_field(config, name, value, limits));
  }
  return config;
}

json::object to_json(const FaultConfig& config) {
  json::object out;
  out["duplicate_notifications"] = config.duplicate_notifications;
  out["reorder_notifications"] = config.reorder_notifications;
  out["drop_notifications"] = config.drop_notifications;
  out["bad_signature"] = config.bad_signature;
  out["amount_delta"] = config.amount_delta;
  if (config.api_status) {
    out["api_status"] = *config.api_status;
  } else {
    out["api_status"] = nullptr;
  }
  out["api_delay_ms"] = config.api_delay.count();
  return out;
}

void FaultStore::set(FaultConfig config) {
  const std::lock_guard lock(mutex_);
  config_ = config;
}

FaultConfig FaultStore::current() const {
  const std::lock_guard lock(mutex_);
  return config_;
}

}  // namespace gateway_sim
