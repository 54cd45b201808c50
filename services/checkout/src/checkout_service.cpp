#include "checkout_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "consents.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/session_ref.hpp"
#include "contracts/topics.hpp"
#include "customer_data.hpp"
#include "platform/http/json.hpp"
#include "platform/json_writer.hpp"
#include "session_snapshot.hpp"
#include "summary.hpp"
#include "totals.hpp"

namespace checkout {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::Errc;
using platform::make_error;

namespace {

platform::Error no_session() {
  return make_error(Errc::conflict, "Koszyk jest pusty: najpierw dodaj produkt do koszyka.",
                    "cart_empty");
}

platform::Error busy() {
  return make_error(Errc::unavailable, "the session keeps changing; try again", "busy");
}

platform::Error field_errors(const std::vector<FieldError>& errors) {
  auto error = make_error(Errc::invalid, "Popraw zaznaczone pola.", "invalid_customer_data");
  for (const auto& e : errors) {
    error.fields.push_back({e.field.empty() ? "body" : e.field, e.message});
  }
  if (errors.size() == 1 && errors[0].code == "malformed") {
    error.code = Errc::malformed;
    error.message = errors[0].message;
    error.reason = "malformed_json";
  }
  return error;
}

}  // namespace

std::int64_t Summary::version(Component component) const {
  for (const auto& [c, v] : versions) {
    if (c == component) return v;
  }
  return 0;
}

CheckoutService::CheckoutService(CheckoutStore& store, RulesSource rules,
                                 const CheckoutConfig& config, const platform::Clock& clock,
                                 ChangeBoard& board)
    : store_(store), rules_(std::move(rules)), config_(config), clock_(clock), board_(board) {}

std::string CheckoutService::now() const {
  return platform::format_rfc3339(clock_.now());
}

boost::asio::awaitable<platform::Status> CheckoutService::apply(platform::CloudEvent event) {
  PLATFORM_CO_TRY(auto data, contracts::event_data(event));
  PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
  if (event.topic == contracts::kCheckoutTopic) {
    if (event.type != et::kOrderCreated) co_return platform::Status{};  // our own
    PLATFORM_CO_CHECK(co_await store_.end_session(ref.session_id, ref.user_id));
    board_.changed(ref.session_id);
    co_return platform::Status{};
  }
  co_return co_await fold(std::move(ref.session_id), std::move(ref.user_id), event, data);
}

boost::asio::awaitable<platform::Status> CheckoutService::fold(std::string session_id,
                                                               std::string user_id,
                                                               const platform::CloudEvent& event,
                                                               const json::value& data) {
  std::optional<std::string> cart_time;
  if (event.topic == contracts::kCartTopic) {
    PLATFORM_CO_TRY(auto header, contracts::cart_event_header(data));
    cart_time = std::move(header.occurred_at);
  }
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    PLATFORM_CO_TRY(auto stored, co_await store_.load(session_id));
    if (stored.ended()) co_return platform::Status{};  // a late event of an ordered session
    CheckoutView view;
    if (!stored.view.empty()) {
      PLATFORM_CO_TRY(view, view_from_json(stored.view));
    } else {
      view.session_id = session_id;
      view.user_id = user_id;
    }
    if (view.user_id != user_id) {
      co_return make_error(Errc::invalid, "event data: the session belongs to another user",
                           "invalid_event");
    }
    PLATFORM_CO_TRY(auto next, apply_event(view, event.topic, event.type, data));
    if (!next) co_return platform::Status{};  // a duplicate, a redelivery or nothing to follow
    const auto totals = compute_totals(*next, rules_()->rules.vat);
    PLATFORM_CO_TRY(auto committed, co_await store_.commit_view(
                                        *next, stored.revision,
                                        json::serialize(totals_json(totals)), cart_time, now()));
    if (committed == Commit::moved) continue;
    board_.changed(session_id);
    co_return platform::Status{};
  }
  co_return busy();
}

