#include "payments.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "contracts/event_types.hpp"
#include "platform/metrics.hpp"
#include "platform/pg/pool.hpp"
#include "transaction_events.hpp"

namespace payment {
namespace {
namespace asio = boost::asio;
using platform::Errc;
using platform::make_error;
using platform::pg::Transaction;

constexpr std::size_t kMaxGatewayEmail = 50;
constexpr std::string_view kShopEmail = "platnosci@sklep.example";
// The reasons of the refunds the service asks for by itself (the gateway shows them).
constexpr std::string_view kOverpaymentRefund = "Zwrot nadpłaty";
constexpr std::string_view kCancelledOrderRefund = "Zwrot: zamówienie anulowane";

// The state a notification asks for is a refund's.
bool is_refund_state(GatewayState state) {
  return state == GatewayState::refund_pending || state == GatewayState::refund_succeeded ||
         state == GatewayState::refund_failed;
}

bool is_blik_code(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); });
}

platform::Error order_cancelled_error() {
  return make_error(Errc::conflict, "Zamówienie zostało anulowane: nie przyjmuje już płatności.",
                    "order_cancelled");
}

void replace_all(std::string& text, std::string_view token, std::string_view value) {
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
    text.replace(at, token.size(), value);
    at += value.size();
  }
}

}  // namespace

platform::metrics::Counter& webhook_counter(Gateway gateway, std::string_view outcome) {
  return platform::metrics::registry().counter(
      "payment_webhooks_total", "Gateway notifications by outcome.",
      {{"gateway", std::string(gateway_name(gateway))}, {"outcome", std::string(outcome)}});
}

namespace {
// PaymentFailed's reason_code for the gateway's words.
std::string_view failure_code(const Notification& notification) {
  const auto& detail = notification.detail;
  if (detail.find("expired") != std::string::npos) return "expired";
  if (detail.find("CANCEL") != std::string::npos || detail.find("cancel") != std::string::npos) {
    return "cancelled";
  }
  return "declined";
}
}  // namespace

std::string new_transaction_id() {
  return "txn_" + platform::random_hex(12);
}

Payments::Payments(PaymentStore& store, std::vector<GatewayClient*> gateways, RulesSource rules,
                   NextVersion next_version, PaymentsConfig config, const platform::Clock& clock)
    : store_(store),
      gateways_(std::move(gateways)),
      rules_(std::move(rules)),
      next_version_(std::move(next_version)),
      config_(std::move(config)),
      clock_(clock) {}

GatewayClient* Payments::gateway(Gateway gateway) const {
  for (auto* client : gateways_) {
    if (client->gateway() == gateway) return client;
  }
  return nullptr;
}

std::vector<Gateway> Payments::gateways_down() const {
  std::vector<Gateway> down;
  for (auto* client : gateways_) {
    if (!client->available()) down.push_back(client->gateway());
  }
  return down;
}

std::string Payments::notify_url(Gateway gateway) const {
  return config_.public_url + "/payment/webhook/" + std::string(gateway_name(gateway));
}

std::string Payments::return_url(const TransactionRecord& attempt) const {
  auto url = config_.return_url;
  replace_all(url, "{transaction_id}", attempt.transaction_id);
  replace_all(url, "{order_id}", attempt.order_id);
  return url;
}

// --- initialize ---

asio::awaitable<platform::Result<InitializeOutcome>> Payments::initialize(
    InitializeRequest request) {
  PLATFORM_CO_TRY(auto order, co_await store_.order(request.order_id));
  if (!order) {
    co_return make_error(Errc::not_found, "Nie znamy zamówienia " + request.order_id + ".",
                         "order_not_found");
  }
  if (order->user_id != request.user_id) {
    co_return make_error(Errc::forbidden, "To zamówienie należy do innego klienta.",
                         "not_your_order");
  }
  if (order->cancelled) co_return order_cancelled_error();
  const auto rules = rules_();
  const auto method_id = request.method_id.value_or(order->method_id);
  const auto* method = rules->rules.method(method_id);
  if (method == nullptr) {
    co_return make_error(Errc::invalid, "Nie ma metody płatności " + method_id + ".",
                         "unknown_method");
  }
  if (method->kind != MethodKind::online || !method->gateway) {
    co_return make_error(Errc::conflict,
                         "Metoda " + method->name +
                             " nie wymaga płatności online: zamówienie "
                             "opłacisz przy odbiorze.",
                         "not_an_online_method");
  }
  if (method->blik_code) {
    if (!request.blik_code) {
      co_return make_error(Errc::invalid, "Podaj sześciocyfrowy kod BLIK.", "blik_code_required");
    }
    if (!is_blik_code(*request.blik_code)) {
      co_return make_error(Errc::invalid, "Kod BLIK to sześć cyfr.", "blik_code_invalid");
    }
  } else if (request.blik_code) {
    co_return make_error(Errc::invalid, "Kod BLIK podaje się tylko przy metodzie BLIK na stronie.",
                         "blik_code_unexpected");
  }
  co_return co_await register_attempt(*order, *method, request);
}

