#include "shipping_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "events.hpp"
#include "platform/json_writer.hpp"
#include "platform/polish_calendar.hpp"

namespace shipping {
namespace {
using contracts::write_money;
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error contended() {
  return make_error(Errc::unavailable,
                    "Dostawa jest właśnie zmieniana: spróbuj ponownie za chwilę.", "contended");
}

// The cached value: "<rules digest>\n<methods JSON>".
std::optional<std::string_view> cached_methods(std::string_view cached, std::string_view digest) {
  if (cached.size() <= digest.size() || !cached.starts_with(digest) ||
      cached[digest.size()] != '\n') {
    return std::nullopt;
  }
  return cached.substr(digest.size() + 1);
}

// The last good calendar as cached in Redis: "<fetched at, ms since the epoch>\n<the carrier's
// answer>".
std::optional<std::pair<platform::TimePoint, std::string_view>> split_cached_calendar(
    std::string_view text) {
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  std::int64_t ms = 0;
  for (char c : text.substr(0, newline)) {
    if (c < '0' || c > '9') return std::nullopt;
    ms = ms * 10 + (c - '0');
  }
  return std::pair{platform::TimePoint(std::chrono::milliseconds(ms)), text.substr(newline + 1)};
}

std::string cached_calendar_text(platform::TimePoint fetched_at, std::string_view body) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(fetched_at.time_since_epoch());
  return std::to_string(ms.count()) + "\n" + std::string(body);
}
}  // namespace

std::string methods_json(const std::vector<MethodOption>& methods) {
  platform::JsonWriter out(methods.size() * 400);
  out.begin_array();
  for (const auto& m : methods) {
    out.begin_object().key("id").value(m.id).key("name").value(m.name);
    out.key("destination").value(to_string(m.destination)).key("available").value(m.available);
    write_money(out.key("price"), m.price);
    out.key("free").value(m.free);
    out.key("estimate").begin_object();
    out.key("min_working_days").value(std::int64_t{m.estimate.min_working_days});
    out.key("max_working_days").value(std::int64_t{m.estimate.max_working_days}).end_object();
    out.key("cash_on_delivery").value(m.cash_on_delivery);
    out.key("has_calendar").value(m.has_calendar);
    out.key("reasons").begin_array();
    for (const auto& reason : m.reasons) {
      out.begin_object().key("code").value(reason.code);
      out.key("message").value(reason.message).end_object();
    }
    out.end_array().end_object();
  }
  out.end_array();
  return std::move(out).take();
}

std::string available_document(const std::optional<std::string>& session_id,
                               std::string_view cart_hash, std::string_view method_id,
                               std::string_view methods) {
  platform::JsonWriter out(methods.size() + 256);
  out.begin_object().key("session_id").value_or_null(session_id);
  out.key("cart_hash");
  if (session_id) {
    out.value(cart_hash);
  } else {
    out.null();
  }
  out.key("selected_method");
  if (method_id.empty()) {
    out.null();
  } else {
    out.value(method_id);
  }
  out.key("methods").raw(methods).end_object();
  return std::move(out).take();
}

ShippingService::ShippingService(ShippingStore& store, RulesSource rules,
                                 const ShippingConfig& config, const platform::Clock& clock,
                                 CarrierClient* carrier)
    : store_(store), rules_(std::move(rules)), config_(config), clock_(clock), carrier_(carrier) {}

ShippingStore::Answers ShippingService::answers_for(const ShippingSession& session,
                                                    const ShippingRules& rules) const {
  auto methods = methods_json(evaluate_methods(rules.rules, session.cart));
  auto available = rules.digest + "\n" +
                   available_document(session.session_id, session.cart.cart_hash,
                                      session.method ? session.method->id : "", methods);
  return {rules.digest + "\n" + methods, std::move(available)};
}

boost::asio::awaitable<platform::Result<std::string>> ShippingService::available(
    std::string user_id) {
  const auto rules = rules_();
  // Every commit writes the user's answer: one GET serves it.
  PLATFORM_CO_TRY(auto answer, co_await store_.available_answer(user_id));
  if (answer && cached_methods(*answer, rules->digest)) {
    answer->erase(0, rules->digest.size() + 1);  // in place: no second copy of the document
    co_return std::move(*answer);
  }
  // No answer (no session), or one made with the rules before a reload.
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  if (!stored.exists) {
    const contracts::CartCopy empty;
    co_return available_document({}, "", "", methods_json(evaluate_methods(rules->rules, empty)));
  }
  const auto& session = stored.session;
  std::string methods;
  PLATFORM_CO_TRY(auto cached, co_await store_.methods(session.cart.cart_hash));
  if (cached) {
    if (auto held = cached_methods(*cached, rules->digest)) methods = std::string(*held);
  }
  if (methods.empty()) methods = methods_json(evaluate_methods(rules->rules, session.cart));
  auto document = available_document(session.session_id, session.cart.cart_hash,
                                     session.method ? session.method->id : "", methods);
  // A failed refresh only costs the next request the same work.
  auto refreshed =
      co_await store_.refresh_available_answer(session, rules->digest + "\n" + document);
  if (!refreshed) spdlog::warn("shipping answer not refreshed: {}", refreshed.error().message);
  co_return document;
}

