#include "order.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace checkout {
namespace {

constexpr std::array<std::pair<OrderStatus, std::string_view>, 5> kStatusNames = {{
    {OrderStatus::awaiting_payment, "awaiting_payment"},
    {OrderStatus::payment_failed, "payment_failed"},
    {OrderStatus::paid, "paid"},
    {OrderStatus::confirmed, "confirmed"},
    {OrderStatus::cancelled, "cancelled"},
}};

std::string note(std::string_view what, std::string_view transaction_id) {
  return std::string(what) + " (" + std::string(transaction_id) + ")";
}

}  // namespace

std::string_view to_string(OrderStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<OrderStatus> order_status_from(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool is_final(OrderStatus status) {
  return !is_unpaid(status);
}

bool is_unpaid(OrderStatus status) {
  return status == OrderStatus::awaiting_payment || status == OrderStatus::payment_failed;
}

OrderStep on_payment(const OrderPaymentState& order, PaymentFact fact,
                     std::string_view transaction_id) {
  const bool live = order.transaction_id.empty() || order.transaction_id == transaction_id;
  switch (fact) {
    case PaymentFact::initialized:
      // A new attempt (a retry, maybe with another method) replaces the failed or live one.
      if (is_unpaid(order.status)) {
        return {OrderStatus::awaiting_payment, true, false,
                note("payment initialized", transaction_id)};
      }
      return {std::nullopt, false, false, note("payment initialized too late", transaction_id)};
    case PaymentFact::pending:
      return {std::nullopt, false, false, note("payment pending", transaction_id)};
    case PaymentFact::failed:
      // Only the live attempt's failure counts: an old attempt failing (it was replaced, or its
      // failure arrived after the retry began) must not mark a live payment failed.
      if (order.status == OrderStatus::awaiting_payment && live) {
        return {OrderStatus::payment_failed, false, false, note("payment failed", transaction_id)};
      }
      return {std::nullopt, false, false, note("payment failed (no effect)", transaction_id)};
    case PaymentFact::succeeded:
      // Any attempt's money counts while the order is unpaid (the Payment never keeps two live
      // attempts; an old one paid at the gateway is still the customer's money for this order).
      if (is_unpaid(order.status)) {
        return {OrderStatus::paid, !live, true, note("payment succeeded", transaction_id)};
      }
      if (order.status == OrderStatus::cancelled) {
        return {std::nullopt, false, false,
                note("paid after cancellation: the Payment refunds it", transaction_id)};
      }
      return {std::nullopt, false, false, note("payment succeeded again", transaction_id)};
    case PaymentFact::refunded:
      return {std::nullopt, false, false, note("payment refunded", transaction_id)};
  }
  return {};
}

bool hold_lapsed(OrderStatus status, std::int64_t hold_until_ms, std::int64_t now_ms) {
  return is_unpaid(status) && now_ms >= hold_until_ms;
}

std::string order_number(int year, std::int64_t sequence) {
  std::array<char, 48> text{};
  std::snprintf(text.data(), text.size(), "ZK-%04d-%06lld", year, static_cast<long long>(sequence));
  return text.data();
}

}  // namespace checkout