asio::awaitable<platform::Result<InitializeOutcome>> Payments::register_attempt(
    const OrderRecord& order, const MethodRule& method, const InitializeRequest& request) {
  auto* client = gateway(*method.gateway);
  if (client == nullptr || !client->available()) {
    co_return make_error(Errc::unavailable,
                         "Bramka płatności " + std::string(gateway_name(*method.gateway)) +
                             " jest chwilowo niedostępna. Spróbuj za chwilę lub wybierz inną "
                             "metodę.",
                         "gateway_unavailable");
  }
  TransactionRecord attempt;
  attempt.transaction_id = new_transaction_id();
  attempt.order_id = order.order_id;
  attempt.session_id = order.session_id;
  attempt.user_id = order.user_id;
  attempt.gateway = *method.gateway;
  attempt.method_id = method.id;
  attempt.amount = order.amount;
  attempt.currency = order.currency;
  attempt.state = TxState::registering;
  if (attempt.amount <= 0) {
    co_return make_error(Errc::conflict, "Zamówienie nie ma nic do zapłaty.", "nothing_to_pay");
  }

  // One transaction: the live attempt either answers the request or is replaced.
  std::optional<TransactionRecord> existing;
  std::optional<TransactionRecord> replaced;  // the live attempt the new one replaces
  auto claimed = co_await store_.pool().transaction<bool>(
      [&](Transaction& tx) -> asio::awaitable<platform::Result<bool>> {
        existing.reset();
        replaced.reset();
        // Locked first: a cancellation either came before (refused here) or waits for this
        // attempt and cancels it.
        PLATFORM_CO_TRY(auto current, co_await store_.lock_order(tx, order.order_id));
        if (!current || current->cancelled) co_return order_cancelled_error();
        PLATFORM_CO_TRY(auto paid, co_await store_.paid_elsewhere(tx, order.order_id, ""));
        if (paid) {
          co_return make_error(Errc::conflict, "Zamówienie jest już opłacone.",
                               "order_already_paid");
        }
        PLATFORM_CO_TRY(auto live, co_await store_.lock_live_attempt(tx, order.order_id));
        if (live && live->method_id == method.id && !request.blik_code) {
          if (live->state == TxState::registering) {
            co_return make_error(Errc::conflict,
                                 "Płatność za to zamówienie jest właśnie rejestrowana. Spróbuj "
                                 "za chwilę.",
                                 "payment_registering");
          }
          existing = std::move(live);
          co_return false;
        }
        if (live) {
          auto old = *live;
          old.state = TxState::cancelled;
          const auto cause = "replaced by " + attempt.transaction_id;
          PLATFORM_CO_CHECK(co_await store_.update_transaction(tx, old, live->state, cause));
          replaced = std::move(old);
        }
        PLATFORM_CO_CHECK(co_await store_.insert_transaction(tx, attempt, "initialize"));
        co_return true;
      });
  if (!claimed) co_return claimed.error();
  if (!*claimed) co_return InitializeOutcome{std::move(*existing), false};

  if (replaced) co_await cancel_at_gateway(std::move(*replaced));

  PaymentRequest payment;
  payment.transaction_id = attempt.transaction_id;
  payment.order_id = order.order_id;
  payment.amount = attempt.amount;
  payment.currency = attempt.currency;
  payment.description = "Zamówienie " + order.order_id;
  // Every gateway wants an e-mail (Przelewy24 at most 50 characters); without the customer's we
  // give the shop's own, so the payment is not refused for it.
  payment.email = order.email.empty() || order.email.size() > kMaxGatewayEmail
                      ? std::string(kShopEmail)
                      : order.email;
  payment.channel = method.channel;
  payment.blik_code = request.blik_code;
  payment.return_url = return_url(attempt);
  payment.notify_url = notify_url(attempt.gateway);
  auto registration = co_await client->register_payment(std::move(payment));
  const bool registered = registration.has_value();
  auto registration_error = registered ? platform::Error{} : registration.error();
  PLATFORM_CO_CHECK(co_await finish_registration(attempt, std::move(registration), request.trace));
  if (!registered) co_return registration_error;
  PLATFORM_CO_TRY(auto stored, co_await store_.transaction(attempt.transaction_id));
  if (!stored) co_return make_error(Errc::internal, "the attempt vanished");
  // Replaced, or its order cancelled, while it registered: it is stopped at the gateway now
  // that the gateway knows it.
  if (stored->state == TxState::cancelled) co_await cancel_at_gateway(*stored);
  co_return InitializeOutcome{std::move(*stored), true};
}

