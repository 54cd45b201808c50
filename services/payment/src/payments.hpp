#pragma once
// The Payment's use cases on payment attempts, over PostgreSQL and the gateways:
//   initialize  register an attempt for an order (at most one live attempt per order; a new
//               method or a retry replaces the live one, which is cancelled at its gateway)
//   apply       a gateway's authenticated notification (or a status answer): applied once (its
//               dedupe row, the state change, the history and the outbox row in one transaction),
//               amount and currency checked against the attempt, states only forward
//   refund      a back-office refund through the attempt's gateway, and its notifications
//   reconcile   attempts stuck in a live state are asked about at their gateway (a webhook may
//               be lost); a Przelewy24 payment paid but not verified gets verified
//   cancel      the order's cancellation (OrderCancelled): recorded once, its live attempt
//               cancelled (at its gateway too), what was paid for it refunded in full; initialize
//               refuses it from then on
// Money that arrives for an attempt that no longer counts (its order cancelled too) is refunded
// whole by itself.
//
// Thread-safety: every member may run concurrently from the threads of the pool's io_context;
// correctness rests on row locks and the unique constraints, not on this object.
// Ownership: the store, the gateway clients and the clock must outlive it.
// Errors: Errc::not_found (order, attempt or refund unknown), Errc::forbidden (another user's
// order), Errc::conflict (already paid, cancelled: "order_cancelled", a registration under way,
// not refundable),
// Errc::invalid (bad method, BLIK code or amount; "amount_mismatch"), Errc::unavailable (the
// gateway or the database), the gateways' errors (gateway.hpp).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway.hpp"
#include "payment_rules.hpp"
#include "payment_store.hpp"
#include "platform/clock.hpp"
#include "platform/error.hpp"
#include "platform/ids.hpp"

namespace platform::metrics {
class Counter;
}

namespace payment {

using RulesSource = std::function<std::shared_ptr<const LoadedRules>()>;
// The next per-session version of the Payment's events (shared with the session's own events).
using NextVersion =
    std::function<boost::asio::awaitable<platform::Result<std::int64_t>>(std::string session_id)>;

struct PaymentsConfig {
  std::string public_url =
      "http://127.0.0.1:8103";  // our webhooks: <public_url>/payment/webhook/<gateway>
  // Where the customer's browser comes back; "{transaction_id}" and "{order_id}" are replaced.
  std::string return_url = "http://127.0.0.1:8080/?payment={transaction_id}";
  std::chrono::seconds reconcile_after{120};
  int reconcile_batch = 50;
};

struct InitializeRequest {
  std::string user_id;
  std::string order_id;
  std::optional<std::string> method_id;  // another method than the order's (a retry)
  std::optional<std::string> blik_code;  // BLIK level 0
  platform::TraceContext trace;
};

struct InitializeOutcome {
  TransactionRecord attempt;
  bool created = false;  // false: the live attempt already there was returned
};

// What applying a notification did.
enum class Applied { changed, unchanged, duplicate };

// OrderCancelled's data as the cancellation needs it.
struct OrderCancellation {
  std::string order_id;
  std::string session_id;
  std::string user_id;
  std::string reason_code;  // hold_expired, paid_after_hold
  std::string reason;       // the Checkout's words (Polish)
};

enum class CancelOutcome {
  cancelled,          // recorded; its attempts stopped or refunded
  already_cancelled,  // a redelivery: nothing changed
  unknown_order,      // never announced: recorded as a cancelled tombstone
};

class Payments {
 public:
  Payments(PaymentStore& store, std::vector<GatewayClient*> gateways, RulesSource rules,
           NextVersion next_version, PaymentsConfig config, const platform::Clock& clock);

  PaymentStore& store() { return store_; }
  GatewayClient* gateway(Gateway gateway) const;
  // Gateways whose breaker is open now.
  std::vector<Gateway> gateways_down() const;

  boost::asio::awaitable<platform::Result<InitializeOutcome>> initialize(InitializeRequest request);

