#include "finalizer.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <ctime>

#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "order_events.hpp"
#include "order_json.hpp"
#include "platform/pg/pool.hpp"
#include "platform/redis/replies.hpp"
#include "session_snapshot.hpp"
#include "summary.hpp"

namespace checkout {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::Errc;
using platform::make_error;

constexpr auto kOtherFinalizePoll = std::chrono::milliseconds(50);

const platform::redis::Script& unlock_script() {
  static const auto script = platform::redis::Script::from_source(
      "finalize unlock",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
      "return 0");
  return script;
}

std::string lock_key(std::string_view session_id) {
  return "checkout:finalizing:{" + std::string(session_id) + "}";
}

platform::Error in_progress() {
  return make_error(Errc::conflict,
                    "Zamówienie jest właśnie składane w innym oknie; spróbuj ponownie za chwilę.",
                    "finalize_in_progress");
}

std::int64_t epoch_ms(platform::TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::int64_t epoch_us(platform::TimePoint time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

int year_of(platform::TimePoint time) {
  const auto seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  constexpr int kTmYearBase = 1900;
  return utc.tm_year + kTmYearBase;
}

// The order as placed: the summary the customer confirmed, without what only a live session has.
std::string order_document(const StoredSession& stored, const SessionSnapshot& snapshot,
                           const CheckoutRules& rules) {
  SummaryInput input;
  input.view = &snapshot.view;
  input.totals = &snapshot.totals;
  input.customer_json = stored.customer;
  input.consents = snapshot.consents;
  input.rules = &rules;
  auto document = summary_json(input);
  for (const auto* live : {"state", "opened_at", "updated_at", "versions", "readiness", "ready"}) {
    document.erase(live);
  }
  return json::serialize(document);
}

// Exits the process at a named point when CHECKOUT_FAULT says so: how the crash tests kill the
// service between two writes at exactly the place they mean.
void fault_point(const CheckoutConfig& config, std::string_view point) {
  if (config.fault == point) {
    spdlog::critical("CHECKOUT_FAULT={}: exiting", point);
    std::_Exit(3);
  }
}

platform::CloudEvent order_event(std::string_view type, const contracts::SessionEventHeader& header,
                                 std::string data) {
  return contracts::session_event(contracts::kCheckoutTopic, contracts::kCheckoutSource, type,
                                  header, std::move(data));
}

}  // namespace

Finalizer::Finalizer(CheckoutStore& sessions, OrderStore& orders, StockLedger& ledger,
                     platform::redis::RedisClient& redis, RulesSource rules,
                     const CheckoutConfig& config, const platform::Clock& clock, ChangeBoard& board)
    : sessions_(sessions),
      orders_(orders),
      ledger_(ledger),
      redis_(redis),
      rules_(std::move(rules)),
      config_(config),
      clock_(clock),
      board_(board) {}

asio::awaitable<platform::Result<FinalizeOutcome>> Finalizer::finalize(
    std::string user_id, std::chrono::milliseconds redirect_wait, platform::TraceContext trace) {
  auto placed = co_await finalize_once(std::move(user_id), trace);
  if (!placed || !placed->order || !placed->order->online || redirect_wait.count() <= 0) {
    co_return placed;
  }
  placed->order = co_await await_redirect(std::move(*placed->order), redirect_wait);
  co_return placed;
}

asio::awaitable<platform::Result<FinalizeOutcome>> Finalizer::finalize_once(
    std::string user_id, platform::TraceContext trace) {
  // Another finalize of the session holds the lock: its order is ours too. When it ends without
  // one (refused, or failed), this one tries itself.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    PLATFORM_CO_TRY(auto stored, co_await sessions_.load_current(user_id));
    if (!stored) co_return co_await just_placed(user_id);
    const auto key = lock_key(stored->session_id);
    const auto token = platform::new_uuid();
    const auto lock_ms = platform::redis::milliseconds_text(config_.finalize_lock);
    PLATFORM_CO_TRY(auto locked, co_await redis_.command("SET", key, token, "NX", "PX", lock_ms));
    if (locked.is_nil()) {
      PLATFORM_CO_TRY(auto other, co_await await_other(stored->session_id));
      if (other) co_return std::move(*other);
      continue;
    }
    auto placed = co_await existing_or_place(*stored, trace);
    std::vector<std::string> unlock_keys{key};
    std::vector<std::string> unlock_args{token};
    (void)co_await redis_.eval(unlock_script(), std::move(unlock_keys), std::move(unlock_args));
    co_return placed;
  }
  co_return in_progress();
}

asio::awaitable<platform::Result<FinalizeOutcome>> Finalizer::just_placed(std::string user_id) {
  PLATFORM_CO_TRY(auto session_id, co_await sessions_.last_ordered(user_id));
  if (session_id) {
    PLATFORM_CO_TRY(auto order, co_await orders_.find_by_session(*session_id));
    const auto age_ms = epoch_ms(clock_.now()) - (order ? order->created_ms : 0);
    if (order && order->user_id == user_id && age_ms < config_.finalize_lock.count()) {
      FinalizeOutcome out;
      out.order = std::move(*order);
      co_return out;
    }
  }
  co_return make_error(Errc::conflict, "Koszyk jest pusty: najpierw dodaj produkt do koszyka.",
                       "cart_empty");
}

asio::awaitable<platform::Result<FinalizeOutcome>> Finalizer::existing_or_place(
    const StoredSession& stored, platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto existing, co_await orders_.find_by_session(stored.session_id));
  if (existing) {
    FinalizeOutcome out;
    out.order = std::move(*existing);
    co_return out;
  }
  co_return co_await place(stored, trace);
}

