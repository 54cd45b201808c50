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
  config.pg_schema = env::get_string("CHECKOUT_PG_SCHEMA", "checkout");
  config.migrations_dir =
      env::get_string("CHECKOUT_MIGRATIONS_DIR", CHECKOUT_DEFAULT_MIGRATIONS_DIR);
  config.hold =
      std::chrono::seconds(env::get_int("CHECKOUT_HOLD_SECONDS", 900, 1, std::int64_t{7} * 86400));
  config.hold_grace =
      std::chrono::milliseconds(env::get_int("CHECKOUT_HOLD_GRACE_MS", 60000, 0, 86'400'000));
  config.sweep = std::chrono::milliseconds(env::get_int("CHECKOUT_SWEEP_MS", 1000, 10, 600000));
  config.sweep_batch = static_cast<int>(env::get_int("CHECKOUT_SWEEP_BATCH", 200, 1, 10000));
  config.finalize_lock =
      std::chrono::milliseconds(env::get_int("CHECKOUT_FINALIZE_LOCK_MS", 30000, 100, 600000));
  config.finalize_wait =
      std::chrono::milliseconds(env::get_int("CHECKOUT_FINALIZE_WAIT_MS", 5000, 0, 60000));
  config.redirect_wait =
      std::chrono::milliseconds(env::get_int("CHECKOUT_REDIRECT_WAIT_MS", 3000, 0, 30000));
  config.fault = env::get_string("CHECKOUT_FAULT", "");
  return config;
}

}  // namespace checkout