Summary CheckoutService::summary_of(const StoredSession* stored) const {
  const auto rules = rules_();
  Summary out;
  SessionSnapshot snapshot;
  SummaryInput input;
  input.rules = &rules->rules;
  if (stored != nullptr) {
    out.session_id = stored->session_id;
    snapshot = snapshot_of(*stored, rules->rules);
    input.view = &snapshot.view;
    input.totals = &snapshot.totals;
    input.state = stored->state;
    input.checkout_version = stored->version;
    input.customer_json = stored->customer;
    input.consents = snapshot.consents;
    input.opened_at = stored->opened_at;
    input.updated_at = stored->updated_at;
  }
  const auto& view = snapshot.view;
  for (auto component : {Component::cart, Component::warranty, Component::shipping,
                         Component::payment, Component::promotion}) {
    out.versions.emplace_back(component, version_of(view, component));
  }
  out.versions.emplace_back(Component::checkout, input.checkout_version);
  out.document = json::serialize(summary_json(input));
  return out;
}

Summary CheckoutService::summary_of_ordered(const std::string& session_id,
                                            const std::string& order_json) const {
  const auto rules = rules_();
  SummaryInput input;
  input.rules = &rules->rules;
  input.ordered_session_id = session_id;
  input.order_json = order_json;
  Summary out;
  out.session_id = session_id;
  out.document = json::serialize(summary_json(input));
  return out;
}

std::optional<Summary> CheckoutService::rendered(const SessionStamp& stamp,
                                                 const std::string& digest) const {
  const std::lock_guard lock(rendered_mutex_);
  const auto it = rendered_.find(stamp.session_id);
  if (it == rendered_.end() || it->second.stamp != stamp || it->second.rules_digest != digest) {
    return std::nullopt;
  }
  return it->second.summary;
}

void CheckoutService::remember(const SessionStamp& stamp, const std::string& digest,
                               const Summary& summary) {
  const std::lock_guard lock(rendered_mutex_);
  if (rendered_.size() >= kRenderedMax && !rendered_.contains(stamp.session_id)) rendered_.clear();
  rendered_[stamp.session_id] = Rendered{stamp, digest, summary};
}

boost::asio::awaitable<platform::Result<Summary>> CheckoutService::summary(std::string user_id) {
  PLATFORM_CO_TRY(auto stamp, co_await store_.current_stamp(user_id));
  if (!stamp) {
    // No open session: the order that closed the last one, while its session hash lives.
    PLATFORM_CO_TRY(auto ordered, co_await store_.last_order(std::move(user_id)));
    co_return ordered ? summary_of_ordered(ordered->first, ordered->second) : summary_of(nullptr);
  }
  const auto digest = rules_()->digest;
  if (auto hit = rendered(*stamp, digest)) co_return std::move(*hit);
  PLATFORM_CO_TRY(auto stored, co_await store_.load_current(std::move(user_id)));
  auto summary = summary_of(stored ? &*stored : nullptr);
  if (stored) {
    const SessionStamp read{stored->session_id, stored->state, stored->version, stored->revision};
    remember(read, digest, summary);
  }
  co_return summary;
}

boost::asio::awaitable<platform::Result<std::string>> CheckoutService::save_own(
    std::string user_id, CheckoutStore::Own what, std::string_view event_type, OwnWriter write,
    platform::TraceContext trace) {
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
    if (!stored) co_return no_session();
    PLATFORM_CO_TRY(auto own, write(*stored));
    const auto occurred_at = now();
    const auto traceparent = trace.traceparent();
    const contracts::SessionEventHeader header{stored->session_id, stored->user_id,
                                               stored->version + 1, traceparent, occurred_at};
    platform::JsonWriter data(1024);
    contracts::begin_session_event_data(data, header);
    own.members(data);
    data.end_object();
    const auto event =
        contracts::session_event(contracts::kCheckoutTopic, contracts::kCheckoutSource, event_type,
                                 header, std::move(data).take());
    PLATFORM_CO_TRY(auto committed, co_await store_.commit_own(*stored, what, std::move(own.value),
                                                               event, occurred_at));
    if (committed == Commit::ended) co_return no_session();
    if (committed == Commit::moved) continue;
    board_.changed(stored->session_id);
    PLATFORM_CO_TRY(auto after, co_await store_.load(stored->session_id));
    const auto summary = summary_of(&after);
    co_return "{\"version\":" + std::to_string(stored->version + 1) +
        ",\"summary\":" + summary.document + "}";
  }
  co_return busy();
}