boost::asio::awaitable<platform::Result<ShippingSession>> ShippingService::current(
    std::string user_id) {
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(std::move(user_id)));
  co_return std::move(stored.session);
}

boost::asio::awaitable<platform::Result<ShippingSession>> ShippingService::change(
    std::string user_id, platform::TraceContext trace, Step step) {
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
    if (!stored.exists) {
      co_return make_error(Errc::conflict, "Koszyk jest pusty: najpierw dodaj produkt.",
                           "cart_empty");
    }
    PLATFORM_CO_TRY(auto outcome, step(stored.session));
    if (outcome.changes.empty()) co_return std::move(outcome.session);
    const auto before_version = stored.session.version;
    outcome.session.version = before_version + static_cast<std::int64_t>(outcome.changes.size());
    auto events = events_for(outcome, before_version, trace, clock_.now());
    auto answers = answers_for(outcome.session, *rules_());
    PLATFORM_CO_TRY(auto committed, co_await store_.commit(stored, outcome.session,
                                                           std::move(answers), std::move(events)));
    if (committed) co_return std::move(outcome.session);
  }
  co_return contended();
}

boost::asio::awaitable<platform::Result<ShippingSession>> ShippingService::select_method(
    std::string user_id, std::string method_id, platform::TraceContext trace) {
  const auto rules = rules_();
  co_return co_await change(std::move(user_id), std::move(trace),
                            [&](const ShippingSession& session) {
                              return shipping::select_method(session, rules->rules, method_id);
                            });
}

boost::asio::awaitable<platform::Result<ShippingSession>> ShippingService::provide_address(
    std::string user_id, Address address, platform::TraceContext trace) {
  co_return co_await change(
      std::move(user_id), std::move(trace),
      [&](const ShippingSession& session) { return shipping::provide_address(session, address); });
}

boost::asio::awaitable<platform::Result<ShippingSession>> ShippingService::provide_locker(
    std::string user_id, LockerDelivery locker, platform::TraceContext trace) {
  co_return co_await change(
      std::move(user_id), std::move(trace),
      [&](const ShippingSession& session) { return shipping::provide_locker(session, locker); });
}

boost::asio::awaitable<platform::Result<ShippingSession>> ShippingService::select_day(
    std::string user_id, std::chrono::year_month_day date, std::vector<std::string> addon_ids,
    platform::TraceContext trace) {
  const auto rules = rules_();
  // The calendar of the chosen method and address (asked before the compare-and-set loop: the
  // carrier is not asked again when another writer forces a retry).
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  if (!stored.exists) {
    co_return make_error(Errc::conflict, "Koszyk jest pusty: najpierw dodaj produkt.",
                         "cart_empty");
  }
  std::vector<CalendarDay> days;
  const auto& session = stored.session;
  const auto* method = session.method ? rules->rules.method(session.method->id) : nullptr;
  if (method != nullptr && method->calendar_service && session.address) {
    PLATFORM_CO_TRY(auto view, co_await calendar(method->id, session.address->postal_code));
    for (const auto& day : view.held->calendar.days) days.push_back({day.date, day.available});
  }
  const auto now = clock_.now();
  co_return co_await change(
      std::move(user_id), std::move(trace), [&](const ShippingSession& current) {
        return shipping::select_day(current, rules->rules, days, date, addon_ids, now);
      });
}

