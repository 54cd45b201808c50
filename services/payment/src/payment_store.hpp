#pragma once
// The Payment's PostgreSQL records (migrations/V001__payments.sql and the later files, in the
// schema PAYMENT_PG_SCHEMA): orders as announced by the Checkout (and cancelled by it), payment
// attempts with their state history, the gateway events already applied, refunds, webhook alerts,
// and the outbox (platform/pg/outbox.hpp).
//
// Statements that change an attempt take the caller's Transaction, so the state, its history,
// the gateway event's dedupe row and the outbox row commit together or not at all. Reads outside
// a change go through the pool.
// Thread-safety: the store is stateless besides the pool reference and the schema; use it from
// any coroutine. Errors: the pool's (platform/pg/pool.hpp); Errc::internal for a row that does not
// read back (a bug or a hand-edited row).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway.hpp"
#include "platform/cloud_event.hpp"
#include "platform/error.hpp"
#include "transaction.hpp"

namespace platform::pg {
class Pool;
class Transaction;
struct Migration;
}  // namespace platform::pg

namespace payment {

struct OrderRecord {
  std::string order_id;
  std::string session_id;
  std::string user_id;
  std::int64_t amount = 0;  // the order's grand total, grosze
  std::string currency = "PLN";
  std::string method_id;
  std::string email;       // may be empty: the gateways then get a placeholder
  bool cancelled = false;  // OrderCancelled: it takes no payment any more
};

struct TransactionRecord {
  std::string transaction_id;
  std::string order_id;
  std::string session_id;
  std::string user_id;
  Gateway gateway = Gateway::przelewy24;
  std::string method_id;
  std::int64_t amount = 0;
  std::string currency = "PLN";
  TxState state = TxState::registering;
  std::optional<std::string> registration_reference;
  std::optional<std::string> gateway_reference;
  std::optional<std::string> redirect_url;
  std::int64_t refunded = 0;
  std::optional<std::string> review_reason;
  std::optional<std::string> failure_reason;
  std::string created_at;  // RFC 3339
  std::string updated_at;

  [[nodiscard]] AttemptRef attempt() const;
};

struct HistoryEntry {
  std::optional<TxState> from;
  TxState to = TxState::registering;
  std::string cause;
  std::string at;
};

struct RefundRecord {
  std::string refund_id;
  std::string transaction_id;
  std::int64_t amount = 0;
  RefundState state = RefundState::requested;
  std::optional<std::string> gateway_refund_id;
  std::string reason;
  std::string requested_by;
  std::string created_at;
};

// The migrations of the schema: the files of `dir` (V001 the tables, V003 ...) and the outbox as
// version 2.
[[nodiscard]] platform::Result<std::vector<platform::pg::Migration>> payment_migrations(
    const std::string& dir);

class PaymentStore {
 public:
  PaymentStore(platform::pg::Pool& pool, std::string schema);

  platform::pg::Pool& pool() { return pool_; }

  // --- outside a transaction ---
  // Records an order once (a redelivered OrderCreated changes nothing; one for a tombstone fills
  // it in and leaves it cancelled). true: new or filled in.
  boost::asio::awaitable<platform::Result<bool>> save_order(OrderRecord order);
  boost::asio::awaitable<platform::Result<std::optional<OrderRecord>>> order(std::string order_id);
  boost::asio::awaitable<platform::Result<std::optional<TransactionRecord>>> transaction(
      std::string transaction_id);
  boost::asio::awaitable<platform::Result<std::vector<TransactionRecord>>> order_transactions(
      std::string order_id);
  boost::asio::awaitable<platform::Result<std::vector<HistoryEntry>>> history(
      std::string transaction_id);
  boost::asio::awaitable<platform::Result<std::vector<RefundRecord>>> refunds(
      std::string transaction_id);
  // Live attempts neither changed nor checked since `older_than`, the longest waiting first.
  boost::asio::awaitable<platform::Result<std::vector<TransactionRecord>>> stale_live(
      std::chrono::seconds older_than, int limit);
  // Reconciliation asked the gateway about the attempt (it goes to the back of the line).
  boost::asio::awaitable<platform::Status> mark_checked(std::string transaction_id);
  // Refunds still requested (the gateway call may have died with the process), older than
  // `older_than`.
  boost::asio::awaitable<platform::Result<std::vector<RefundRecord>>> stale_refunds(
      std::chrono::seconds older_than, int limit);
  // Marks an attempt for a person to look at (e.g. a notification with the wrong amount).
  boost::asio::awaitable<platform::Status> flag_for_review(std::string transaction_id,
                                                           std::string reason);
  boost::asio::awaitable<platform::Status> add_alert(std::string gateway, std::string reason,
                                                     std::optional<std::string> transaction_id,
                                                     std::string detail);

