#include "order_saga.hpp"

#include <spdlog/spdlog.h>

#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/session_ref.hpp"
#include "contracts/topics.hpp"
#include "json_fields.hpp"
#include "order_events.hpp"
#include "order_json.hpp"
#include "platform/metrics.hpp"
#include "platform/pg/pool.hpp"

namespace checkout {
namespace {
namespace asio = boost::asio;
namespace et = contracts::event_type;
using platform::Errc;
using platform::make_error;

constexpr std::string_view kHoldExpired =
    "Zamówienie nie zostało opłacone w wyznaczonym czasie; rezerwacja towaru wygasła.";
constexpr std::string_view kPaidAfterHold =
    "Płatność dotarła po wygaśnięciu rezerwacji, a towaru zabrakło; pieniądze zostaną zwrócone.";
constexpr std::string_view kCancelledByCustomer = "Zamówienie anulowane przez klienta.";

std::optional<PaymentFact> fact_of(std::string_view type) {
  if (type == et::kPaymentInitialized) return PaymentFact::initialized;
  if (type == et::kPaymentPending) return PaymentFact::pending;
  if (type == et::kPaymentFailed) return PaymentFact::failed;
  if (type == et::kPaymentSucceeded) return PaymentFact::succeeded;
  if (type == et::kPaymentRefunded) return PaymentFact::refunded;
  return std::nullopt;  // the customer's choice (PaymentMethodSelected, ...): not the saga's
}

// The order's next event: its version follows the order's last one.
platform::CloudEvent next_event(
    OrderRow& order, std::string_view type, const platform::TraceContext& trace,
    platform::TimePoint now,
    const std::function<std::string(const contracts::SessionEventHeader&)>& data) {
  const auto traceparent = trace.traceparent();
  const auto occurred_at = platform::format_rfc3339(now);
  order.event_version += 1;
  const contracts::SessionEventHeader header{order.session_id, order.user_id, order.event_version,
                                             traceparent, occurred_at};
  return contracts::session_event(contracts::kCheckoutTopic, contracts::kCheckoutSource, type,
                                  header, data(header));
}

platform::metrics::Counter& short_at_settlement() {
  return platform::metrics::registry().counter(
      "checkout_stock_short_at_settlement_total",
      "Paid or confirmed orders whose units were gone when their sale was written (a crash "
      "outlasted the hold's grace): people must look.");
}

}  // namespace

OrderSaga::OrderSaga(OrderStore& orders, StockLedger& ledger, CheckoutStore& sessions,
                     const platform::Clock& clock, ChangeBoard& board, int sweep_batch)
    : orders_(orders),
      ledger_(ledger),
      sessions_(sessions),
      clock_(clock),
      board_(board),
      sweep_batch_(sweep_batch) {}

asio::awaitable<void> OrderSaga::announce(const OrderRow& order) {
  auto brief = order_json(order, nullptr);
  auto recorded = co_await sessions_.record_order(order.session_id, now_us(), std::move(brief));
  if (!recorded) {
    spdlog::warn("order {}: the summary keeps its older state: {}", order.order_id,
                 recorded.error().message);
  }
  board_.changed(order.session_id);
}

std::int64_t OrderSaga::now_us() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock_.now().time_since_epoch())
      .count();
}

std::int64_t OrderSaga::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
      .count();
}

asio::awaitable<platform::Status> OrderSaga::apply(platform::CloudEvent event) {
  const auto fact = fact_of(event.type);
  if (!fact) co_return platform::Status{};
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(const auto* object, fields::object(data, "event data"));
  PLATFORM_CO_TRY(auto order_id, fields::text(*object, "order_id"));
  PLATFORM_CO_TRY(auto transaction_id, fields::text(*object, "transaction_id"));
  PLATFORM_CO_TRY(auto redirect_url, fields::optional_text(*object, "redirect_url"));
  PLATFORM_CO_TRY(auto gateway, fields::optional_text(*object, "gateway"));
  const auto trace = platform::TraceContext::parse_or_generate(event.traceparent).child();
  const auto now = clock_.now();
  std::optional<OrderRow> changed;
  auto applied = co_await orders_.pool().transaction<bool>(
      [&](platform::pg::Transaction& tx) -> asio::awaitable<platform::Result<bool>> {
        PLATFORM_CO_TRY(auto fresh, co_await orders_.claim_event(tx, event.id));
        if (!fresh) co_return false;  // a duplicate or a redelivery
        PLATFORM_CO_TRY(auto locked, co_await orders_.lock(tx, order_id));
        if (!locked) {
          spdlog::info("payment event {} names order {}, which is not ours", event.type, order_id);
          co_return false;
        }
        auto order = std::move(*locked);
        const auto from = order.status;
        const auto step =
            on_payment({order.status, order.transaction_id.value_or("")}, *fact, transaction_id);
        if (step.adopt_attempt) {
          order.transaction_id = transaction_id;
          if (gateway) order.gateway = gateway;
          if (*fact == PaymentFact::initialized) order.redirect_url = redirect_url;
        }
        std::optional<platform::CloudEvent> out;
        auto cause = step.cause;
        if (step.sell_stock) {
          PLATFORM_CO_TRY(auto shortages,
                          co_await ledger_.sell(order.order_id, order.stock_items, now_ms()));
          if (shortages.empty()) {
            order.status = OrderStatus::paid;
            order.stock_settled = true;
            out = next_event(order, et::kCheckoutCompleted, trace, now, [&](const auto& header) {
              return checkout_completed_data(header, order.order_id, "paid",
                                             order.payment_method_id, order.grand_total);
            });
          } else {
            order.status = OrderStatus::cancelled;
            cause += ": the hold had lapsed and the units were gone";
            out = next_event(order, et::kOrderCancelled, trace, now, [&](const auto& header) {
              return order_cancelled_data(header, order.order_id, "paid_after_hold", kPaidAfterHold,
                                          order.promo_codes);
            });
          }
        } else if (step.to) {
          order.status = *step.to;
        }
        PLATFORM_CO_CHECK(co_await orders_.update(tx, order, from, cause));
        if (out) PLATFORM_CO_CHECK(co_await orders_.append_event(tx, std::move(*out)));
        changed = order;
        co_return true;
      });
  if (!applied) co_return applied.error();
  if (*applied && changed) co_await announce(*changed);
  co_return platform::Status{};
}

