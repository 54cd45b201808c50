#include "config.hpp"

#include "platform/config.hpp"

namespace shipping {

ShippingConfig ShippingConfig::from_env() {
  namespace env = platform::config;
  ShippingConfig config;
  config.rules_file = env::get_string("SHIPPING_RULES_FILE", SHIPPING_DEFAULT_RULES_FILE);
  config.session_ttl = std::chrono::days(env::get_int("SHIPPING_SESSION_TTL_DAYS", 30, 1, 3650));
  config.methods_cache_ttl =
      std::chrono::seconds(env::get_int("SHIPPING_METHODS_CACHE_S", 600, 1, 86400));
  config.calendar_fresh = std::chrono::seconds(env::get_int("CALENDAR_FRESH_S", 300, 0, 86400));
  config.calendar_keep =
      std::chrono::seconds(env::get_int("CALENDAR_KEEP_S", 86400, 1, std::int64_t{30} * 86400));
  config.calendar_days = static_cast<int>(env::get_int("CALENDAR_DAYS", 14, 1, 31));
  config.carrier_api_key = env::get_string("CARRIER_API_KEY", "dev-carrier-key");
  config.commit_attempts = static_cast<int>(env::get_int("SHIPPING_COMMIT_ATTEMPTS", 16, 1, 1000));
  return config;
}

}  // namespace shipping
