#pragma once
// The Warranty's typed configuration, read once at startup from the environment (README lists
// each). The warranty plans themselves are in their YAML file (WARRANTY_RULES_FILE).
#include <chrono>
#include <string>

namespace warranty {

struct WarrantyConfig {
  std::string rules_file;  // WARRANTY_RULES_FILE (services/warranty/config/warranty_rules.yaml)
  // WARRANTY_SESSION_TTL_DAYS (30): a session untouched this long expires.
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
  int commit_attempts = 16;  // WARRANTY_COMMIT_ATTEMPTS: compare-and-set retries
  std::string outbox_stream = "outbox:warranty";

  static WarrantyConfig from_env();
};

}  // namespace warranty
