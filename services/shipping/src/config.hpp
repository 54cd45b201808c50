#pragma once
// The Shipping's typed configuration, read once at startup from the environment (README lists
// each). The delivery rules themselves are in their YAML file (SHIPPING_RULES_FILE).
#include <chrono>
#include <string>

namespace shipping {

struct ShippingConfig {
  std::string rules_file;  // SHIPPING_RULES_FILE (services/shipping/config/delivery_rules.yaml)
  // SHIPPING_SESSION_TTL_DAYS (30): a session untouched this long expires.
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
  // SHIPPING_METHODS_CACHE_S (600): how long shipping:methods:{cart_hash} lives.
  std::chrono::seconds methods_cache_ttl{600};
  // CALENDAR_FRESH_S (300): a calendar this young is served without asking the carrier.
  std::chrono::seconds calendar_fresh{300};
  // CALENDAR_KEEP_S (86400): how long the last good calendar is kept to serve stale.
  std::chrono::seconds calendar_keep{86400};
  int calendar_days = 14;  // CALENDAR_DAYS (1..31): days asked of the carrier
  std::string carrier_api_key = "dev-carrier-key";  // CARRIER_API_KEY
  int commit_attempts = 16;  // SHIPPING_COMMIT_ATTEMPTS: compare-and-set retries
  std::string outbox_stream = "outbox:shipping";

  static ShippingConfig from_env();
};

}  // namespace shipping