asio::awaitable<platform::Status> Payments::finish_registration(
    TransactionRecord attempt, platform::Result<Registration> result,
    platform::TraceContext trace) {
  auto done = co_await store_.pool().transaction<bool>(
      [&](Transaction& tx) -> asio::awaitable<platform::Result<bool>> {
        PLATFORM_CO_TRY(auto locked, co_await store_.lock_transaction(tx, attempt.transaction_id));
        if (!locked) co_return make_error(Errc::internal, "the attempt vanished");
        auto record = std::move(*locked);
        const auto from = record.state;
        if (result) {
          record.registration_reference = result->gateway_reference;
          record.redirect_url = result->redirect_url;
        }
        if (from != TxState::registering) {
          // A notification or a replacement came first: keep its state, remember the refs.
          PLATFORM_CO_CHECK(co_await store_.update_transaction(tx, record, from, "registered"));
          co_return true;
        }
        PLATFORM_CO_TRY(auto version, co_await next_version_(record.session_id));
        const EventStamp stamp{version, trace, clock_.now()};
        if (result) {
          record.state = TxState::initialized;
          PLATFORM_CO_CHECK(co_await store_.update_transaction(tx, record, from, "registered"));
          PLATFORM_CO_CHECK(co_await store_.append_event(tx, initialized_event(record, stamp)));
        } else {
          record.state = TxState::failed;
          record.failure_reason = result.error().message;
          PLATFORM_CO_CHECK(
              co_await store_.update_transaction(tx, record, from, "registration failed"));
          const auto reason = "Bramka płatności nie przyjęła płatności: " + result.error().message;
          auto event = failed_event(record, "gateway_error", reason, stamp);
          PLATFORM_CO_CHECK(co_await store_.append_event(tx, std::move(event)));
        }
        co_return true;
      });
  if (!done) co_return done.error();
  co_return platform::Status{};
}

// --- notifications ---

asio::awaitable<platform::Result<Applied>> Payments::apply(Gateway gateway,
                                                           Notification notification,
                                                           std::string cause,
                                                           platform::TraceContext trace) {
  if (is_refund_state(notification.state)) {
    co_return co_await apply_refund(gateway, notification.transaction_id, notification.event_key,
                                    notification.refund_id, notification.gateway_refund_id,
                                    notification.state, std::move(cause), trace, &notification);
  }
  co_return co_await apply_payment(gateway, notification, std::move(cause), trace);
}

