#include "warranty_service.hpp"

#include <boost/json.hpp>

#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "events.hpp"
#include "offers.hpp"

namespace warranty {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error contended() {
  return make_error(Errc::unavailable, "the session is changing too fast; try again",
                    "concurrent_modification");
}

std::string line_answer(const LoadedRules& rules, const WarrantySession& session,
                        const contracts::CartLine& line) {
  return available_document(session, line,
                            rules.rules.manufacturer_months_for(line.category, line.sku),
                            offers_for(rules.rules, line));
}

// What a commit writes beside the session: each line's answer under the rules' digest.
std::vector<std::pair<std::string, std::string>> answers(const LoadedRules& rules,
                                                         const WarrantySession& session) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(session.cart.lines.size());
  for (const auto& line : session.cart.lines) {
    out.emplace_back(line.item_id, rules.digest + "\n" + line_answer(rules, session, line));
  }
  return out;
}
}  // namespace

WarrantyService::WarrantyService(WarrantyStore& store, RulesSource rules,
                                 const WarrantyConfig& config, const platform::Clock& clock)
    : store_(store), rules_(std::move(rules)), config_(config), clock_(clock) {}

boost::asio::awaitable<platform::Result<std::string>> WarrantyService::available(
    std::string user_id, std::string item_id) {
  const auto rules = rules_();
  const auto prefix = rules->digest + "\n";
  PLATFORM_CO_TRY(auto held, co_await store_.line_answer(user_id, item_id));
  if (held && held->starts_with(prefix)) {
    held->erase(0, prefix.size());  // in place: the answer is not copied again
    co_return std::move(*held);
  }
  // No answer under these rules (none for that line, or a reload since the last commit): judge
  // the line now.
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
  if (!stored) co_return line_not_found(item_id);
  const auto* line = stored->session.cart.find(item_id);
  if (line == nullptr) co_return line_not_found(item_id);
  co_return line_answer(*rules, stored->session, *line);
}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> WarrantyService::load(
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

boost::asio::awaitable<platform::Result<std::optional<WarrantySession>>> WarrantyService::change(
    Origin origin, Step step) {
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    const auto rules = rules_();
    PLATFORM_CO_TRY(auto stored, co_await load(origin));
    if (!stored) co_return std::optional<WarrantySession>();
    PLATFORM_CO_TRY(auto moved, step(stored->session, rules->rules));
    if (!moved) co_return std::optional(std::move(stored->session));  // already applied, older
    // A customer's change that changes nothing is not written; a cart event always is (the copy
    // of the cart moved).
    if (moved->changes.empty() && !origin.cart_event_time) {
      co_return std::optional(std::move(moved->session));
    }
    std::vector<platform::CloudEvent> events;
    for (const auto& change : moved->changes) {
      events.push_back(change_event(moved->session, change, origin.trace, clock_.now()));
    }
    PLATFORM_CO_TRY(bool committed, co_await store_.commit(
                                        *stored, moved->session, std::move(events),
                                        origin.cart_event_time, answers(*rules, moved->session)));
    if (committed) co_return std::optional(std::move(moved->session));
  }
  co_return contended();
}

boost::asio::awaitable<platform::Result<std::string>> WarrantyService::customer_change(
    std::string user_id, std::string item_id, platform::TraceContext trace, Step step) {
  Origin origin{.session_id = std::nullopt,
                .user_id = std::move(user_id),
                .trace = std::move(trace),
                .cart_event_time = std::nullopt};
  PLATFORM_CO_TRY(auto session, co_await change(std::move(origin), std::move(step)));
  if (!session) co_return line_not_found(item_id);
  co_return selection_document(*session, item_id);
}

boost::asio::awaitable<platform::Result<std::string>> WarrantyService::select(
    std::string user_id, std::string item_id, std::string plan_id, platform::TraceContext trace) {
  auto step = [item_id, plan_id](
                  const WarrantySession& session,
                  const WarrantyRules& rules) -> platform::Result<std::optional<Moved>> {
    PLATFORM_TRY(auto moved, select_plan(session, rules, item_id, plan_id));
    return std::optional(std::move(moved));
  };
  co_return co_await customer_change(std::move(user_id), item_id, std::move(trace), step);
}

boost::asio::awaitable<platform::Result<std::string>> WarrantyService::remove(
    std::string user_id, std::string item_id, std::optional<std::string> plan_id,
    platform::TraceContext trace) {
  auto step = [item_id, plan_id](const WarrantySession& session,
                                 const WarrantyRules&) -> platform::Result<std::optional<Moved>> {
    PLATFORM_TRY(auto moved, remove_plans(session, item_id, plan_id));
    return std::optional(std::move(moved));
  };
  co_return co_await customer_change(std::move(user_id), item_id, std::move(trace), step);
}

boost::asio::awaitable<platform::Status> WarrantyService::apply_cart_event(
    platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto header, contracts::cart_event_header(data));
  Origin origin{.session_id = header.session_id,
                .user_id = header.user_id,
                .trace = platform::TraceContext::parse_or_generate(header.traceparent),
                .cart_event_time = header.occurred_at};
  if (event.type == contracts::event_type::kCartMerged) {
    PLATFORM_CO_TRY(auto plans, co_await merged_guest_plans(data));
    PLATFORM_CO_TRY(auto session,
                    co_await change(std::move(origin), [&](const WarrantySession& session,
                                                           const WarrantyRules& rules) {
                      return follow_merge(session, rules, data, plans);
                    }));
    (void)session;
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto session,
                  co_await change(std::move(origin),
                                  [&](const WarrantySession& session, const WarrantyRules& rules) {
                                    return follow_cart(session, rules, event.type, data);
                                  }));
  (void)session;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::vector<Selection>>>
WarrantyService::merged_guest_plans(const boost::json::value& data) {
  const auto& fields = data.as_object();  // cart_event_header() checked it is an object
  const auto* from_session = fields.if_contains("from_session_id");
  const auto* from_user = fields.if_contains("from_user_id");
  if (from_session == nullptr || from_user == nullptr || !from_session->is_string() ||
      !from_user->is_string() || from_session->as_string().empty()) {
    co_return make_error(Errc::invalid, "CartMerged: 'from_session_id' or 'from_user_id' missing");
  }
  PLATFORM_CO_TRY(auto guest, co_await store_.load(std::string(from_session->as_string())));
  // Only the plans of the guest the event names, from a session of theirs still open.
  if (guest.ended || guest.revision == 0 || guest.session.user_id != from_user->as_string()) {
    co_return std::vector<Selection>{};
  }
  co_return carried_plans(guest.session);
}

boost::asio::awaitable<platform::Status> WarrantyService::end_session(std::string session_id,
                                                                      std::string user_id) {
  co_return co_await store_.end_session(std::move(session_id), std::move(user_id));
}

}  // namespace warranty
