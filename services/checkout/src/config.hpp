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

  // Orders (PostgreSQL, the kit's PG_* settings).
  std::string pg_schema = "checkout";  // CHECKOUT_PG_SCHEMA
  std::string migrations_dir;          // CHECKOUT_MIGRATIONS_DIR (services/checkout/migrations)
  // CHECKOUT_HOLD_SECONDS (900): how long an online order's stock is held for its payment.
  std::chrono::milliseconds hold{900'000};
  // CHECKOUT_HOLD_GRACE_MS (60000): the ledger keeps a hold this much longer, so the sweeper
  // cancels the order before its units go back by themselves.
  std::chrono::milliseconds hold_grace{60'000};
  // CHECKOUT_SWEEP_MS (1000): how often lapsed holds are cancelled and unsettled sales settled.
  std::chrono::milliseconds sweep{1000};
  int sweep_batch = 200;  // CHECKOUT_SWEEP_BATCH
  // CHECKOUT_FINALIZE_LOCK_MS (30000): a finalize's lock on its session (a crashed one's lapses).
  std::chrono::milliseconds finalize_lock{30'000};
  // CHECKOUT_FINALIZE_WAIT_MS (5000): how long a second finalize of a session waits for the
  // first one's order.
  std::chrono::milliseconds finalize_wait{5000};
  // CHECKOUT_REDIRECT_WAIT_MS (3000): how long finalize waits by default for the online
  // payment's redirect URL (the request's wait_ms overrides it, up to CHECKOUT_MAX_WAIT_MS).
  std::chrono::milliseconds redirect_wait{3000};
  // CHECKOUT_FAULT (tests only): after_reservation or after_order_commit exits the process there.
  std::string fault;

  static CheckoutConfig from_env();
};

}  // namespace checkout