asio::awaitable<platform::Result<Applied>> Payments::apply_payment(Gateway gateway,
                                                                   const Notification& notification,
                                                                   std::string cause,
                                                                   platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto known, co_await store_.transaction(notification.transaction_id));
  if (!known || known->gateway != gateway) {
    co_return make_error(Errc::not_found,
                         "no payment " + notification.transaction_id + " at this gateway",
                         "transaction_not_found");
  }
  if (notification.amount != known->amount || notification.currency != known->currency) {
    co_return make_error(Errc::invalid,
                         "notified " + std::to_string(notification.amount) + " " +
                             notification.currency + ", the payment is " +
                             std::to_string(known->amount) + " " + known->currency,
                         "amount_mismatch");
  }
  // Przelewy24 keeps the money until we verify; verified once per live attempt.
  if (notification.needs_verification && notification.state == GatewayState::succeeded &&
      (is_live(known->state) || known->state == TxState::failed ||
       known->state == TxState::cancelled)) {
    auto* client = this->gateway(gateway);
    if (client == nullptr) co_return make_error(Errc::internal, "no client for the gateway");
    PLATFORM_CO_CHECK(co_await client->confirm(notification));
  }

  std::optional<RefundRecord> give_back;
  auto applied = co_await store_.pool().transaction<Applied>(
      [&](Transaction& tx) -> asio::awaitable<platform::Result<Applied>> {
        give_back.reset();
        PLATFORM_CO_TRY(auto fresh,
                        co_await store_.claim_gateway_event(tx, gateway, notification.event_key,
                                                            notification.transaction_id));
        if (!fresh) co_return Applied::duplicate;
        PLATFORM_CO_TRY(auto locked,
                        co_await store_.lock_transaction(tx, notification.transaction_id));
        if (!locked) co_return make_error(Errc::not_found, "the payment vanished");
        auto record = std::move(*locked);
        PLATFORM_CO_TRY(auto paid_elsewhere,
                        co_await store_.paid_elsewhere(tx, record.order_id, record.transaction_id));
        PLATFORM_CO_TRY(auto cancelled, co_await store_.order_cancelled(tx, record.order_id));
        const auto step = on_payment(record.state, notification.state, paid_elsewhere || cancelled);
        if (!step) co_return Applied::unchanged;
        const auto from = record.state;
        record.state = step->to;
        if (!notification.gateway_reference.empty()) {
          record.gateway_reference = notification.gateway_reference;
        }
        if (record.state == TxState::failed) record.failure_reason = notification.detail;
        const auto change = cause + ": " + std::string(gateway_state_name(notification.state));
        PLATFORM_CO_CHECK(co_await store_.update_transaction(tx, record, from, change));
        if (step->event_type) {
          PLATFORM_CO_TRY(auto version, co_await next_version_(record.session_id));
          const EventStamp stamp{version, trace, clock_.now()};
          auto event =
              *step->event_type == contracts::event_type::kPaymentFailed
                  ? failed_event(record, failure_code(notification),
                                 "Płatność nie powiodła się (" + notification.detail + ").", stamp)
                  : state_event(*step->event_type, record, stamp);
          PLATFORM_CO_CHECK(co_await store_.append_event(tx, std::move(event)));
        }
        if (step->refund_whole) {
          std::string reason(cancelled ? kCancelledOrderRefund : kOverpaymentRefund);
          PLATFORM_CO_TRY(give_back, co_await refund_rest(tx, record.transaction_id, record.amount,
                                                          std::move(reason)));
        }
        co_return Applied::changed;
      });
  if (give_back) {
    spdlog::warn("payment {} paid after it stopped counting: refunding {} grosze",
                 notification.transaction_id, give_back->amount);
    co_await execute_refund(std::move(*give_back), trace);
  }
  co_return applied;
}

// --- cancellation ---

asio::awaitable<platform::Result<CancelOutcome>> Payments::cancel_order(
    OrderCancellation cancellation, platform::TraceContext trace) {
  std::vector<TransactionRecord> stopped;  // live attempts, to stop at their gateway
  std::vector<RefundRecord> give_back;
  const auto cause = "order cancelled: " + cancellation.reason_code;
  auto outcome = co_await store_.pool().transaction<CancelOutcome>(
      [&](Transaction& tx) -> asio::awaitable<platform::Result<CancelOutcome>> {
        stopped.clear();
        give_back.clear();
        // An order we never saw is recorded as a tombstone rather than ignored: an OrderCreated
        // that comes later (sent back from the dead-letter topic) must start no payment, and
        // initialize must refuse it. Never a poison message: the event itself is sound.
        PLATFORM_CO_TRY(auto unknown, co_await store_.save_tombstone(tx, cancellation.order_id,
                                                                     cancellation.session_id,
                                                                     cancellation.user_id));
        PLATFORM_CO_TRY(auto order, co_await store_.lock_order(tx, cancellation.order_id));
        if (!order) co_return make_error(Errc::internal, "the order vanished");
        if (order->cancelled) co_return CancelOutcome::already_cancelled;
        PLATFORM_CO_CHECK(co_await store_.mark_cancelled(
            tx, cancellation.order_id, cancellation.reason_code, cancellation.reason));
        if (unknown) co_return CancelOutcome::unknown_order;
        PLATFORM_CO_TRY(auto attempts,
                        co_await store_.lock_order_attempts(tx, cancellation.order_id));
        for (auto& attempt : attempts) {
          const bool live = is_live(attempt.state);
          PLATFORM_CO_TRY(auto refund, co_await cancel_attempt(tx, attempt, cause));
          if (live) stopped.push_back(std::move(attempt));
          if (refund) give_back.push_back(std::move(*refund));
        }
        co_return CancelOutcome::cancelled;
      });
  if (!outcome) co_return outcome.error();
  for (auto& attempt : stopped) co_await cancel_at_gateway(std::move(attempt));
  for (auto& refund : give_back) {
    spdlog::info("order {} cancelled: refunding {} grosze of payment {}", cancellation.order_id,
                 refund.amount, refund.transaction_id);
    co_await execute_refund(std::move(refund), trace);
  }
  co_return *outcome;
}