boost::asio::awaitable<platform::Result<std::string>> CheckoutService::save_customer_data(
    std::string user_id, std::string body, platform::TraceContext trace) {
  auto parsed = parse_customer_data(body);
  if (auto* errors = std::get_if<std::vector<FieldError>>(&parsed)) {
    co_return field_errors(*errors);
  }
  const auto data = std::get<CustomerData>(std::move(parsed));
  const OwnWriter write = [&data](const StoredSession&) -> platform::Result<OwnWrite> {
    return OwnWrite{customer_data_to_json(data), [&data](platform::JsonWriter& out) {
                      write_customer_data(out, data);
                    }};
  };
  co_return co_await save_own(std::move(user_id), CheckoutStore::Own::customer,
                              et::kCustomerDataProvided, write, std::move(trace));
}

boost::asio::awaitable<platform::Result<std::string>> CheckoutService::save_consents(
    std::string user_id, std::string body, platform::TraceContext trace) {
  const auto rules = rules_();
  PLATFORM_CO_TRY(auto answers, parse_consents(body, rules->rules, now()));
  std::string listed_text;
  const OwnWriter write = [&](const StoredSession& stored) -> platform::Result<OwnWrite> {
    std::vector<GivenConsent> held;
    if (!stored.consents.empty()) {
      PLATFORM_TRY(held, consents_from_json(stored.consents));
    }
    held = merge_consents(std::move(held), answers);
    json::array listed;
    for (const auto& c : held) {
      listed.push_back(json::object{
          {"consent_id", c.consent_id}, {"granted", c.granted}, {"text_version", c.text_version}});
    }
    listed_text = json::serialize(listed);
    return OwnWrite{consents_to_json(held), [&listed_text](platform::JsonWriter& out) {
                      out.key("consents").raw(listed_text);
                    }};
  };
  co_return co_await save_own(std::move(user_id), CheckoutStore::Own::consents, et::kConsentsGiven,
                              write, std::move(trace));
}

boost::asio::awaitable<platform::Result<std::string>> CheckoutService::acknowledge_prices(
    std::string user_id, std::string body) {
  PLATFORM_CO_TRY(const auto root, platform::http::parse_json_object(body));
  PLATFORM_CO_CHECK(platform::http::only_fields(root, {"item_ids"}));
  const auto* ids = root.if_contains("item_ids");
  if (ids == nullptr || !ids->is_array() || ids->as_array().empty() ||
      ids->as_array().size() > 100) {
    co_return make_error(Errc::invalid, "'item_ids' must list 1 to 100 line ids", "invalid_field");
  }
  std::vector<std::string> item_ids;
  for (const auto& id : ids->as_array()) {
    if (!id.is_string()) {
      co_return make_error(Errc::invalid, "'item_ids' must be strings", "invalid_field");
    }
    item_ids.emplace_back(id.as_string());
  }
  for (int attempt = 0; attempt < config_.commit_attempts; ++attempt) {
    PLATFORM_CO_TRY(auto stored, co_await store_.load_current(user_id));
    if (!stored || stored->view.empty()) co_return no_session();
    PLATFORM_CO_TRY(auto view, view_from_json(stored->view));
    PLATFORM_CO_TRY(auto seen, acknowledge_price_changes(view, item_ids));
    const auto totals = compute_totals(seen, rules_()->rules.vat);
    PLATFORM_CO_TRY(auto committed, co_await store_.commit_view(
                                        seen, stored->revision,
                                        json::serialize(totals_json(totals)), std::nullopt, now()));
    if (committed == Commit::ended) co_return no_session();
    if (committed == Commit::moved) continue;
    board_.changed(stored->session_id);
    PLATFORM_CO_TRY(auto after, co_await store_.load(stored->session_id));
    co_return summary_of(&after).document;
  }
  co_return busy();
}

}  // namespace checkout
