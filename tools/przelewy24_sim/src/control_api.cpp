#include "control_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <utility>

#include "platform/http/json.hpp"

namespace p24_sim {
namespace {
namespace json = boost::json;
namespace http = platform::http;
using platform::Errc;
using platform::make_error;

json::object transaction_json(const Transaction& transaction) {
  json::object out;
  out["session_id"] = transaction.order.session_id;
  out["token"] = transaction.token;
  out["order_id"] = transaction.order_id;
  out["status"] = transaction.status;
  out["outcome"] = outcome_name(transaction.outcome);
  out["amount"] = transaction.order.amount;
  out["currency"] = transaction.order.currency;
  out["refunded"] = transaction.refunded;
  out["method_id"] = transaction.method_id;
  out["url_status"] = transaction.order.url_status;
  out["notifications_sent"] = transaction.notifications_sent;
  return out;
}

json::object refund_json(const Refund& refund) {
  json::object out;
  out["request_id"] = refund.order.request_id;
  out["refunds_uuid"] = refund.order.refunds_uuid;
  json::array items;
  for (const auto& item : refund.order.refunds) {
    items.push_back(json::object{{"order_id", item.order_id},
                                 {"session_id", item.session_id},
                                 {"amount", item.amount},
                                 {"description", item.description}});
  }
  out["refunds"] = std::move(items);
  out["status"] = 0;
  return out;
}
}  // namespace

ControlApi::ControlApi(Cashier& cashier, Ledger& ledger, gateway_sim::FaultStore& faults,
                       NotificationQueue& queue, Notifier& notifier, gateway_sim::SimClock& clock)
    : cashier_(cashier),
      ledger_(ledger),
      faults_(faults),
      queue_(queue),
      notifier_(notifier),
      clock_(clock) {}

void ControlApi::register_routes(http::Router& router) {
  const http::RouteOptions open{.authenticated = false};
  const auto add = [&](const char* method, const char* pattern,
                       Answer (ControlApi::*handler)(Request)) {
    router.add(method, pattern, http::ResultHandler([this, handler](Request r) {
                 return (this->*handler)(std::move(r));
               }),
               open);
  };
  add("POST", "/control/faults", &ControlApi::post_faults);
  add("POST", "/control/reset", &ControlApi::post_reset);
  add("POST", "/control/flush", &ControlApi::post_flush);
  add("POST", "/control/clock", &ControlApi::post_clock);
  add("GET", "/control/state", &ControlApi::get_state);
  add("POST", "/control/payments/{sessionId}/{action}", &ControlApi::post_payment_action);
}

ControlApi::Answer ControlApi::post_faults(Request request) {
  PLATFORM_CO_TRY(const auto config, gateway_sim::parse_fault_config(request.body));
  faults_.set(config);
  spdlog::info("faults set: {}", json::serialize(to_json(config)));
  co_return state();
}

ControlApi::Answer ControlApi::post_reset(Request /*request*/) {
  faults_.reset();
  ledger_.clear();
  queue_.clear();
  clock_.reset();
  notifier_.reset_counters();
  spdlog::info("reset: no faults, no transactions, no notifications, the system clock");
  co_return state();
}

ControlApi::Answer ControlApi::post_flush(Request /*request*/) {
  const auto flushed = co_await notifier_.flush();
  spdlog::info("flush: {} held notification(s) sent", flushed);
  co_return state();
}

ControlApi::Answer ControlApi::post_clock(Request request) {
  PLATFORM_CO_TRY(const auto body, http::parse_json_object(request.body));
  PLATFORM_CO_CHECK(http::only_fields(body, {"advance_s"}));
  const auto* advance = body.if_contains("advance_s");
  const bool valid =
      advance != nullptr && ((advance->is_int64() && advance->as_int64() >= 0 &&
                              advance->as_int64() <= kMaxAdvanceSeconds) ||
                             (advance->is_uint64() && advance->as_uint64() <= kMaxAdvanceSeconds));
  if (!valid) {
    co_return make_error(Errc::malformed, "'advance_s' must be an integer from 0 to 31622400",
                         "invalid_parameter");
  }
  clock_.advance(std::chrono::seconds(advance->to_number<std::int64_t>()));
  spdlog::info("clock advanced to offset {} s", clock_.offset().count());
  co_return state();
}

ControlApi::Answer ControlApi::get_state(Request /*request*/) {
  co_return state();
}

ControlApi::Answer ControlApi::post_payment_action(Request request) {
  const std::string session_id(*request.path_param("sessionId"));
  const std::string name(*request.path_param("action"));
  const auto action = gateway_sim::page_action_from(name);
  if (!action) {
    co_return make_error(Errc::not_found, "no action '" + name + "' (pay, fail or abandon)",
                         "unknown_action");
  }
  const auto transaction = ledger_.by_session(session_id);
  if (!transaction) {
    co_return make_error(Errc::not_found, "no transaction with sessionId '" + session_id + "'",
                         "unknown_session");
  }
  PLATFORM_CO_TRY(const auto acted, cashier_.act(transaction->token, *action));
  co_return http::json_response(200, transaction_json(acted));
}

http::Response ControlApi::state() const {
  json::object body;
  body["faults"] = to_json(faults_.current());
  json::object clock;
  clock["offset_s"] = clock_.offset().count();
  clock["now"] = platform::format_rfc3339(clock_.now());
  body["clock"] = std::move(clock);
  json::array transactions;
  for (const auto& transaction : ledger_.transactions()) {
    transactions.push_back(transaction_json(transaction));
  }
  body["transactions"] = std::move(transactions);
  json::array refunds;
  for (const auto& refund : ledger_.refunds()) refunds.push_back(refund_json(refund));
  body["refunds"] = std::move(refunds);
  const auto counters = notifier_.counters();
  body["notifications"] = json::object{
      {"sent", counters.sent},       {"failed", counters.failed},
      {"dropped", counters.dropped}, {"duplicated", counters.duplicated},
      {"held", queue_.held()},       {"scheduled", queue_.scheduled()},
  };
  return http::json_response(200, body);
}

}  // namespace p24_sim
