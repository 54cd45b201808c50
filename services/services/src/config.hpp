#pragma once
// The Services' typed configuration, read once at startup from the environment (README lists
// each). The services rules themselves are in their YAML file (SERVICES_RULES_FILE).
#include <chrono>
#include <string>

namespace extra_services {

struct ServicesConfig {
  std::string rules_file;  // SERVICES_RULES_FILE (services/services/config/services_rules.yaml)
  // SERVICES_SESSION_TTL_DAYS (30): a session untouched this long expires.
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
  // SERVICES_CACHE_S (600): how long services:available:{cart_hash} lives.
  std::chrono::seconds cache_ttl{600};
  int commit_attempts = 16;  // SERVICES_COMMIT_ATTEMPTS: compare-and-set retries
  std::string outbox_stream = "outbox:services";

  static ServicesConfig from_env();
};

}  // namespace extra_services
