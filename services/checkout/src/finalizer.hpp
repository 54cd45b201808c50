#pragma once
// POST /checkout/finalize as a use case: the session becomes an order, exactly once.
//   1. one finalize per session at a time (a lock in Redis, checkout:finalizing:{session_id});
//      a second one waits for the first one's order and answers it; a session that already has
//      an order (or was closed by one moments ago) answers that order
//   2. the checks: the summary's readiness, each line's price and product against the catalog
//      now, cash on delivery only with a method that takes it
//   3. the stock of every line held (stock_ledger.hpp), all or none, until the payment's deadline
//   4. the order, its history and OrderCreated (and CheckoutCompleted for cash on delivery) in
//      one PostgreSQL transaction; a failure there gives the holds back, a crash leaves them to
//      lapse
//   5. the session ends (the consumer does it again on OrderCreated); a cash-on-delivery order's
//      hold becomes a sale at once (or by the sweeper after a crash)
// The order's online payment is started by the Payment from OrderCreated; finalize may wait a
// little for its redirect URL (PaymentInitialized, taken by the saga on the back half).
//
// Threads: one instance per io_context (front half), like its store and ledger. Errors:
// Errc::conflict "cart_empty" (no open session) or "finalize_in_progress" (another finalize
// of the session did not finish in time), Errc::unavailable (Redis or PostgreSQL).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "change_board.hpp"
#include "checkout_service.hpp"
#include "config.hpp"
#include "finalize_checks.hpp"
#include "order_store.hpp"
#include "platform/clock.hpp"
#include "platform/error.hpp"
#include "platform/ids.hpp"
#include "readiness.hpp"
#include "stock_ledger.hpp"
#include "store.hpp"

namespace checkout {

// What finalize answers: the order (new or the session's existing one), or why there is none.
struct FinalizeOutcome {
  std::optional<OrderRow> order;
  bool created = false;
  std::vector<Blocker> blockers;  // 422: the summary's readiness
  CatalogVerdict catalog;         // 409: prices changed, products gone
  std::vector<Shortage> shortages;
  bool cash_on_delivery_refused = false;
};

class Finalizer {
 public:
  Finalizer(CheckoutStore& sessions, OrderStore& orders, StockLedger& ledger,
            platform::redis::RedisClient& redis, RulesSource rules, const CheckoutConfig& config,
            const platform::Clock& clock, ChangeBoard& board);

  // `redirect_wait`: how long to wait for an online payment's redirect URL before answering.
  boost::asio::awaitable<platform::Result<FinalizeOutcome>> finalize(
      std::string user_id, std::chrono::milliseconds redirect_wait, platform::TraceContext trace);

 private:
  // No open session: the order that closed the user's last one, when it is only moments old (a
  // double click that came after the first finalize finished); cart_empty otherwise.
  boost::asio::awaitable<platform::Result<FinalizeOutcome>> just_placed(std::string user_id);
  boost::asio::awaitable<platform::Result<FinalizeOutcome>> existing_or_place(
      const StoredSession& stored, platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<FinalizeOutcome>> place(const StoredSession& stored,
                                                                  platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<Catalog>> read_catalog(std::vector<std::string> skus);
  boost::asio::awaitable<platform::Result<FinalizeOutcome>> finalize_once(
      std::string user_id, platform::TraceContext trace);
  // The other finalize's order; nullopt when it ended without one.
  boost::asio::awaitable<platform::Result<std::optional<FinalizeOutcome>>> await_other(
      std::string session_id);
  boost::asio::awaitable<OrderRow> await_redirect(OrderRow order, std::chrono::milliseconds wait);

  CheckoutStore& sessions_;
  OrderStore& orders_;
  StockLedger& ledger_;
  platform::redis::RedisClient& redis_;
  RulesSource rules_;
  const CheckoutConfig& config_;
  const platform::Clock& clock_;
  ChangeBoard& board_;
};

}  // namespace checkout
