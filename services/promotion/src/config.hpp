#pragma once
// The Promotion's typed configuration, read once at startup from the environment (README lists
// each). The promotions themselves are in their YAML file (PROMOTION_RULES_FILE).
#include <chrono>
#include <string>

namespace promotion {

struct PromotionConfig {
  std::string rules_file;  // PROMOTION_RULES_FILE (services/promotion/config/promotion_rules.yaml)
  // PROMOTION_SESSION_TTL_DAYS (30): a session untouched this long expires.
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
  // PROMOTION_CACHE_S (600): how long promotions:available:{cart_hash} lives.
  std::chrono::seconds cache_ttl{600};
  int commit_attempts = 16;  // PROMOTION_COMMIT_ATTEMPTS: compare-and-set retries
  std::string outbox_stream = "outbox:promotion";

  static PromotionConfig from_env();
};

}  // namespace promotion
