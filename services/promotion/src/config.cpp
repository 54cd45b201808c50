#include "config.hpp"

#include "platform/config.hpp"

namespace promotion {

PromotionConfig PromotionConfig::from_env() {
  namespace env = platform::config;
  PromotionConfig config;
  config.rules_file = env::get_string("PROMOTION_RULES_FILE", PROMOTION_DEFAULT_RULES_FILE);
  config.session_ttl = std::chrono::days(env::get_int("PROMOTION_SESSION_TTL_DAYS", 30, 1, 3650));
  config.cache_ttl = std::chrono::seconds(env::get_int("PROMOTION_CACHE_S", 600, 1, 86400));
  config.commit_attempts = static_cast<int>(env::get_int("PROMOTION_COMMIT_ATTEMPTS", 16, 1, 1000));
  return config;
}

}  // namespace promotion