asio::awaitable<platform::Result<FinalizeOutcome>> Finalizer::place(const StoredSession& stored,
                                                                    platform::TraceContext trace) {
  const auto rules = rules_();
  const auto snapshot = snapshot_of(stored, rules->rules);
  const auto& view = snapshot.view;
  FinalizeOutcome out;
  out.blockers = readiness(view, !stored.customer.empty(), snapshot.consents, rules->rules);
  if (!out.blockers.empty()) co_return out;
  if (cash_on_delivery_refused(view)) {
    out.cash_on_delivery_refused = true;
    co_return out;
  }
  PLATFORM_CO_TRY(auto catalog, co_await read_catalog(skus_of(view.cart)));
  out.catalog = check_against_catalog(view.cart, catalog);
  if (!out.catalog.ok()) co_return out;

  const auto now = clock_.now();
  const auto now_ms = epoch_ms(now);
  const auto& payment = *view.payment.method;  // readiness: a method is chosen
  OrderRow order;
  order.order_id = platform::new_uuid();
  order.session_id = stored.session_id;
  order.user_id = stored.user_id;
  order.online = payment.gateway.has_value();
  order.status = order.online ? OrderStatus::awaiting_payment : OrderStatus::confirmed;
  order.payment_method_id = payment.method_id;
  order.gateway = payment.gateway;
  order.grand_total = snapshot.totals.grand_total;
  if (order.online) order.hold_until_ms = now_ms + config_.hold.count();
  order.stock_items = stock_items(view.cart);
  order.promo_codes = promo_codes_of(view);
  order.document = order_document(stored, snapshot, rules->rules);

  // The ledger keeps the hold a grace period past the payment deadline, so the sweeper decides
  // the order's fate before the units go back by themselves.
  const auto hold_expires = order.hold_until_ms.value_or(now_ms) + config_.hold_grace.count();
  PLATFORM_CO_TRY(auto shortages, co_await ledger_.reserve(order.order_id, order.stock_items,
                                                           hold_expires, now_ms));
  if (!shortages.empty()) {
    out.shortages = std::move(shortages);
    co_return out;
  }
  fault_point(config_, "after_reservation");

  const auto occurred_at = platform::format_rfc3339(now);
  const auto traceparent = trace.traceparent();
  const contracts::SessionEventHeader created{stored.session_id, stored.user_id, stored.version + 1,
                                              traceparent, occurred_at};
  std::vector<platform::CloudEvent> events{
      order_event(et::kOrderCreated, created,
                  order_created_data(created, order.order_id, view, snapshot.totals))};
  order.event_version = created.version;
  if (!order.online) {
    const contracts::SessionEventHeader completed{stored.session_id, stored.user_id,
                                                  created.version + 1, traceparent, occurred_at};
    events.push_back(
        order_event(et::kCheckoutCompleted, completed,
                    checkout_completed_data(completed, order.order_id, "cash_on_delivery",
                                            order.payment_method_id, order.grand_total)));
    order.event_version = completed.version;
  }
  const int year = year_of(now);
  auto written = co_await orders_.pool().transaction<bool>(
      [&](platform::pg::Transaction& tx) -> asio::awaitable<platform::Result<bool>> {
        PLATFORM_CO_TRY(auto sequence, co_await orders_.next_number(tx));
        order.order_number = order_number(year, sequence);
        PLATFORM_CO_CHECK(co_await orders_.insert(tx, order, "order placed"));
        for (const auto& event : events) {
          PLATFORM_CO_CHECK(co_await orders_.append_event(tx, event));
        }
        co_return true;
      });
  if (!written) {
    (void)co_await ledger_.release(order.order_id, order.stock_items, now_ms);
    if (written.error().reason != "order_exists") co_return written.error();
    PLATFORM_CO_TRY(auto existing, co_await orders_.find_by_session(stored.session_id));
    if (!existing) co_return written.error();
    out.order = std::move(*existing);
    co_return out;
  }
  fault_point(config_, "after_order_commit");

  // The session is closed now; the consumer closes it again on OrderCreated (idempotent).
  if (auto ended = co_await sessions_.end_session(stored.session_id, stored.user_id); !ended) {
    spdlog::warn("order {}: the session stays open until OrderCreated comes back: {}",
                 order.order_id, ended.error().message);
  }
  if (!order.online) {
    // Cash on delivery is final at once: the hold becomes a sale (the sweeper does it after a
    // crash here).
    auto sold = co_await ledger_.sell(order.order_id, order.stock_items, now_ms);
    if (sold && sold->empty() && co_await orders_.mark_settled(order.order_id)) {
      order.stock_settled = true;
    }
  }
  // The closed session's summary shows the order (the saga keeps it current).
  auto brief = order_json(order, nullptr);
  if (auto recorded =
          co_await sessions_.record_order(stored.session_id, epoch_us(now), std::move(brief));
      !recorded) {
    spdlog::warn("order {}: not shown in the summary: {}", order.order_id,
                 recorded.error().message);
  }
  board_.changed(stored.session_id);
  out.order = std::move(order);
  out.created = true;
  co_return out;
}

