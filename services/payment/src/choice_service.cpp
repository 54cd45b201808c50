#include "choice_service.hpp"

#include <boost/json.hpp>

#include "contracts/cart_copy.hpp"
#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "platform/json_writer.hpp"
#include "session_events.hpp"

namespace payment {
namespace {
namespace json = boost::json;
namespace event_type = contracts::event_type;
using platform::Errc;
using platform::JsonWriter;
using platform::make_error;

platform::Error contended() {
  return make_error(Errc::unavailable, "the session is changing too fast; try again",
                    "concurrent_modification");
}

platform::Error poison(std::string message) {
  return make_error(Errc::invalid, std::move(message));
}

void write_method_fields(JsonWriter& out, const std::string& id, const std::string& name,
                         MethodKind kind, const std::optional<Gateway>& gateway,
                         const std::string& channel, bool blik_code) {
  out.key("id").value(id).key("name").value(name).key("kind").value(to_string(kind));
  if (gateway) {
    out.key("gateway").value(gateway_name(*gateway));
  } else {
    out.key("gateway").null();
  }
  out.key("channel").value(channel).key("blik_code").value(blik_code);
}

void write_chosen(JsonWriter& out, const std::optional<ChosenMethod>& method) {
  if (!method) {
    out.null();
    return;
  }
  out.begin_object();
  write_method_fields(out, method->id, method->name, method->kind, method->gateway, method->channel,
                      method->blik_code);
  contracts::write_money(out.key("fee"), method->fee);
  out.end_object();
}

// The int64 `name` of an object, or nullopt.
std::optional<std::int64_t> int_at(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_int64()) return std::nullopt;
  return value->as_int64();
}
}  // namespace

std::string available_document(const PaymentSession* session, const Availability& availability) {
  JsonWriter out(2048);
  out.begin_object();
  if (session != nullptr) {
    out.key("session_id").value(session->session_id).key("version").value(session->version);
  } else {
    out.key("session_id").null().key("version").value(std::int64_t{0});
  }
  out.key("methods").begin_array();
  for (const auto& method : availability.available) {
    out.begin_object();
    write_method_fields(out, method.id, method.name, method.kind, method.gateway, method.channel,
                        method.blik_code);
    contracts::write_money(out.key("fee"), method.fee);
    out.key("selected")
        .value(session != nullptr && session->method && session->method->id == method.id);
    out.end_object();
  }
  out.end_array().key("unavailable").begin_array();
  for (const auto& method : availability.unavailable) {
    out.begin_object();
    write_method_fields(out, method.id, method.name, method.kind, method.gateway, method.channel,
                        method.blik_code);
    out.key("reason").begin_object().key("code").value(method.refusal.code);
    out.key("message").value(method.refusal.message).end_object().end_object();
  }
  out.end_array().key("selected");
  write_chosen(out, session != nullptr ? session->method : std::nullopt);
  out.end_object();
  return std::move(out).take();
}

std::string choice_document(const PaymentSession& session) {
  JsonWriter out(512);
  out.begin_object().key("session_id").value(session.session_id);
  out.key("version").value(session.version).key("selected");
  write_chosen(out, session.method);
  out.end_object();
  return std::move(out).take();
}

ChoiceService::ChoiceService(SessionStore& store, RulesSource rules,
                             std::function<std::vector<Gateway>()> gateways_down,
                             int commit_attempts, const platform::Clock& clock)
    : store_(store),
      rules_(std::move(rules)),
      gateways_down_(std::move(gateways_down)),
      commit_attempts_(commit_attempts),
      clock_(clock) {}

boost::asio::awaitable<platform::Result<std::string>> ChoiceService::available(
    std::string user_id) {
  const auto rules = rules_();
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  const contracts::CartCopy empty;
  const auto* session = stored ? &stored->session : nullptr;
  const PaymentContext context{session != nullptr ? session->cart : empty,
                               session != nullptr ? session->shipping : std::nullopt,
                               gateways_down_()};
  co_return available_document(session, evaluate(rules->rules, context));
}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> ChoiceService::load(
    const Origin& origin) {
  if (!origin.session_id) co_return co_await store_.load_current(origin.user_id);
  PLATFORM_CO_TRY(auto stored, co_await store_.load(*origin.session_id));
  if (stored.ended) co_return std::optional<StoredSession>();
  if (!stored.session.user_id.empty() && stored.session.user_id != origin.user_id) {
    co_return make_error(Errc::invalid,
                         "an event names user " + origin.user_id + " for another user's session");
  }
  stored.session.user_id = origin.user_id;
  co_return std::optional(std::move(stored));
}

boost::asio::awaitable<platform::Result<std::optional<PaymentSession>>> ChoiceService::change(
    Origin origin, Step step) {
  for (int attempt = 0; attempt < commit_attempts_; ++attempt) {
    const auto rules = rules_();
    PLATFORM_CO_TRY(auto stored, co_await load(origin));
    if (!stored) co_return std::optional<PaymentSession>();
    PLATFORM_CO_TRY(auto moved, step(stored->session, rules->rules));
    if (!moved) co_return std::optional(std::move(stored->session));  // older or repeated
    if (moved->changes.empty() && !origin.always_write) {
      co_return std::optional(std::move(moved->session));
    }
    const auto before_version = stored->session.version;
    moved->session.version = before_version + static_cast<std::int64_t>(moved->changes.size());
    auto events = session_events(*moved, before_version, origin.trace, clock_.now());
    PLATFORM_CO_TRY(
        bool committed,
        co_await store_.commit(*stored, moved->session, std::move(events), origin.cart_event_time));
    if (committed) co_return std::optional(std::move(moved->session));
  }
  co_return contended();
}

