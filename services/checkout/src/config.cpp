#include "config.hpp"

#include "platform/config.hpp"

namespace checkout {

CheckoutConfig CheckoutConfig::from_env() {
  namespace env = platform::config;
  CheckoutConfig config;
  config.rules_file = env::get_string("CHECKOUT_RULES_FILE", CHECKOUT_DEFAULT_RULES_FILE);
  config.session_ttl = std::chrono::days(env::get_int("CHECKOUT_SESSION_TTL_DAYS", 30, 1, 3650));
  config.commit_attempts = static_cast<int>(env::get_int("CHECKOUT_COMMIT_ATTEMPTS", 16, 1, 1000));
  config.max_wait = std::chrono::milliseconds(env::get_int("CHECKOUT_MAX_WAIT_MS", 5000, 0, 30000));
  config.heartbeat =
      std::chrono::milliseconds(env::get_int("CHECKOUT_STREAM_HEARTBEAT_MS", 5000, 100, 60000));
  config.poll = std::chrono::milliseconds(env::get_int("CHECKOUT_POLL_MS", 250, 5, 10000));
  return config;
}

}  // namespace checkout
