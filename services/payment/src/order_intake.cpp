#include "order_intake.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "contracts/session_ref.hpp"

namespace payment {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

const json::string* string_at(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? &value->as_string() : nullptr;
}
}  // namespace

platform::Result<OrderRecord> order_from_event(const platform::CloudEvent& event) {
  PLATFORM_TRY(auto data, contracts::event_data(event));
  PLATFORM_TRY(auto ref, contracts::session_ref(event.data));
  const auto& object = data.as_object();
  const auto* order_id = string_at(object, "order_id");
  const auto* method_id = string_at(object, "payment_method_id");
  const auto* totals = object.if_contains("totals");
  const json::object* grand_total = nullptr;
  if (totals != nullptr && totals->is_object()) {
    const auto* value = totals->as_object().if_contains("grand_total");
    if (value != nullptr && value->is_object()) grand_total = &value->as_object();
  }
  if (order_id == nullptr || order_id->empty() || method_id == nullptr || grand_total == nullptr) {
    return make_error(Errc::invalid,
                      "OrderCreated without order_id, payment_method_id or totals.grand_total");
  }
  const auto* amount = grand_total->if_contains("amount");
  const auto* currency = string_at(*grand_total, "currency");
  if (amount == nullptr || !amount->is_int64() || amount->as_int64() < 0 || currency == nullptr) {
    return make_error(Errc::invalid, "OrderCreated with a malformed grand_total");
  }
  OrderRecord order;
  order.order_id = *order_id;
  order.session_id = std::move(ref.session_id);
  order.user_id = std::move(ref.user_id);
  order.amount = amount->as_int64();
  order.currency = *currency;
  order.method_id = *method_id;
  return order;
}

platform::Result<OrderCancellation> cancellation_from_event(const platform::CloudEvent& event) {
  PLATFORM_TRY(auto data, contracts::event_data(event));
  PLATFORM_TRY(auto ref, contracts::session_ref(event.data));
  const auto& object = data.as_object();
  const auto* order_id = string_at(object, "order_id");
  const auto* reason_code = string_at(object, "reason_code");
  if (order_id == nullptr || order_id->empty() || reason_code == nullptr) {
    return make_error(Errc::invalid, "OrderCancelled without order_id or reason_code");
  }
  const auto* reason = string_at(object, "reason");
  OrderCancellation cancellation;
  cancellation.order_id = *order_id;
  cancellation.session_id = std::move(ref.session_id);
  cancellation.user_id = std::move(ref.user_id);
  cancellation.reason_code = *reason_code;
  if (reason != nullptr) cancellation.reason = *reason;
  return cancellation;
}

OrderIntake::OrderIntake(ChoiceService& choices, Payments& payments, PaymentStore& store,
                         RulesSource rules)
    : choices_(choices), payments_(payments), store_(store), rules_(std::move(rules)) {}

boost::asio::awaitable<platform::Status> OrderIntake::on_order_created(platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto order, order_from_event(event));
  PLATFORM_CO_TRY(auto session, co_await choices_.session(order.session_id));
  if (session && session->email) order.email = *session->email;
  PLATFORM_CO_TRY(auto recorded, co_await store_.save_order(order));
  (void)recorded;
  PLATFORM_CO_CHECK(co_await choices_.end_session(order.session_id, order.user_id));

  const auto rules = rules_();
  const auto* method = rules->rules.method(order.method_id);
  if (method == nullptr || method->kind != MethodKind::online || method->blik_code ||
      order.amount <= 0) {
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto stored, co_await store_.order(order.order_id));
  if (stored && stored->cancelled) {
    // Its OrderCancelled came first (a tombstone): initialize would refuse it anyway.
    spdlog::info("order {} is cancelled: no payment starts", order.order_id);
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto attempts, co_await store_.order_transactions(order.order_id));
  if (!attempts.empty()) co_return platform::Status{};  // started already (a redelivery)
  InitializeRequest request;
  request.user_id = order.user_id;
  request.order_id = order.order_id;
  request.trace = platform::TraceContext::parse_or_generate(event.traceparent);
  auto started = co_await payments_.initialize(std::move(request));
  if (!started) {
    // The customer (or the Checkout) can start it with POST /payment/initialize.
    spdlog::warn("order {}: payment not started: {}", order.order_id, started.error().message);
  }
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> OrderIntake::on_order_cancelled(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto cancellation, cancellation_from_event(event));
  const auto order_id = cancellation.order_id;
  const auto trace = platform::TraceContext::parse_or_generate(event.traceparent);
  PLATFORM_CO_TRY(auto outcome, co_await payments_.cancel_order(std::move(cancellation), trace));
  switch (outcome) {
    case CancelOutcome::cancelled:
      spdlog::info("order {} cancelled", order_id);
      break;
    case CancelOutcome::already_cancelled:
      spdlog::debug("order {} cancelled already (a redelivery)", order_id);
      break;
    case CancelOutcome::unknown_order:
      spdlog::warn(
          "order {} cancelled before its OrderCreated reached us: recorded, no payment "
          "will start for it",
          order_id);
      break;
  }
  co_return platform::Status{};
}

}  // namespace payment
