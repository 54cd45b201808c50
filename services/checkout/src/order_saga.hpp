#pragma once
// The orders' saga on the back half: what the Payment's facts (payment-events) and the passing of
// time do to orders, by the rules of order.hpp.
//   apply()        PaymentInitialized / Pending / Failed / Succeeded / Refunded: applied once
//                  (the event's ce_id recorded in the same transaction), under the order's row
//                  lock; a success turns the hold into a sale and publishes CheckoutCompleted,
//                  or, when the hold lapsed and the units went to someone else, cancels the order
//                  (OrderCancelled paid_after_hold: the Payment refunds the money)
//   sweep_once()   unpaid orders past their deadline are cancelled (units released,
//                  OrderCancelled hold_expired: code uses given back, a late payment refunded);
//                  paid or confirmed orders whose sale a crash left unwritten are settled
//   cancel_by_customer()  the same cancellation, asked by the order's owner
// After each step the ordered session's summary shows the order as it is now (store.hpp
// record_order). Every step: the row lock, the ledger, the status with its history row and the
// event's outbox row in one transaction; the ledger's scripts are idempotent, so a transaction that
// fails after them is simply run again by the redelivery or the next sweep.
//
// Threads: one instance per io_context (its store and ledger are that context's). Errors:
// Errc::invalid for a payment event without its order or attempt (a poison message);
// Errc::not_found / forbidden / conflict for a customer's cancel; the stores' errors.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "change_board.hpp"
#include "order_store.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/error.hpp"
#include "platform/ids.hpp"
#include "stock_ledger.hpp"
#include "store.hpp"

namespace checkout {

class OrderSaga {
 public:
  OrderSaga(OrderStore& orders, StockLedger& ledger, CheckoutStore& sessions,
            const platform::Clock& clock, ChangeBoard& board, int sweep_batch);

  boost::asio::awaitable<platform::Status> apply(platform::CloudEvent event);

  boost::asio::awaitable<platform::Result<OrderRow>> cancel_by_customer(
      std::string user_id, std::string order_id, platform::TraceContext trace);

  // One pass of the sweeper; how many orders it changed.
  boost::asio::awaitable<int> sweep_once();

 private:
  struct Cancellation {
    std::string reason_code;
    std::string reason;
    std::optional<std::string> owner;  // a customer's cancel: only their own order
    bool only_if_lapsed = false;       // the sweeper's: only past the deadline
  };
  boost::asio::awaitable<platform::Result<std::optional<OrderRow>>> cancel(
      std::string order_id, Cancellation why, platform::TraceContext trace);
  boost::asio::awaitable<platform::Status> settle(std::string order_id);
  std::int64_t now_ms() const;
  std::int64_t now_us() const;
  // After a commit: the ordered session's summary shows the order as it is now; its waiters wake.
  boost::asio::awaitable<void> announce(const OrderRow& order);

  OrderStore& orders_;
  StockLedger& ledger_;
  CheckoutStore& sessions_;
  const platform::Clock& clock_;
  ChangeBoard& board_;
  int sweep_batch_;
};

}  // namespace checkout
