#pragma once
// An order's life after finalize, as pure decisions (the saga's rules): which status a payment
// fact or the passing of the hold moves an order to, and what that step must also do (turn the
// stock hold into a sale, publish CheckoutCompleted or OrderCancelled). Statuses move only
// forward:
//
//   awaiting_payment ⇄ payment_failed      (a failed attempt; the customer may pay again while
//          │                │               the hold lasts, with another method too)
//          ├──── paid ◄─────┤               (PaymentSucceeded: the hold becomes a sale)
//          └── cancelled ◄──┘               (the hold lapsed, or the customer cancelled)
//   confirmed                               (cash on delivery: placed and final at once)
//
// paid, confirmed and cancelled are final. A success that reaches a cancelled order changes
// nothing here: the Payment refunds it (it took OrderCancelled), and the history says so.
// Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>

namespace checkout {

enum class OrderStatus { awaiting_payment, payment_failed, paid, confirmed, cancelled };

std::string_view to_string(OrderStatus status);
std::optional<OrderStatus> order_status_from(std::string_view name);
bool is_final(OrderStatus status);
// Still waiting for its money: the hold counts and a payment may still come.
bool is_unpaid(OrderStatus status);

// A fact the Payment published about one of the order's attempts.
enum class PaymentFact { initialized, pending, failed, succeeded, refunded };

// What the order knows when a fact arrives.
struct OrderPaymentState {
  OrderStatus status = OrderStatus::awaiting_payment;
  std::string transaction_id;  // the live attempt, "" before the first PaymentInitialized
};

// What one step does. `to` empty: the status stays (the fact is only written to the history).
struct OrderStep {
  std::optional<OrderStatus> to;
  bool adopt_attempt = false;  // the fact's attempt becomes the live one (transaction, redirect)
  bool sell_stock = false;     // the hold becomes a sale before the step commits
  std::string cause;           // for the history
};

// The step a payment fact about attempt `transaction_id` makes.
OrderStep on_payment(const OrderPaymentState& order, PaymentFact fact,
                     std::string_view transaction_id);

// Whether an unpaid order's hold has lapsed at `now_ms` (ms since the epoch).
bool hold_lapsed(OrderStatus status, std::int64_t hold_until_ms, std::int64_t now_ms);

// "ZK-<year>-<6 digits of the sequence>" (more digits once past a million).
std::string order_number(int year, std::int64_t sequence);

}  // namespace checkout