  // A notification read and authenticated by the gateway's adapter. `cause` goes into the
  // history ("webhook", "reconciliation").
  boost::asio::awaitable<platform::Result<Applied>> apply(Gateway gateway,
                                                          Notification notification,
                                                          std::string cause,
                                                          platform::TraceContext trace);

  // A back-office refund of `amount` (all that is left when empty).
  boost::asio::awaitable<platform::Result<RefundRecord>> refund(std::string transaction_id,
                                                                std::optional<std::int64_t> amount,
                                                                std::string reason,
                                                                std::string requested_by,
                                                                platform::TraceContext trace);

  // Records the order as cancelled once, in one transaction with its attempts: a live one is
  // cancelled (then at its gateway, as a replaced one), a paid one gets a refund of all that is
  // left (then sent through its gateway; PaymentRefunded when it succeeds).
  boost::asio::awaitable<platform::Result<CancelOutcome>> cancel_order(
      OrderCancellation cancellation, platform::TraceContext trace);

  // One pass over stuck attempts and refunds; returns how many it looked at.
  boost::asio::awaitable<int> reconcile_once();

  // Records a signed notification we refused (wrong amount, unknown attempt) for people to look
  // at: an alert row, the attempt flagged for review, a log line and a metric. A forged one (bad
  // signature) only counts and logs: writing rows for it would let anyone fill the database.
  boost::asio::awaitable<void> alert(Gateway gateway, std::string reason,
                                     std::optional<std::string> transaction_id, std::string detail);
  static void count_forged(Gateway gateway, std::string_view detail);

 private:
  boost::asio::awaitable<platform::Result<InitializeOutcome>> register_attempt(
      const OrderRecord& order, const MethodRule& method, const InitializeRequest& request);
  boost::asio::awaitable<platform::Result<Applied>> apply_payment(Gateway gateway,
                                                                  const Notification& notification,
                                                                  std::string cause,
                                                                  platform::TraceContext trace);
  // A fact about a refund of the payment `transaction_id`. `notified`: the gateway's
  // notification, whose amount finds a refund it names only by the gateway's id when that id is
  // not recorded yet.
  boost::asio::awaitable<platform::Result<Applied>> apply_refund(
      Gateway gateway, std::string transaction_id, std::optional<std::string> event_key,
      std::optional<std::string> refund_id, std::optional<std::string> gateway_refund_id,
      GatewayState state, std::string cause, platform::TraceContext trace,
      const Notification* notified = nullptr);
  // The order's cancellation applied to one of its attempts in `tx`: the refund it asks for.
  boost::asio::awaitable<platform::Result<std::optional<RefundRecord>>> cancel_attempt(
      platform::pg::Transaction& tx, TransactionRecord attempt, std::string cause);
  // A refund by the service itself of all of the attempt that no refund holds yet, inserted in
  // `tx`; none when nothing is left.
  boost::asio::awaitable<platform::Result<std::optional<RefundRecord>>> refund_rest(
      platform::pg::Transaction& tx, std::string transaction_id, std::int64_t amount,
      std::string reason);
  boost::asio::awaitable<void> execute_refund(RefundRecord refund, platform::TraceContext trace);
  // Stops an attempt that no longer counts at its gateway (best effort: if it is paid anyway,
  // the money goes back when its notification comes).
  boost::asio::awaitable<void> cancel_at_gateway(TransactionRecord attempt);
  boost::asio::awaitable<platform::Status> finish_registration(
      TransactionRecord attempt, platform::Result<Registration> result,
      platform::TraceContext trace);
  boost::asio::awaitable<platform::Status> reconcile(TransactionRecord attempt);

  std::string notify_url(Gateway gateway) const;
  std::string return_url(const TransactionRecord& attempt) const;

  PaymentStore& store_;
  std::vector<GatewayClient*> gateways_;
  RulesSource rules_;
  NextVersion next_version_;
  PaymentsConfig config_;
  const platform::Clock& clock_;
};

// payment_webhooks_total{gateway, outcome}.
platform::metrics::Counter& webhook_counter(Gateway gateway, std::string_view outcome);

// Our transaction ids: "txn_" and 24 random hex digits (a gateway merchant reference).
std::string new_transaction_id();

}  // namespace payment
