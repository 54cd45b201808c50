#include "services_service.hpp"

#include <boost/json.hpp>

#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "events.hpp"
#include "session.hpp"

namespace extra_services {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error contended() {
  return make_error(Errc::unavailable, "the session is changing too fast; try again",
                    "concurrent_modification");
}

platform::Result<std::string> text_field(const json::value& data, std::string_view field,
                                         const platform::CloudEvent& event) {
  const auto* value = data.as_object().if_contains(field);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return make_error(Errc::invalid,
                      event.type + " " + event.id + ": '" + std::string(field) + "' is missing");
  }
  return std::string(value->as_string());
}

}  // namespace

ServicesService::ServicesService(ServicesStore& store, RulesSource rules,
                                 const ServicesConfig& config, const platform::Clock& clock)
    : store_(store), rules_(std::move(rules)), config_(config), clock_(clock) {}

boost::asio::awaitable<platform::Result<std::optional<ServicesSession>>> ServicesService::current(
    const std::string& user_id) {
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  if (!stored) co_return std::optional<ServicesSession>();
  co_return std::optional(std::move(stored->session));
}

boost::asio::awaitable<platform::Result<std::string>> ServicesService::available(
    std::string user_id) {
  const auto rules = rules_();
  const auto prefix = rules->digest + "\n";
  // Every commit of the user's current session writes the user's answer: the usual read is one
  // GET. Without it (none yet, or other rules since) the session's cached answer, else evaluate.
  PLATFORM_CO_TRY(auto held, co_await store_.user_answer(user_id));
  if (held && held->starts_with(prefix)) {
    held->erase(0, prefix.size());  // in place: the answer is not copied again
    co_return std::move(*held);
  }
  PLATFORM_CO_TRY(auto quick, co_await store_.current_answer(user_id));
  if (!quick.session_id) {
    co_return available_document(nullptr, evaluate_services(rules->rules, {}, std::nullopt));
  }
  if (quick.answer && quick.answer->starts_with(prefix)) {
    co_return quick.answer->substr(prefix.size());
  }
  // Not cached (expired, or other rules since): evaluate and cache again.
  PLATFORM_CO_TRY(auto session, co_await current(user_id));
  if (!session) {
    co_return available_document(nullptr, evaluate_services(rules->rules, {}, std::nullopt));
  }
  auto document = available_document(
      &*session, evaluate_services(rules->rules, session->cart, session->delivery_method));
  // A cache that cannot be written is no reason to fail the answer.
  (void)co_await store_.cache(session->cart.cart_hash, method_field(session->delivery_method),
                              prefix + document);
  co_return document;
}

boost::asio::awaitable<platform::Result<std::string>> ServicesService::for_item(
    std::string user_id, std::string item_id) {
  const auto rules = rules_();
  PLATFORM_CO_TRY(auto session, co_await current(user_id));
  if (session) {
    const auto availability =
        evaluate_services(rules->rules, session->cart, session->delivery_method);
    if (const auto* line = availability.for_item(item_id)) co_return line_document(*line);
  }
  co_return make_error(Errc::not_found, "no product line " + item_id + " in your cart",
                       "line_not_found");
}

boost::asio::awaitable<platform::Result<std::string>> ServicesService::standalone(
    std::string user_id) {
  const auto rules = rules_();
  PLATFORM_CO_TRY(auto session, co_await current(user_id));
  if (!session) {
    co_return standalone_document(nullptr, evaluate_services(rules->rules, {}, std::nullopt));
  }
  co_return standalone_document(
      &*session, evaluate_services(rules->rules, session->cart, session->delivery_method));
}

boost::asio::awaitable<platform::Status> ServicesService::change(EventOrigin origin, Step step) {
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    const auto rules = rules_();
    PLATFORM_CO_TRY(auto stored, co_await store_.load(origin.session_id));
    if (stored.ended) co_return platform::Status{};
    if (!stored.session.user_id.empty() && stored.session.user_id != origin.user_id) {
      co_return make_error(Errc::invalid,
                           "an event names user " + origin.user_id + " for another user's session");
    }
    stored.session.user_id = origin.user_id;
    PLATFORM_CO_TRY(auto moved, step(stored.session));
    if (!moved) co_return platform::Status{};  // already applied, or older
    auto next = std::move(*moved);
    std::vector<platform::CloudEvent> events;
    std::optional<ServicesStore::Answer> answer;
    // Nothing to say before the session has a cart (a shipping event came first).
    if (next.cart.version > 0) {
      const auto availability = evaluate_services(rules->rules, next.cart, next.delivery_method);
      answer =
          ServicesStore::Answer{method_field(next.delivery_method),
                                rules->digest + "\n" + available_document(&next, availability)};
      auto print = fingerprint(availability);
      if (print != next.published || awaits_cart(availability, next.cart)) {
        next.version += 1;
        next.published = std::move(print);
        events.push_back(availability_event(
            next, availability, platform::TraceContext::parse_or_generate(origin.traceparent),
            clock_.now()));
      }
    }
    PLATFORM_CO_TRY(bool committed,
                    co_await store_.commit(stored, next, std::move(events), origin.cart_event_time,
                                           std::move(answer)));
    if (committed) co_return platform::Status{};
  }
  co_return contended();
}

boost::asio::awaitable<platform::Status> ServicesService::apply_cart_event(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto header, contracts::cart_event_header(data));
  EventOrigin origin{header.session_id, header.user_id, header.traceparent, header.occurred_at};
  co_return co_await change(std::move(origin), [&](const ServicesSession& session) {
    return follow_cart(session, event.type, data);
  });
}

boost::asio::awaitable<platform::Status> ServicesService::apply_shipping_event(
    platform::CloudEvent event) {
  namespace et = contracts::event_type;
  const bool selected = event.type == et::kShippingMethodSelected;
  if (!selected && event.type != et::kShippingMethodCleared) co_return platform::Status{};
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto session_id, text_field(data, "session_id", event));
  PLATFORM_CO_TRY(auto user_id, text_field(data, "user_id", event));
  PLATFORM_CO_TRY(auto traceparent, text_field(data, "traceparent", event));
  const auto* version = data.as_object().if_contains("version");
  if (version == nullptr || !version->is_int64() || version->as_int64() < 1) {
    co_return make_error(Errc::invalid, event.type + " " + event.id + ": 'version' is missing");
  }
  std::optional<std::string> method;
  if (selected) {
    PLATFORM_CO_TRY(method, text_field(data, "method_id", event));
  }
  const auto shipping_version = version->as_int64();
  EventOrigin origin{std::move(session_id), std::move(user_id), std::move(traceparent), {}};
  co_return co_await change(std::move(origin), [&](const ServicesSession& session) {
    return platform::Result<std::optional<ServicesSession>>(
        follow_shipping(session, shipping_version, method));
  });
}

boost::asio::awaitable<platform::Status> ServicesService::end_session(std::string session_id,
                                                                      std::string user_id) {
  co_return co_await store_.end_session(std::move(session_id), std::move(user_id));
}

}  // namespace extra_services
