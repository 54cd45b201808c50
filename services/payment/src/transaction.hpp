#pragma once
// A payment attempt's states and refunds, and the only moves between them: pure functions, no
// I/O. States move only forward:
//   registering → initialized → pending → succeeded → partially_refunded → refunded
//                                        ↘ failed
//   (any live state) → cancelled (replaced by a newer attempt for the same order, or the order
//                                 was cancelled: OrderCancelled)
// A notification never moves an attempt back (a late PENDING after COMPLETED changes nothing),
// and money that arrives for an attempt that no longer counts (failed, cancelled, its order
// already paid by another attempt or cancelled) is given back whole, never kept silently.
#include <cstdint>
#include <optional>
#include <string_view>

#include "gateway.hpp"

namespace payment {

enum class TxState {
  registering,  // our row exists, the gateway call is under way
  initialized,  // registered: the customer can pay (PaymentInitialized)
  pending,      // the gateway reports the payment in progress (PaymentPending)
  succeeded,    // paid (PaymentSucceeded)
  failed,       // declined, cancelled at the gateway, expired, or registration failed
  cancelled,    // replaced by a newer attempt for the same order, or the order was cancelled
  partially_refunded,
  refunded,
};

std::string_view to_string(TxState state);
std::optional<TxState> tx_state_from(std::string_view name);

// The customer may still pay it: at most one such attempt per order.
bool is_live(TxState state);
// Money was received for it.
bool is_paid(TxState state);

// What an attempt's payment notification (or status answer) does.
struct PaymentStep {
  TxState to = TxState::registering;
  // The event to publish: PaymentPending, PaymentSucceeded or PaymentFailed; none when the
  // state stays (or the money is only given back).
  std::optional<std::string_view> event_type;
  // Money arrived for an attempt that does not count: refund all of it.
  bool refund_whole = false;
};

// std::nullopt: nothing changes. `order_closed`: the order takes no more money (another attempt
// of it succeeded, or it was cancelled). Only pending, succeeded and failed are payment states;
// refund states give std::nullopt.
std::optional<PaymentStep> on_payment(TxState current, GatewayState notified, bool order_closed);

// What the order's cancellation (OrderCancelled) does to one of its attempts.
struct CancelStep {
  TxState to = TxState::cancelled;
  // Money was received for it: give back all that no refund holds yet.
  bool refund_rest = false;
};

// A live attempt is cancelled (the customer may no longer pay it), a paid one keeps its state and
// is refunded; std::nullopt for one that ended without money counted or is refunded in full (money
// paid late for a failed or cancelled attempt was given back when it arrived: on_payment).
std::optional<CancelStep> on_order_cancelled(TxState current);

enum class RefundState {
  requested,  // our row exists, the gateway call is under way
  pending,    // the gateway accepted it
  succeeded,
  failed,
};

std::string_view to_string(RefundState state);
std::optional<RefundState> refund_state_from(std::string_view name);

// The refund's next state for a refund notification (or the gateway's answer), std::nullopt when
// nothing changes (a duplicate, a late pending after the end).
std::optional<RefundState> on_refund(RefundState current, GatewayState notified);

// The attempt's state once `refunded` of its `amount` has been given back.
TxState after_refunds(std::int64_t amount, std::int64_t refunded);

}  // namespace payment