asio::awaitable<platform::Result<std::optional<RefundRecord>>> Payments::cancel_attempt(
    Transaction& tx, TransactionRecord attempt, std::string cause) {
  const auto step = on_order_cancelled(attempt.state);
  if (!step) co_return std::optional<RefundRecord>();
  const auto from = attempt.state;
  if (step->to != from) {
    attempt.state = step->to;
    PLATFORM_CO_CHECK(co_await store_.update_transaction(tx, attempt, from, std::move(cause)));
  }
  if (!step->refund_rest) co_return std::optional<RefundRecord>();
  std::string reason(kCancelledOrderRefund);
  co_return co_await refund_rest(tx, attempt.transaction_id, attempt.amount, std::move(reason));
}

asio::awaitable<void> Payments::cancel_at_gateway(TransactionRecord attempt) {
  auto* client = gateway(attempt.gateway);
  if (client == nullptr) co_return;
  const auto cancelled = co_await client->cancel(attempt.attempt());
  if (!cancelled) {
    spdlog::warn("could not cancel payment {} at {}: {}", attempt.transaction_id,
                 gateway_name(attempt.gateway), cancelled.error().message);
  }
}

// --- refunds ---

asio::awaitable<platform::Result<std::optional<RefundRecord>>> Payments::refund_rest(
    Transaction& tx, std::string transaction_id, std::int64_t amount, std::string reason) {
  PLATFORM_CO_TRY(auto held, co_await store_.refunds_held(tx, transaction_id));
  if (amount - held <= 0) co_return std::optional<RefundRecord>();
  RefundRecord refund;
  refund.refund_id = platform::new_uuid();
  refund.transaction_id = std::move(transaction_id);
  refund.amount = amount - held;
  refund.reason = std::move(reason);
  refund.requested_by = "payment";
  PLATFORM_CO_CHECK(co_await store_.insert_refund(tx, refund));
  co_return std::optional(std::move(refund));
}

asio::awaitable<platform::Result<RefundRecord>> Payments::refund(std::string transaction_id,
                                                                 std::optional<std::int64_t> amount,
                                                                 std::string reason,
                                                                 std::string requested_by,
                                                                 platform::TraceContext trace) {
  RefundRecord refund;
  auto created = co_await store_.pool().transaction<bool>(
      [&](Transaction& tx) -> asio::awaitable<platform::Result<bool>> {
        PLATFORM_CO_TRY(auto locked, co_await store_.lock_transaction(tx, transaction_id));
        if (!locked) {
          co_return make_error(Errc::not_found, "no payment " + transaction_id,
                               "transaction_not_found");
        }
        if (!is_paid(locked->state)) {
          co_return make_error(Errc::conflict,
                               "the payment is " + std::string(to_string(locked->state)) +
                                   ": only a paid payment can be refunded",
                               "not_refundable");
        }
        PLATFORM_CO_TRY(auto held, co_await store_.refunds_held(tx, transaction_id));
        const auto left = locked->amount - held;
        const auto asked = amount.value_or(left);
        if (left <= 0) {
          co_return make_error(Errc::conflict, "the payment has been refunded in full",
                               "not_refundable");
        }
        if (asked <= 0 || asked > left) {
          co_return make_error(Errc::invalid,
                               "a refund must be between 1 and " + std::to_string(left) +
                                   " grosze (what is left to refund)",
                               "refund_amount_out_of_range");
        }
        refund = RefundRecord{};
        refund.refund_id = platform::new_uuid();
        refund.transaction_id = transaction_id;
        refund.amount = asked;
        refund.reason = reason;
        refund.requested_by = requested_by;
        PLATFORM_CO_CHECK(co_await store_.insert_refund(tx, refund));
        co_return true;
      });
  if (!created) co_return created.error();
  co_await execute_refund(refund, trace);
  PLATFORM_CO_TRY(auto refunds, co_await store_.refunds(transaction_id));
  for (auto& stored : refunds) {
    if (stored.refund_id == refund.refund_id) co_return std::move(stored);
  }
  co_return refund;
}