asio::awaitable<platform::Result<Catalog>> Finalizer::read_catalog(std::vector<std::string> skus) {
  std::vector<std::string> command{"MGET"};
  for (const auto& sku : skus) command.push_back(contracts::catalog_product_key(sku));
  PLATFORM_CO_TRY(auto reply, co_await redis_.command(std::move(command)));
  if (!reply.is_array() || reply.elements().size() != skus.size()) {
    co_return platform::redis::unexpected_reply(reply);
  }
  Catalog catalog;
  for (std::size_t i = 0; i < skus.size(); ++i) {
    const auto& record = reply.elements()[i];
    if (record.is_nil()) continue;  // no longer sold
    // A record that does not read is the product system's fault: the product is not sold now.
    boost::system::error_code ec;
    const auto parsed = json::parse(record.as_string(), ec);
    auto product =
        ec ? platform::Result<contracts::Product>(make_error(Errc::invalid, ec.message()))
           : contracts::product_from_json(parsed);
    if (!product) {
      spdlog::error("catalog record of {} does not read: {}", skus[i], product.error().message);
      continue;
    }
    catalog.emplace(skus[i], std::move(*product));
  }
  co_return catalog;
}

asio::awaitable<platform::Result<std::optional<FinalizeOutcome>>> Finalizer::await_other(
    std::string session_id) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + config_.finalize_wait;
  while (std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(kOtherFinalizePoll);
    co_await timer.async_wait(asio::use_awaitable);
    PLATFORM_CO_TRY(auto existing, co_await orders_.find_by_session(session_id));
    if (existing) {
      FinalizeOutcome out;
      out.order = std::move(*existing);
      co_return std::optional(std::move(out));
    }
    PLATFORM_CO_TRY(auto held, co_await redis_.command("EXISTS", lock_key(session_id)));
    if (held.as_integer() == 0) co_return std::optional<FinalizeOutcome>();
  }
  co_return in_progress();
}

asio::awaitable<OrderRow> Finalizer::await_redirect(OrderRow order,
                                                    std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!order.redirect_url && is_unpaid(order.status)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const auto seen = board_.seen(order.session_id);
    co_await board_.wait(order.session_id, seen, std::min(left, config_.poll));
    auto fresh = co_await orders_.find(order.order_id);
    if (fresh && *fresh) order = std::move(**fresh);
  }
  co_return order;
}

}  // namespace checkout
