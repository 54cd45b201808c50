#include "config.hpp"

#include <stdexcept>

#include "platform/config.hpp"

namespace payment {

PaymentConfig PaymentConfig::from_env() {
  namespace env = platform::config;
  PaymentConfig config;
  config.rules_file = env::get_string("PAYMENT_RULES_FILE", PAYMENT_DEFAULT_RULES_FILE);
  config.migrations_dir = env::get_string("PAYMENT_MIGRATIONS_DIR", PAYMENT_DEFAULT_MIGRATIONS_DIR);
  config.pg_schema = env::get_string("PAYMENT_PG_SCHEMA", config.pg_schema);
  config.session_ttl = std::chrono::days(env::get_int("PAYMENT_SESSION_TTL_DAYS", 30, 1, 3650));
  config.commit_attempts = static_cast<int>(env::get_int("PAYMENT_COMMIT_ATTEMPTS", 16, 1, 1000));
  config.backoffice_key = env::get_string("PAYMENT_BACKOFFICE_KEY", config.backoffice_key);
  if (config.backoffice_key.size() < 16) {
    throw std::invalid_argument("PAYMENT_BACKOFFICE_KEY must be at least 16 characters");
  }
  config.reconcile_interval =
      std::chrono::seconds(env::get_int("PAYMENT_RECONCILE_INTERVAL_S", 30, 1, 86400));
  // The gateways call us back on our own port unless told otherwise (a proxy in front).
  const auto port = env::get_int("HTTP_PORT", 8103, 1, 65535);
  config.payments.public_url =
      env::get_string("PAYMENT_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(port));
  config.payments.return_url = env::get_string("PAYMENT_RETURN_URL", config.payments.return_url);
  config.payments.reconcile_after =
      std::chrono::seconds(env::get_int("PAYMENT_RECONCILE_AFTER_S", 120, 1, 86400 * 7));
  return config;
}

}  // namespace payment