asio::awaitable<void> Payments::execute_refund(RefundRecord refund, platform::TraceContext trace) {
  auto attempt = co_await store_.transaction(refund.transaction_id);
  if (!attempt || !*attempt) co_return;
  auto* client = gateway((*attempt)->gateway);
  if (client == nullptr) co_return;
  RefundRequest request{(*attempt)->attempt(), refund.refund_id, refund.amount, refund.reason,
                        notify_url((*attempt)->gateway)};
  auto accepted = co_await client->refund(std::move(request));
  if (!accepted) {
    if (accepted.error().code == Errc::invalid) {
      spdlog::error("gateway refused refund {}: {}", refund.refund_id, accepted.error().message);
      (void)co_await apply_refund((*attempt)->gateway, refund.transaction_id, std::nullopt,
                                  refund.refund_id, std::nullopt, GatewayState::refund_failed,
                                  "refund refused", trace);
    } else {
      // Left requested: reconciliation asks again (our refund id makes it idempotent there).
      spdlog::warn("refund {} not sent yet: {}", refund.refund_id, accepted.error().message);
    }
    co_return;
  }
  auto applied = co_await apply_refund((*attempt)->gateway, refund.transaction_id, std::nullopt,
                                       refund.refund_id, accepted->gateway_refund_id,
                                       accepted->state, "refund accepted", trace);
  if (!applied) {
    spdlog::error("refund {} accepted but not recorded: {}", refund.refund_id,
                  applied.error().message);
  }
}

asio::awaitable<platform::Result<Applied>> Payments::apply_refund(
    Gateway gateway, std::string transaction_id, std::optional<std::string> event_key,
    std::optional<std::string> refund_id, std::optional<std::string> gateway_refund_id,
    GatewayState state, std::string cause, platform::TraceContext trace,
    const Notification* notified) {
  co_return co_await store_.pool().transaction<Applied>(
      [&](Transaction& tx) -> asio::awaitable<platform::Result<Applied>> {
        PLATFORM_CO_TRY(auto locked, co_await store_.lock_refund(tx, transaction_id, refund_id,
                                                                 gateway_refund_id));
        if (!locked && notified != nullptr && gateway_refund_id) {
          PLATFORM_CO_TRY(locked, co_await store_.lock_unassigned_refund(
                                      tx, transaction_id, notified->amount, *gateway_refund_id));
        }
        if (!locked) {
          co_return make_error(Errc::not_found, "no such refund", "refund_not_found");
        }
        auto refund = std::move(*locked);
        if (event_key) {
          PLATFORM_CO_TRY(auto fresh, co_await store_.claim_gateway_event(tx, gateway, *event_key,
                                                                          refund.transaction_id));
          if (!fresh) co_return Applied::duplicate;
        }
        if (gateway_refund_id && !refund.gateway_refund_id) {
          refund.gateway_refund_id = gateway_refund_id;
        }
        const auto next = on_refund(refund.state, state);
        if (!next) {
          PLATFORM_CO_CHECK(co_await store_.update_refund(tx, refund));
          co_return Applied::unchanged;
        }
        refund.state = *next;
        PLATFORM_CO_CHECK(co_await store_.update_refund(tx, refund));
        if (refund.state != RefundState::succeeded) co_return Applied::changed;

        PLATFORM_CO_TRY(auto attempt, co_await store_.lock_transaction(tx, refund.transaction_id));
        if (!attempt) co_return make_error(Errc::internal, "a refund without its payment");
        auto record = std::move(*attempt);
        const auto from = record.state;
        record.refunded = std::min(record.amount, record.refunded + refund.amount);
        if (is_paid(record.state)) record.state = after_refunds(record.amount, record.refunded);
        const auto change = cause + ": refund " + refund.refund_id;
        PLATFORM_CO_CHECK(co_await store_.update_transaction(tx, record, from, change));
        PLATFORM_CO_TRY(auto version, co_await next_version_(record.session_id));
        const EventStamp stamp{version, trace, clock_.now()};
        auto event = refunded_event(record, refund, stamp);
        PLATFORM_CO_CHECK(co_await store_.append_event(tx, std::move(event)));
        co_return Applied::changed;
      });
}

