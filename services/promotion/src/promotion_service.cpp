#include "promotion_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <variant>

#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "engine.hpp"
#include "events.hpp"
#include "price_history.hpp"

namespace promotion {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error contended() {
  return make_error(Errc::unavailable, "the session is changing too fast; try again",
                    "concurrent_modification");
}

platform::Error no_session() {
  return make_error(Errc::not_found,
                    "you have no checkout session yet: add a product to your cart first",
                    "no_session");
}

// "2026-12-02T10:00:00Z" or with fractions of a second: the time it names; nullopt otherwise.
std::optional<platform::TimePoint> parse_utc(std::string_view text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text.size() < 20 ||
      std::sscanf(std::string(text.substr(0, 19)).c_str(), "%4d-%2u-%2uT%2d:%2d:%2d", &year, &month,
                  &day, &hour, &minute, &second) != 6) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return platform::TimePoint(std::chrono::sys_days(date).time_since_epoch() +
                             std::chrono::hours(hour) + std::chrono::minutes(minute) +
                             std::chrono::seconds(second));
}

// A code as a customer typed it: spaces around dropped, letters upper case.
std::string normalized_code(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string code(text);
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return code;
}

std::vector<std::string> skus_of(const contracts::CartCopy& cart) {
  std::vector<std::string> skus;
  for (const auto& line : cart.lines) {
    if (std::find(skus.begin(), skus.end(), line.sku) == skus.end()) skus.push_back(line.sku);
  }
  return skus;
}

struct Evaluated {
  Evaluation evaluation;
  std::vector<Shown> shown;
};

// The engine's evaluation with each allocation's 30-day lowest price before now (the reduction
// is shown now).
Evaluated evaluate_shown(const PromotionRules& rules, const PromotionSession& session,
                         const std::map<std::string, std::vector<PricePoint>>& histories,
                         platform::TimePoint now) {
  Evaluated out{evaluate(rules, session.cart, session.choices(), now), {}};
  out.shown.reserve(out.evaluation.applied.size());
  for (const auto& applied : out.evaluation.applied) {
    Shown shown{.applied = applied, .lowest_30d = {}};
    for (const auto& part : applied.allocations) {
      const auto* line = session.cart.find(part.item_id);
      const auto history = line != nullptr ? histories.find(line->sku) : histories.end();
      shown.lowest_30d.push_back(
          history == histories.end() ? std::nullopt : lowest_price_before(history->second, now));
    }
    out.shown.push_back(std::move(shown));
  }
  return out;
}
}  // namespace

struct PromotionService::Origin {
  std::optional<std::string> session_id;  // nullopt: the user's current session
  std::string user_id;
  platform::TraceContext trace;
  std::optional<std::string> cart_event_time;  // a cart event's occurred_at
};

struct PromotionService::Step {
  struct Invalid {
    std::string code;
    std::string reason;
    std::string message;
  };
  PromotionSession next;
  std::optional<std::string> removed_by_customer;
  std::optional<Invalid> invalid;  // publish PromoCodeInvalid too
};

PromotionService::PromotionService(PromotionStore& store, CodeUsage& codes, RulesSource rules,
                                   const PromotionConfig& config, const platform::Clock& clock)
    : store_(store), codes_(codes), rules_(std::move(rules)), config_(config), clock_(clock) {}

boost::asio::awaitable<platform::Result<std::string>> PromotionService::answer_for(
    const PromotionSession& session, const LoadedRules& rules) {
  PLATFORM_CO_TRY(auto histories, co_await store_.price_histories(skus_of(session.cart)));
  const auto evaluated = evaluate_shown(rules.rules, session, histories, clock_.now());
  co_return available_document(&session, evaluated.shown, evaluated.evaluation, rules.rules);
}

boost::asio::awaitable<platform::Result<std::string>> PromotionService::available(
    std::string user_id) {
  const auto rules = rules_();
  const auto prefix = rules->digest + "\n";
  PLATFORM_CO_TRY(auto held, co_await store_.user_answer(user_id));
  if (held && held->starts_with(prefix)) {
    held->erase(0, prefix.size());
    co_return std::move(*held);
  }
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  if (!stored) {
    co_return available_document(nullptr, {}, Evaluation{}, rules->rules);
  }
  co_return co_await answer_for(stored->session, *rules);
}

