#pragma once
// The Payment's typed configuration, read once at startup from the environment (README lists
// each). The payment methods and their rules are in their YAML file (PAYMENT_RULES_FILE); the
// gateways' credentials and addresses in P24_*, PAYU_*, STRIPE_* (each adapter's from_env and
// platform::httpclient::ClientConfig::from_env).
#include <chrono>
#include <string>

#include "payments.hpp"

namespace payment {

struct PaymentConfig {
  std::string rules_file;      // PAYMENT_RULES_FILE (services/payment/config/payment_rules.yaml)
  std::string migrations_dir;  // PAYMENT_MIGRATIONS_DIR (services/payment/migrations)
  std::string pg_schema = "payment";  // PAYMENT_PG_SCHEMA
  // PAYMENT_SESSION_TTL_DAYS (30): a session untouched this long expires.
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
  int commit_attempts = 16;  // PAYMENT_COMMIT_ATTEMPTS: compare-and-set retries
  // PAYMENT_BACKOFFICE_KEY: the back office's key for /payment/admin (X-Backoffice-Key).
  std::string backoffice_key = "dev-backoffice-key";
  // PAYMENT_RECONCILE_INTERVAL_S (30): how often stuck attempts are looked at.
  std::chrono::seconds reconcile_interval{30};
  // PAYMENT_PUBLIC_URL (http://127.0.0.1:<HTTP_PORT>: where the gateways send notifications),
  // PAYMENT_RETURN_URL, PAYMENT_RECONCILE_AFTER_S (120).
  PaymentsConfig payments;
  std::string outbox_stream = "outbox:payment";

  static PaymentConfig from_env();
};

}  // namespace payment
