#pragma once
// The Checkout's typed configuration, read once at startup from the environment (README lists
// each). VAT rates and consent texts are in their YAML file (CHECKOUT_RULES_FILE).
#include <chrono>
#include <string>

namespace checkout {

struct CheckoutConfig {
  std::string rules_file;  // CHECKOUT_RULES_FILE (services/checkout/config/checkout_rules.yaml)
  // CHECKOUT_SESSION_TTL_DAYS (30): a session untouched this long is abandoned and expires.
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
  int commit_attempts = 16;  // CHECKOUT_COMMIT_ATTEMPTS: compare-and-set retries
  // CHECKOUT_MAX_WAIT_MS (5000): the longest a summary may wait for a client's own change.
  std::chrono::milliseconds max_wait{5000};
  // CHECKOUT_STREAM_HEARTBEAT_MS (5000): an SSE comment at least this often (and a re-read).
  std::chrono::milliseconds heartbeat{5000};
  // CHECKOUT_POLL_MS (250): how often a waiter re-reads Redis when no change is announced in
  // this process (the change may come through another instance).
  std::chrono::milliseconds poll{250};
  std::string outbox_stream = "outbox:checkout";

  static CheckoutConfig from_env();
};

}  // namespace checkout