boost::asio::awaitable<platform::Result<std::optional<PromotionSession>>> PromotionService::change(
    const Origin& origin,
    const std::function<platform::Result<std::optional<Step>>(const PromotionSession&,
                                                              const PromotionRules&)>& step) {
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    const auto rules = rules_();
    StoredSession stored;
    if (origin.session_id) {
      PLATFORM_CO_TRY(stored, co_await store_.load(*origin.session_id));
      if (stored.ended) co_return std::optional<PromotionSession>();
      if (!stored.session.user_id.empty() && stored.session.user_id != origin.user_id) {
        co_return make_error(
            Errc::invalid, "an event names user " + origin.user_id + " for another user's session");
      }
    } else {
      PLATFORM_CO_TRY(auto current, co_await store_.load_current(origin.user_id));
      if (!current) co_return std::optional<PromotionSession>();
      stored = std::move(*current);
    }
    PLATFORM_CO_TRY(auto moved, step(stored.session, rules->rules));
    if (!moved) co_return std::optional(std::move(stored.session));  // nothing to change
    const auto now = clock_.now();
    PLATFORM_CO_TRY(auto histories, co_await store_.price_histories(skus_of(moved->next.cart)));
    const auto evaluated = evaluate_shown(rules->rules, moved->next, histories, now);
    auto published = publish(std::move(moved->next), evaluated.shown, rules->rules, now,
                             moved->removed_by_customer);
    std::vector<platform::CloudEvent> events;
    for (const auto& publication : published.events) {
      events.push_back(publication_event(published.session, publication, origin.trace, now));
    }
    if (moved->invalid) {
      published.session.version += 1;
      events.push_back(code_invalid_event(published.session, moved->invalid->code,
                                          moved->invalid->reason, moved->invalid->message,
                                          origin.trace, now));
    }
    PromotionStore::Written written{
        .applied = applied_document(published.session, evaluated.shown),
        .choices_digest = choices_digest(published.session),
        .answer = rules->digest + "\n" +
                  available_document(&published.session, evaluated.shown, evaluated.evaluation,
                                     rules->rules)};
    PLATFORM_CO_TRY(bool committed,
                    co_await store_.commit(stored, published.session, std::move(events),
                                           origin.cart_event_time, std::move(written)));
    if (committed) co_return std::optional(std::move(published.session));
  }
  co_return contended();
}

boost::asio::awaitable<platform::Result<std::string>> PromotionService::apply(
    std::string user_id, std::string promotion_id, platform::TraceContext trace) {
  {
    const auto rules = rules_();
    const auto* promotion = rules->rules.by_id(promotion_id);
    if (promotion == nullptr || promotion->code) {
      co_return make_error(Errc::not_found, "no promotion " + promotion_id + " to choose",
                           "unknown_promotion");
    }
    if (!promotion->opt_in) {
      co_return make_error(Errc::invalid,
                           "promotion " + promotion_id + " applies by itself when the cart fits it",
                           "not_opt_in");
    }
  }
  const Origin origin{std::nullopt, user_id, std::move(trace), std::nullopt};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(
          origin,
          [&](const PromotionSession& held,
              const PromotionRules&) -> platform::Result<std::optional<Step>> {
            if (std::find(held.opt_ins.begin(), held.opt_ins.end(), promotion_id) !=
                held.opt_ins.end()) {
              return std::optional<Step>();
            }
            Step step{.next = held, .removed_by_customer = std::nullopt, .invalid = std::nullopt};
            step.next.opt_ins.push_back(promotion_id);
            return std::optional(std::move(step));
          }));
  if (!session) co_return no_session();
  co_return co_await available(std::move(user_id));
}

boost::asio::awaitable<platform::Result<std::string>> PromotionService::apply_code(
    std::string user_id, std::string entered, platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  if (!stored) co_return no_session();
  const auto code = normalized_code(entered);
  std::optional<Step::Invalid> refusal;
  if (!is_code(code)) {
    refusal = Step::Invalid{code, "unknown", "Nie ma takiego kodu rabatowego."};
  } else if (std::find(stored->session.codes.begin(), stored->session.codes.end(), code) !=
             stored->session.codes.end()) {
    co_return co_await available(std::move(user_id));  // applied already
  } else {
    const auto rules = rules_();
    auto verdict = check_code(rules->rules, code, stored->session.cart, clock_.now());
    if (auto* refused = std::get_if<CodeRefusal>(&verdict)) {
      refusal = Step::Invalid{code, refused->reason, refused->message};
    } else {
      const auto* promotion = std::get<const Promotion*>(verdict);
      const CodeLimits limits{promotion->code_global_limit, promotion->code_per_customer_limit,
                              promotion->code_hold};
      PLATFORM_CO_TRY(bool held,
                      co_await codes_.reserve(code, stored->session.session_id, user_id, limits));
      if (!held) {
        refusal = Step::Invalid{code, "usage_limit_reached",
                                "Limit użycia kodu " + code + " został wyczerpany."};
      }
    }
  }
  const Origin origin{stored->session.session_id, user_id, std::move(trace), std::nullopt};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(
          origin,
          [&](const PromotionSession& held,
              const PromotionRules&) -> platform::Result<std::optional<Step>> {
            Step step{.next = held, .removed_by_customer = std::nullopt, .invalid = refusal};
            if (!refusal) {
              if (std::find(held.codes.begin(), held.codes.end(), code) != held.codes.end()) {
                return std::optional<Step>();
              }
              step.next.codes.push_back(code);
            }
            return std::optional(std::move(step));
          }));
  if (!session) co_return no_session();
  if (refusal) {
    auto error = make_error(Errc::invalid, refusal->message, "code_" + refusal->reason);
    error.fields.push_back({"code", refusal->reason});
    co_return error;
  }
  co_return co_await available(std::move(user_id));
}