boost::asio::awaitable<platform::Result<CalendarView>> ShippingService::calendar(
    std::string method_id, std::string postal_code) {
  const auto rules = rules_();
  const auto* method = rules->rules.method(method_id);
  if (method == nullptr) {
    co_return make_error(Errc::not_found, "Nie ma takiej metody dostawy.", "unknown_method");
  }
  if (!method->calendar_service) {
    co_return make_error(
        Errc::invalid, "Przy metodzie dostawy „" + method->name + "” nie wybiera się dnia dostawy.",
        "no_calendar");
  }
  if (carrier_ == nullptr) co_return make_error(Errc::internal, "no carrier client here");

  const auto now = clock_.now();
  const auto key = method_id + ":" + postal_code;
  auto view_of = [&](SharedCalendar held, bool stale) {
    held = rendered(key, std::move(held), *rules, method_id);
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - held->fetched_at);
    return CalendarView{.method_id = method_id,
                        .postal_code = postal_code,
                        .held = std::move(held),
                        .stale = stale,
                        .age = std::max(age, std::chrono::seconds(0))};
  };
  auto held = calendars_.get(key);
  if (held && now - held->fetched_at < config_.calendar_fresh) co_return view_of(held, false);
  // The breaker is open: the carrier would not be asked anyway, so answer at once.
  if (held && carrier_->breaker_open()) co_return view_of(held, true);

  // Another instance may have fetched it since.
  PLATFORM_CO_TRY(auto shared, co_await store_.calendar(method_id, postal_code));
  if (shared) {
    auto parts = split_cached_calendar(*shared);
    if (parts && (!held || held->fetched_at < parts->first)) {
      auto calendar = parse_carrier_calendar(parts->second);
      if (calendar) {
        held = std::make_shared<const HeldCalendar>(
            HeldCalendar{parts->first, std::move(*calendar), {}, {}});
      }
    }
  }
  if (held && now - held->fetched_at < config_.calendar_fresh) co_return view_of(held, false);

  auto fetched = co_await carrier_->fetch(*method->calendar_service, postal_code);
  if (fetched) {
    auto saved = co_await store_.save_calendar(
        method_id, postal_code, cached_calendar_text(now, *fetched), config_.calendar_keep);
    if (!saved) spdlog::warn("carrier calendar not cached: {}", saved.error().message);
    PLATFORM_CO_TRY(auto calendar, parse_carrier_calendar(*fetched));
    co_return view_of(
        std::make_shared<const HeldCalendar>(HeldCalendar{now, std::move(calendar), {}, {}}),
        false);
  }
  if (fetched.error().code == Errc::invalid) co_return fetched.error();
  if (held) co_return view_of(held, true);
  // The cause for the operators; the customer is told to try again.
  spdlog::warn("carrier calendar for {} unavailable, none cached: {}", key,
               fetched.error().message);
  co_return make_error(Errc::unavailable,
                       "Kalendarz dostaw jest chwilowo niedostępny: spróbuj ponownie za chwilę.",
                       "carrier_unavailable");
}

SharedCalendar ShippingService::rendered(const std::string& key, SharedCalendar held,
                                         const ShippingRules& rules, std::string_view method_id) {
  if (held->rules_digest == rules.digest) return held;
  auto copy = std::make_shared<HeldCalendar>(*held);
  copy->days_json = calendar_days_json(copy->calendar, method_id, rules.rules);
  copy->rules_digest = rules.digest;
  SharedCalendar done = std::move(copy);
  calendars_.put(key, done);
  return done;
}

boost::asio::awaitable<platform::Status> ShippingService::apply_cart_event(
    platform::CloudEvent event) {
  json::error_code ec;
  auto data = json::parse(event.data, ec);
  if (ec) co_return make_error(Errc::invalid, event.type + " " + event.id + ": data is not JSON");
  PLATFORM_CO_TRY(auto header, contracts::cart_event_header(data));
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    const auto rules = rules_();
    PLATFORM_CO_TRY(auto stored, co_await store_.load(header.session_id));
    if (stored.ended) co_return platform::Status{};
    if (stored.exists && stored.session.user_id != header.user_id) {
      co_return make_error(Errc::invalid, "cart event " + event.id + " names user " +
                                              header.user_id + " for another user's session");
    }
    stored.session.session_id = header.session_id;
    stored.session.user_id = header.user_id;
    PLATFORM_CO_TRY(auto cart, contracts::apply_cart_event(stored.session.cart, event.type, data));
    if (!cart) co_return platform::Status{};  // already applied
    auto outcome = follow_cart(stored.session, std::move(*cart), rules->rules);
    const auto before_version = stored.session.version;
    outcome.session.version = before_version + static_cast<std::int64_t>(outcome.changes.size());
    auto events =
        events_for(outcome, before_version,
                   platform::TraceContext::parse_or_generate(header.traceparent), clock_.now());
    auto answers = answers_for(outcome.session, *rules);
    auto committed = co_await store_.commit(stored, outcome.session, std::move(answers),
                                            std::move(events), header.occurred_at);
    if (!committed && committed.error().reason == "session_ended") co_return platform::Status{};
    if (!committed) co_return committed.error();
    if (*committed) co_return platform::Status{};
  }
  co_return contended();
}

boost::asio::awaitable<platform::Status> ShippingService::end_session(std::string session_id,
                                                                      std::string user_id) {
  co_return co_await store_.end_session(std::move(session_id), std::move(user_id));
}

}  // namespace shipping
