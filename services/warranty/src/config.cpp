#include "config.hpp"

#include "platform/config.hpp"

namespace warranty {

WarrantyConfig WarrantyConfig::from_env() {
  namespace env = platform::config;
  WarrantyConfig config;
  config.rules_file = env::get_string("WARRANTY_RULES_FILE", WARRANTY_DEFAULT_RULES_FILE);
  config.session_ttl = std::chrono::days(env::get_int("WARRANTY_SESSION_TTL_DAYS", 30, 1, 3650));
  config.commit_attempts = static_cast<int>(env::get_int("WARRANTY_COMMIT_ATTEMPTS", 16, 1, 1000));
  return config;
}

}  // namespace warranty