boost::asio::awaitable<platform::Result<std::string>> PromotionService::remove(
    std::string user_id, std::string promotion_id, platform::TraceContext trace) {
  std::optional<std::string> released_code;
  const Origin origin{std::nullopt, user_id, std::move(trace), std::nullopt};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(
          origin,
          [&](const PromotionSession& held,
              const PromotionRules& rules) -> platform::Result<std::optional<Step>> {
            Step step{.next = held, .removed_by_customer = promotion_id, .invalid = std::nullopt};
            released_code.reset();
            auto& opt_ins = step.next.opt_ins;
            const auto chosen = std::find(opt_ins.begin(), opt_ins.end(), promotion_id);
            const auto* promotion = rules.by_id(promotion_id);
            auto& codes = step.next.codes;
            const auto code = promotion != nullptr && promotion->code
                                  ? std::find(codes.begin(), codes.end(), *promotion->code)
                                  : codes.end();
            if (chosen != opt_ins.end()) {
              opt_ins.erase(chosen);
            } else if (code != codes.end()) {
              released_code = *code;
              codes.erase(code);
            } else if (held.published.contains(promotion_id)) {
              return make_error(
                  Errc::invalid,
                  "promotion " + promotion_id + " applies by itself while the cart fits it",
                  "not_removable");
            } else {
              return make_error(Errc::not_found, "promotion " + promotion_id + " is not applied",
                                "not_applied");
            }
            return std::optional(std::move(step));
          }));
  if (!session) co_return no_session();
  if (released_code) {
    // A use not given back here lapses with its hold.
    (void)co_await codes_.release(*released_code, session->session_id);
  }
  co_return co_await available(std::move(user_id));
}

boost::asio::awaitable<platform::Status> PromotionService::apply_cart_event(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto header, contracts::cart_event_header(data));
  const Origin origin{header.session_id, header.user_id,
                      platform::TraceContext::parse_or_generate(header.traceparent),
                      header.occurred_at};
  PLATFORM_CO_TRY(
      auto session,
      co_await change(origin,
                      [&](const PromotionSession& held,
                          const PromotionRules&) -> platform::Result<std::optional<Step>> {
                        PLATFORM_TRY(auto next, follow_cart(held, event.type, data));
                        if (!next) return std::optional<Step>();
                        return std::optional(Step{.next = std::move(*next),
                                                  .removed_by_customer = std::nullopt,
                                                  .invalid = std::nullopt});
                      }));
  (void)session;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> PromotionService::apply_catalog_event(
    platform::CloudEvent event) {
  namespace et = contracts::event_type;
  const bool upserted = event.type == et::kCatalogProductUpserted;
  if (!upserted && event.type != et::kCatalogPriceChanged) co_return platform::Status{};
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  const auto& object = data.as_object();
  const auto* sku = object.if_contains("sku");
  const auto* price = object.if_contains(upserted ? "price" : "new_price");
  const auto* amount =
      price != nullptr && price->is_object() ? price->as_object().if_contains("amount") : nullptr;
  if (sku == nullptr || !sku->is_string() || amount == nullptr || !amount->is_int64()) {
    co_return make_error(Errc::invalid, event.type + " " + event.id + ": no sku or price");
  }
  const auto* occurred = object.if_contains("occurred_at");
  const auto now = clock_.now();
  const auto at = occurred != nullptr && occurred->is_string()
                      ? parse_utc(occurred->as_string()).value_or(now)
                      : now;
  const std::string id(sku->as_string());
  PLATFORM_CO_TRY(auto history, co_await store_.price_history(id));
  auto recorded = record_price(std::move(history), PricePoint{at, amount->as_int64()}, now);
  co_return co_await store_.save_price_history(id, recorded);
}

boost::asio::awaitable<platform::Status> PromotionService::order_created(std::string session_id,
                                                                         std::string user_id) {
  PLATFORM_CO_TRY(auto stored, co_await store_.load(session_id));
  if (!stored.ended) {
    // The order keeps its codes' uses: confirmed before the session's data goes.
    for (const auto& code : stored.session.codes) {
      PLATFORM_CO_CHECK(co_await codes_.confirm(code, session_id, user_id));
    }
  }
  co_return co_await store_.end_session(std::move(session_id), std::move(user_id));
}

boost::asio::awaitable<platform::Status> PromotionService::order_cancelled(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  const auto* codes = data.as_object().if_contains("promo_codes");
  if (codes == nullptr || !codes->is_array()) {
    co_return make_error(Errc::invalid, event.type + " " + event.id + ": no promo_codes array");
  }
  std::vector<std::string> given;
  for (const auto& code : codes->as_array()) {
    auto normalized = code.is_string() ? normalized_code(code.as_string()) : std::string();
    if (normalized.empty()) {
      co_return make_error(Errc::invalid,
                           event.type + " " + event.id + ": promo_codes holds a non-code");
    }
    given.push_back(std::move(normalized));
  }
  for (const auto& code : given) {
    // false (nothing confirmed, or given back before) needs nothing more.
    auto returned = co_await codes_.give_back(code, ref.session_id, ref.user_id);
    if (!returned) co_return returned.error();
  }
  co_return platform::Status{};
}

}  // namespace promotion