asio::awaitable<platform::Result<OrderRow>> OrderSaga::cancel_by_customer(
    std::string user_id, std::string order_id, platform::TraceContext trace) {
  Cancellation why{"cancelled_by_customer", std::string(kCancelledByCustomer), std::move(user_id),
                   false};
  PLATFORM_CO_TRY(auto cancelled, co_await cancel(order_id, std::move(why), trace));
  if (cancelled) co_return std::move(*cancelled);
  co_return make_error(Errc::not_found, "no order " + order_id, "order_not_found");
}

asio::awaitable<platform::Result<std::optional<OrderRow>>> OrderSaga::cancel(
    std::string order_id, Cancellation why, platform::TraceContext trace) {
  const auto now = clock_.now();
  const auto at_ms = now_ms();
  auto cancelled = co_await orders_.pool().transaction<std::optional<OrderRow>>(
      [&](platform::pg::Transaction& tx)
          -> asio::awaitable<platform::Result<std::optional<OrderRow>>> {
        PLATFORM_CO_TRY(auto locked, co_await orders_.lock(tx, order_id));
        if (!locked) co_return std::optional<OrderRow>{};
        auto order = std::move(*locked);
        if (why.owner && *why.owner != order.user_id) {
          co_return make_error(Errc::forbidden, "Ta zamówienie należy do innego klienta.",
                               "not_your_order");
        }
        if (!is_unpaid(order.status)) {
          if (!why.owner) co_return std::optional<OrderRow>{};
          co_return make_error(Errc::conflict,
                               "Zamówienia w stanie " + std::string(to_string(order.status)) +
                                   " nie można anulować.",
                               "order_not_cancellable");
        }
        if (why.only_if_lapsed &&
            !hold_lapsed(order.status, order.hold_until_ms.value_or(0), at_ms)) {
          co_return std::optional<OrderRow>{};
        }
        PLATFORM_CO_CHECK(co_await ledger_.release(order.order_id, order.stock_items, at_ms));
        const auto from = order.status;
        order.status = OrderStatus::cancelled;
        auto event = next_event(order, et::kOrderCancelled, trace, now, [&](const auto& header) {
          return order_cancelled_data(header, order.order_id, why.reason_code, why.reason,
                                      order.promo_codes);
        });
        PLATFORM_CO_CHECK(co_await orders_.update(tx, order, from, why.reason_code));
        PLATFORM_CO_CHECK(co_await orders_.append_event(tx, std::move(event)));
        co_return std::optional<OrderRow>(std::move(order));
      });
  if (cancelled && *cancelled) co_await announce(**cancelled);
  co_return cancelled;
}

asio::awaitable<platform::Status> OrderSaga::settle(std::string order_id) {
  auto settled = co_await orders_.pool().transaction<bool>(
      [&](platform::pg::Transaction& tx) -> asio::awaitable<platform::Result<bool>> {
        PLATFORM_CO_TRY(auto locked, co_await orders_.lock(tx, order_id));
        if (!locked || locked->stock_settled || is_unpaid(locked->status) ||
            locked->status == OrderStatus::cancelled) {
          co_return false;
        }
        auto order = std::move(*locked);
        PLATFORM_CO_TRY(auto shortages,
                        co_await ledger_.sell(order.order_id, order.stock_items, now_ms()));
        std::optional<std::string> cause;
        if (!shortages.empty()) {
          short_at_settlement().inc();
          spdlog::error("order {} is {} but {} of its SKUs were short when its sale was written",
                        order.order_id, to_string(order.status), shortages.size());
          cause = "stock short at settlement: people must look";
        }
        order.stock_settled = true;
        PLATFORM_CO_CHECK(co_await orders_.update(tx, order, order.status, cause));
        co_return true;
      });
  if (!settled) co_return settled.error();
  co_return platform::Status{};
}

asio::awaitable<int> OrderSaga::sweep_once() {
  int changed = 0;
  auto lapsed = co_await orders_.due_to_expire(now_ms(), sweep_batch_);
  if (!lapsed) spdlog::warn("sweeper: {}", lapsed.error().message);
  for (const auto& order_id : lapsed ? *lapsed : std::vector<std::string>{}) {
    Cancellation why{"hold_expired", std::string(kHoldExpired), std::nullopt, true};
    auto cancelled = co_await cancel(order_id, std::move(why), platform::TraceContext::generate());
    if (!cancelled) spdlog::warn("sweeper: order {}: {}", order_id, cancelled.error().message);
    if (cancelled && *cancelled) ++changed;
  }
  auto unsettled = co_await orders_.due_to_settle(sweep_batch_);
  if (!unsettled) spdlog::warn("sweeper: {}", unsettled.error().message);
  for (const auto& order_id : unsettled ? *unsettled : std::vector<std::string>{}) {
    auto settled = co_await settle(order_id);
    if (!settled) spdlog::warn("sweeper: order {}: {}", order_id, settled.error().message);
    ++changed;
  }
  co_return changed;
}

}  // namespace checkout