boost::asio::awaitable<platform::Result<std::string>> ChoiceService::select(
    std::string user_id, std::string method_id, platform::TraceContext trace) {
  const auto down = gateways_down_();
  Origin origin{
      .session_id = std::nullopt, .user_id = std::move(user_id), .trace = std::move(trace)};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(std::move(origin),
                      [&](const PaymentSession& session,
                          const PaymentRules& rules) -> platform::Result<std::optional<Outcome>> {
                        PLATFORM_TRY(auto outcome, select_method(session, method_id, rules, down));
                        return std::optional(std::move(outcome));
                      }));
  if (!session) {
    co_return make_error(Errc::conflict, "Koszyk jest pusty: najpierw dodaj produkty.",
                         "cart_empty");
  }
  co_return choice_document(*session);
}

boost::asio::awaitable<platform::Status> ChoiceService::apply_cart_event(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto header, contracts::cart_event_header(data));
  Origin origin{.session_id = header.session_id,
                .user_id = header.user_id,
                .trace = platform::TraceContext::parse_or_generate(header.traceparent),
                .cart_event_time = header.occurred_at,
                .always_write = true};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(std::move(origin),
                      [&](const PaymentSession& session,
                          const PaymentRules& rules) -> platform::Result<std::optional<Outcome>> {
                        PLATFORM_TRY(auto copy,
                                     contracts::apply_cart_event(session.cart, event.type, data));
                        if (!copy) return std::optional<Outcome>();
                        return std::optional(follow_cart(session, std::move(*copy), rules));
                      }));
  (void)session;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> ChoiceService::apply_shipping_event(
    platform::CloudEvent event) {
  const bool selected = event.type == event_type::kShippingMethodSelected;
  if (!selected && event.type != event_type::kShippingMethodCleared) co_return platform::Status{};
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
  const auto& object = data.as_object();
  const auto version = int_at(object, "version");
  const auto* method_id = object.if_contains("method_id");
  if (!version || *version < 1 || method_id == nullptr || !method_id->is_string()) {
    co_return poison(std::string(event.type) + " without version or method_id");
  }
  std::optional<ShippingChoice> choice;
  if (selected) {
    const auto* cod = object.if_contains("cash_on_delivery_allowed");
    if (cod == nullptr || !cod->is_bool()) {
      co_return poison("ShippingMethodSelected without cash_on_delivery_allowed");
    }
    choice = ShippingChoice{std::string(method_id->as_string()), cod->as_bool()};
  }
  const auto* traceparent = object.if_contains("traceparent");
  Origin origin{.session_id = ref.session_id,
                .user_id = ref.user_id,
                .trace = platform::TraceContext::parse_or_generate(
                    traceparent != nullptr && traceparent->is_string()
                        ? std::string_view(traceparent->as_string())
                        : std::string_view()),
                .always_write = true};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(std::move(origin),
                      [&](const PaymentSession& session,
                          const PaymentRules& rules) -> platform::Result<std::optional<Outcome>> {
                        if (*version <= session.shipping_version) return std::optional<Outcome>();
                        return std::optional(follow_shipping(session, choice, *version, rules));
                      }));
  (void)session;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> ChoiceService::apply_customer_data(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
  const auto* customer = data.as_object().if_contains("customer");
  const json::string* email = nullptr;
  if (customer != nullptr && customer->is_object()) {
    const auto* value = customer->as_object().if_contains("email");
    if (value != nullptr && value->is_string()) email = &value->as_string();
  }
  if (email == nullptr) co_return poison("CustomerDataProvided without customer.email");
  Origin origin{.session_id = ref.session_id,
                .user_id = ref.user_id,
                .trace = platform::TraceContext::generate(),
                .always_write = true};
  const std::string address(*email);
  PLATFORM_CO_TRY(
      auto session,
      co_await change(std::move(origin),
                      [&](const PaymentSession& session,
                          const PaymentRules&) -> platform::Result<std::optional<Outcome>> {
                        if (session.email == address) return std::optional<Outcome>();
                        Outcome outcome{session, {}};
                        outcome.session.email = address;
                        return std::optional(std::move(outcome));
                      }));
  (void)session;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<PaymentSession>>> ChoiceService::session(
    std::string session_id) {
  PLATFORM_CO_TRY(auto stored, co_await store_.load(std::move(session_id)));
  if (stored.revision == 0 || stored.ended) co_return std::optional<PaymentSession>();
  co_return std::optional(std::move(stored.session));
}

boost::asio::awaitable<platform::Status> ChoiceService::end_session(std::string session_id,
                                                                    std::string user_id) {
  co_return co_await store_.end_session(std::move(session_id), std::move(user_id));
}

}  // namespace payment