// --- reconciliation ---

asio::awaitable<int> Payments::reconcile_once() {
  int seen = 0;
  auto stale = co_await store_.stale_live(config_.reconcile_after, config_.reconcile_batch);
  if (stale) {
    for (auto& attempt : *stale) {
      ++seen;
      const auto id = attempt.transaction_id;
      auto done = co_await reconcile(std::move(attempt));
      if (!done) spdlog::warn("reconciling payment {}: {}", id, done.error().message);
    }
  }
  auto refunds = co_await store_.stale_refunds(config_.reconcile_after, config_.reconcile_batch);
  if (refunds) {
    for (auto& refund : *refunds) {
      ++seen;
      co_await execute_refund(std::move(refund), platform::TraceContext::generate());
    }
  }
  co_return seen;
}

asio::awaitable<platform::Status> Payments::reconcile(TransactionRecord attempt) {
  const auto trace = platform::TraceContext::generate();
  if (attempt.state == TxState::registering) {
    // The registration died with a process: the customer never got its page.
    platform::Result<Registration> lost =
        make_error(Errc::unavailable, "the registration was interrupted", "registration_lost");
    co_return co_await finish_registration(attempt, std::move(lost), trace);
  }
  auto* client = gateway(attempt.gateway);
  if (client == nullptr) co_return platform::Status{};
  PLATFORM_CO_CHECK(co_await store_.mark_checked(attempt.transaction_id));
  PLATFORM_CO_TRY(auto status, co_await client->status(attempt.attempt()));
  if (status.state != GatewayState::succeeded && status.state != GatewayState::failed) {
    co_return platform::Status{};
  }
  Notification notification;
  notification.event_key =
      "status:" + std::string(gateway_state_name(status.state)) + ":" + attempt.transaction_id;
  notification.transaction_id = attempt.transaction_id;
  notification.gateway_reference = status.gateway_reference;
  notification.state = status.state;
  notification.amount = status.amount;
  notification.currency = status.currency;
  notification.detail = status.detail;
  notification.needs_verification = status.needs_verification;
  auto applied = co_await apply(attempt.gateway, std::move(notification), "reconciliation", trace);
  if (!applied) {
    if (applied.error().reason == "amount_mismatch") {
      co_await alert(attempt.gateway, "amount_mismatch", attempt.transaction_id,
                     applied.error().message);
    }
    co_return applied.error();
  }
  co_return platform::Status{};
}

asio::awaitable<void> Payments::alert(Gateway gateway, std::string reason,
                                      std::optional<std::string> transaction_id,
                                      std::string detail) {
  webhook_counter(gateway, reason).inc();
  spdlog::error("payment alert: {} from {} (transaction {}): {}", reason, gateway_name(gateway),
                transaction_id.value_or("-"), detail);
  if (transaction_id && reason == "amount_mismatch") {
    auto flagged = co_await store_.flag_for_review(*transaction_id, reason);
    if (!flagged)
      spdlog::error("could not flag payment {}: {}", *transaction_id, flagged.error().message);
  }
  std::string name(gateway_name(gateway));
  auto stored = co_await store_.add_alert(std::move(name), std::move(reason),
                                          std::move(transaction_id), std::move(detail));
  if (!stored) spdlog::error("could not store the payment alert: {}", stored.error().message);
}

void Payments::count_forged(Gateway gateway, std::string_view detail) {
  // Counted, logged at debug only: a flood of forged requests must not become a flood of log
  // lines (the metric is what an alert watches).
  webhook_counter(gateway, "rejected_signature").inc();
  spdlog::debug("payment webhook from {} rejected: {}", gateway_name(gateway), detail);
}

}  // namespace payment