  // --- inside the caller's transaction ---
  // Errc::conflict "unique_violation" when the order already has a live attempt.
  boost::asio::awaitable<platform::Status> insert_transaction(platform::pg::Transaction& tx,
                                                              const TransactionRecord& record,
                                                              std::string cause);
  boost::asio::awaitable<platform::Result<std::optional<TransactionRecord>>> lock_transaction(
      platform::pg::Transaction& tx, std::string transaction_id);
  // The order's live attempt, locked.
  boost::asio::awaitable<platform::Result<std::optional<TransactionRecord>>> lock_live_attempt(
      platform::pg::Transaction& tx, std::string order_id);
  // Writes the record's state, references, refunded amount and reasons, with a history entry when
  // the state differs from `from`.
  boost::asio::awaitable<platform::Status> update_transaction(platform::pg::Transaction& tx,
                                                              const TransactionRecord& record,
                                                              TxState from, std::string cause);
  // The order, locked: the cancellation, and initialize against it.
  boost::asio::awaitable<platform::Result<std::optional<OrderRecord>>> lock_order(
      platform::pg::Transaction& tx, std::string order_id);
  // Records a cancelled order we never saw (OrderCancelled before, or without, its OrderCreated):
  // amount 0, no method, flagged a tombstone. Nothing when the order exists. true: recorded.
  boost::asio::awaitable<platform::Result<bool>> save_tombstone(platform::pg::Transaction& tx,
                                                                std::string order_id,
                                                                std::string session_id,
                                                                std::string user_id);
  boost::asio::awaitable<platform::Status> mark_cancelled(platform::pg::Transaction& tx,
                                                          std::string order_id,
                                                          std::string reason_code,
                                                          std::string reason);
  // Every attempt of the order, locked, oldest first.
  boost::asio::awaitable<platform::Result<std::vector<TransactionRecord>>> lock_order_attempts(
      platform::pg::Transaction& tx, std::string order_id);
  // Whether the order was cancelled (read, not locked: a notification locks its attempt only).
  boost::asio::awaitable<platform::Result<bool>> order_cancelled(platform::pg::Transaction& tx,
                                                                 std::string order_id);
  // Whether another attempt of the order has been paid.
  boost::asio::awaitable<platform::Result<bool>> paid_elsewhere(platform::pg::Transaction& tx,
                                                                std::string order_id,
                                                                std::string transaction_id);
  // The gateway event's dedupe row. false: already applied (nothing else may be written).
  boost::asio::awaitable<platform::Result<bool>> claim_gateway_event(platform::pg::Transaction& tx,
                                                                     Gateway gateway,
                                                                     std::string event_key,
                                                                     std::string transaction_id);
  boost::asio::awaitable<platform::Status> insert_refund(platform::pg::Transaction& tx,
                                                         const RefundRecord& refund);
  // A refund of the payment `transaction_id` by our id or the gateway's id, locked. Only within
  // its payment: a gateway's refund ids need not be unique across its merchants' payments (a
  // restarted simulator counts from 1 again), and a notification must not reach another's refund.
  boost::asio::awaitable<platform::Result<std::optional<RefundRecord>>> lock_refund(
      platform::pg::Transaction& tx, std::string transaction_id,
      std::optional<std::string> refund_id, std::optional<std::string> gateway_refund_id);
  // The one refund of `amount` on the payment that is unfinished with no gateway id yet, or has
  // `gateway_refund_id`, locked; none when there is no such refund or more than one. For a
  // notification that raced the refund call's answer (PayU does not echo our id): when that
  // answer's transaction holds the row, the lock waits and the row, read again with the id the
  // answer recorded, still matches.
  boost::asio::awaitable<platform::Result<std::optional<RefundRecord>>> lock_unassigned_refund(
      platform::pg::Transaction& tx, std::string transaction_id, std::int64_t amount,
      std::string gateway_refund_id);
  boost::asio::awaitable<platform::Status> update_refund(platform::pg::Transaction& tx,
                                                         const RefundRecord& refund);
  // What refunds not failed already hold of an attempt (asked or done).
  boost::asio::awaitable<platform::Result<std::int64_t>> refunds_held(platform::pg::Transaction& tx,
                                                                      std::string transaction_id);
  boost::asio::awaitable<platform::Status> append_event(platform::pg::Transaction& tx,
                                                        platform::CloudEvent event);

 private:
  [[nodiscard]] std::string table(std::string_view name) const;

  platform::pg::Pool& pool_;
  std::string schema_;
};

}  // namespace payment
