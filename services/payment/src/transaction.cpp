#include "transaction.hpp"

#include <array>
#include <utility>

#include "contracts/event_types.hpp"

namespace payment {
namespace {
namespace event_type = contracts::event_type;

constexpr std::array<std::pair<TxState, std::string_view>, 8> kTxStates{{
    {TxState::registering, "registering"},
    {TxState::initialized, "initialized"},
    {TxState::pending, "pending"},
    {TxState::succeeded, "succeeded"},
    {TxState::failed, "failed"},
    {TxState::cancelled, "cancelled"},
    {TxState::partially_refunded, "partially_refunded"},
    {TxState::refunded, "refunded"},
}};

constexpr std::array<std::pair<RefundState, std::string_view>, 4> kRefundStates{{
    {RefundState::requested, "requested"},
    {RefundState::pending, "pending"},
    {RefundState::succeeded, "succeeded"},
    {RefundState::failed, "failed"},
}};

template <class State, std::size_t N>
std::string_view name_of(const std::array<std::pair<State, std::string_view>, N>& names,
                         State state) {
  for (const auto& [value, name] : names) {
    if (value == state) return name;
  }
  return "unknown";
}

template <class State, std::size_t N>
std::optional<State> state_of(const std::array<std::pair<State, std::string_view>, N>& names,
                              std::string_view name) {
  for (const auto& [value, known] : names) {
    if (known == name) return value;
  }
  return std::nullopt;
}
}  // namespace

std::string_view to_string(TxState state) {
  return name_of(kTxStates, state);
}
std::optional<TxState> tx_state_from(std::string_view name) {
  return state_of(kTxStates, name);
}
std::string_view to_string(RefundState state) {
  return name_of(kRefundStates, state);
}
std::optional<RefundState> refund_state_from(std::string_view name) {
  return state_of(kRefundStates, name);
}

bool is_live(TxState state) {
  return state == TxState::registering || state == TxState::initialized ||
         state == TxState::pending;
}

bool is_paid(TxState state) {
  return state == TxState::succeeded || state == TxState::partially_refunded ||
         state == TxState::refunded;
}

std::optional<PaymentStep> on_payment(TxState current, GatewayState notified, bool order_closed) {
  switch (notified) {
    case GatewayState::pending:
      if (current == TxState::registering || current == TxState::initialized) {
        return PaymentStep{TxState::pending, event_type::kPaymentPending};
      }
      return std::nullopt;
    case GatewayState::succeeded:
      if (is_live(current)) {
        if (order_closed) return PaymentStep{TxState::succeeded, std::nullopt, true};
        return PaymentStep{TxState::succeeded, event_type::kPaymentSucceeded};
      }
      // Paid after we gave up on it (failed, or replaced): the money goes back.
      if (current == TxState::failed || current == TxState::cancelled) {
        return PaymentStep{current, std::nullopt, true};
      }
      return std::nullopt;
    case GatewayState::failed:
      if (is_live(current)) return PaymentStep{TxState::failed, event_type::kPaymentFailed};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<CancelStep> on_order_cancelled(TxState current) {
  if (is_live(current)) return CancelStep{TxState::cancelled, false};
  if (current == TxState::succeeded || current == TxState::partially_refunded) {
    return CancelStep{current, true};
  }
  return std::nullopt;
}

std::optional<RefundState> on_refund(RefundState current, GatewayState notified) {
  const bool open = current == RefundState::requested || current == RefundState::pending;
  switch (notified) {
    case GatewayState::refund_pending:
      if (current == RefundState::requested) return RefundState::pending;
      return std::nullopt;
    case GatewayState::refund_succeeded:
      if (open) return RefundState::succeeded;
      return std::nullopt;
    case GatewayState::refund_failed:
      if (open) return RefundState::failed;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

TxState after_refunds(std::int64_t amount, std::int64_t refunded) {
  if (refunded <= 0) return TxState::succeeded;
  return refunded >= amount ? TxState::refunded : TxState::partially_refunded;
}

}  // namespace payment
