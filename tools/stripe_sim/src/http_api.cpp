#include "http_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <utility>

#include "hosted_page.hpp"
#include "platform/crypto.hpp"
#include "platform/http/json.hpp"
#include "stripe_form.hpp"
#include "stripe_protocol.hpp"

namespace stripe_sim {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
namespace http = platform::http;
using platform::Errc;
using platform::make_error;

constexpr std::int64_t kMaxAdvance = 10LL * 365 * 24 * 3600;

http::Response stripe_answer(int status, const json::object& body) {
  auto response = http::json_response(status, body);
  response.headers.emplace_back("Stripe-Version", std::string(payment::stripe::kApiVersion));
  return response;
}

http::Response stripe_error(const ApiError& error) {
  return stripe_answer(error.status, error_body(error));
}

http::Response html(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  return response;
}

std::string id_param(const http::Request& request) {
  return std::string(request.path_param("id").value_or(""));
}

// "Bearer <key>", or as Stripe also takes it "Basic base64(<key>:)".
bool authorized(const http::Request& request, const std::string& key) {
  const auto header = request.header("authorization");
  if (!header) return false;
  constexpr std::string_view kBearer = "Bearer ";
  constexpr std::string_view kBasic = "Basic ";
  if (header->substr(0, kBearer.size()) == kBearer) {
    return platform::crypto::constant_time_equal(header->substr(kBearer.size()), key);
  }
  if (header->substr(0, kBasic.size()) == kBasic) {
    const auto decoded = platform::crypto::base64_decode(header->substr(kBasic.size()));
    if (!decoded) return false;
    const auto user = std::string_view(*decoded).substr(0, decoded->find(':'));
    return platform::crypto::constant_time_equal(user, key);
  }
  return false;
}

platform::Result<json::object> params_of(std::string_view text) {
  PLATFORM_TRY(const auto fields, payment::stripe::form_decode(text));
  return payment::stripe::form_to_json(fields);
}

bool expands_intent(const json::object& params) {
  const auto* expand = params.if_contains("expand");
  if (expand == nullptr || !expand->is_array()) return false;
  for (const auto& item : expand->as_array()) {
    if (item.is_string() && item.as_string() == "payment_intent") return true;
  }
  return false;
}

platform::Error control_error(std::string message) {
  return make_error(Errc::malformed, std::move(message), "invalid_parameter");
}
}  // namespace

StripeApi::StripeApi(ApiConfig config, gateway_sim::SimClock& clock, Ledger& ledger, Outbox& outbox,
                     IdempotencyStore& idempotency, Faults& faults)
    : config_(std::move(config)),
      clock_(clock),
      ledger_(ledger),
      outbox_(outbox),
      idempotency_(idempotency),
      faults_(faults) {}

void StripeApi::register_routes(http::Router& router) {
  const http::RouteOptions open{.authenticated = false};
  const auto v1 = [this, &router, open](std::string method, std::string pattern, Operation op) {
    router.add(std::move(method), std::move(pattern),
               http::Handler([this, op](http::Request r) { return call(std::move(r), op); }), open);
  };
  v1("POST", "/v1/checkout/sessions", &StripeApi::create_session);
  v1("GET", "/v1/checkout/sessions/{id}", &StripeApi::get_session);
  v1("POST", "/v1/checkout/sessions/{id}/expire", &StripeApi::expire_session);
  v1("GET", "/v1/payment_intents/{id}", &StripeApi::get_payment_intent);
  v1("POST", "/v1/refunds", &StripeApi::create_refund);
  v1("GET", "/v1/refunds/{id}", &StripeApi::get_refund);
  router.add("GET", "/c/pay/{id}",
             http::Handler([this](http::Request r) { return show_page(std::move(r)); }), open);
  router.add("POST", "/c/pay/{id}",
             http::Handler([this](http::Request r) { return act_on_page(std::move(r)); }), open);
  const auto control = [this, &router, open](std::string method, std::string pattern,
                                             Control (StripeApi::*handler)(http::Request)) {
    router.add(std::move(method), std::move(pattern),
               http::ResultHandler(
                   [this, handler](http::Request r) { return (this->*handler)(std::move(r)); }),
               open);
  };
  control("POST", "/control/faults", &StripeApi::post_faults);
  control("POST", "/control/reset", &StripeApi::post_reset);
  control("POST", "/control/flush", &StripeApi::post_flush);
  control("POST", "/control/clock", &StripeApi::post_clock);
  control("POST", "/control/webhook", &StripeApi::post_webhook);
  control("POST", "/control/payments/{transaction_id}/{action}", &StripeApi::post_payment_action);
  control("GET", "/control/state", &StripeApi::get_state);
}

asio::awaitable<http::Response> StripeApi::call(http::Request request, Operation operation) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  const auto faults = faults_.current();
  if (faults.api_status != 0) {
    co_return stripe_error(ApiError{
        faults.api_status, "api_error", "",
        "api_status " + std::to_string(faults.api_status) + " injected by POST /control/faults",
        ""});
  }
  if (!authorized(request, config_.secret_key)) {
    co_return stripe_error(
        ApiError{401, "invalid_request_error", "",
                 "Invalid API Key provided (Authorization: Bearer sk_test_..., or Basic)", ""});
  }
  auto params = params_of(request.method == "POST" ? std::string_view(request.body)
                                                   : std::string_view(request.query));
  if (!params) {
    co_return stripe_error(
        ApiError{400, "invalid_request_error", "parameter_invalid", params.error().message, ""});
  }
  const auto key = request.method == "POST" ? request.header("idempotency-key") : std::nullopt;
  const std::string key_text(key.value_or(""));
  if (key) {
    const auto begun = idempotency_.begin(
        key_text, request.method + " " + request.path + "\n" + request.body, clock_.now());
    switch (begun.outcome) {
      case IdempotencyStore::Outcome::fresh:
        break;
      case IdempotencyStore::Outcome::replay: {
        http::Response replay;
        replay.status = begun.answer.status;
        replay.body = begun.answer.body;
        replay.headers.emplace_back("Idempotency-Key", key_text);
        replay.headers.emplace_back("Idempotent-Replayed", "true");
        replay.headers.emplace_back("Stripe-Version", std::string(payment::stripe::kApiVersion));
        co_return replay;
      }
      case IdempotencyStore::Outcome::mismatch:
        co_return stripe_error(ApiError{
            400, "idempotency_error", "",
            "Keys for idempotent requests can only be used with the same parameters they were "
            "first used with. Try using a key other than '" +
                key_text + "' if you meant to execute a different request.",
            ""});
      case IdempotencyStore::Outcome::in_flight:
        co_return stripe_error(ApiError{
            409, "idempotency_error", "",
            "There is currently another in-progress request using this Stripe token (probably "
            "the same idempotency key). Try again later.",
            ""});
    }
  }
  if (faults.api_delay_ms > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::chrono::milliseconds(faults.api_delay_ms));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  Events events;
  const auto result = (this->*operation)(request, *params, events);
  auto response = result ? stripe_answer(200, *result) : stripe_error(result.error());
  response.headers.emplace_back("Request-Id",
                                "req_sim" + std::to_string(request_ids_.fetch_add(1) + 1));
  if (key) {
    response.headers.emplace_back("Idempotency-Key", key_text);
    // As Stripe: a request refused before it executed (a bad parameter) is not remembered.
    const bool validation = !result && result.error().code.rfind("parameter_", 0) == 0;
    if (validation) {
      idempotency_.abandon(key_text);
    } else {
      idempotency_.finish(key_text, StoredAnswer{response.status, response.body});
    }
  }
  publish(events);
  co_return response;
}

ApiResult<json::object> StripeApi::create_session(const http::Request& /*request*/,
                                                  const json::object& params, Events& /*events*/) {
  return ledger_.create_session(params, clock_.now());
}

ApiResult<json::object> StripeApi::get_session(const http::Request& request,
                                               const json::object& params, Events& /*events*/) {
  return ledger_.session(id_param(request), expands_intent(params));
}

ApiResult<json::object> StripeApi::expire_session(const http::Request& request,
                                                  const json::object& /*params*/, Events& events) {
  return ledger_.expire_session(id_param(request), events);
}

ApiResult<json::object> StripeApi::get_payment_intent(const http::Request& request,
                                                      const json::object& /*params*/,
                                                      Events& /*events*/) {
  return ledger_.payment_intent(id_param(request));
}

ApiResult<json::object> StripeApi::create_refund(const http::Request& /*request*/,
                                                 const json::object& params, Events& events) {
  return ledger_.create_refund(params, clock_.now(), events);
}

ApiResult<json::object> StripeApi::get_refund(const http::Request& request,
                                              const json::object& /*params*/, Events& /*events*/) {
  return ledger_.refund(id_param(request));
}

asio::awaitable<http::Response> StripeApi::show_page(http::Request request) {
  const auto session = ledger_.session(id_param(request), false);
  if (!session) co_return html(404, render_notice("Nie ma takiej sesji płatności."));
  if (session->at("status").as_string() != "open") {
    co_return html(409, render_notice("Ta sesja płatności jest już zamknięta."));
  }
  co_return html(200, render_page(*session));
}

asio::awaitable<http::Response> StripeApi::act_on_page(http::Request request) {
  auto fields = payment::stripe::form_decode(request.body);
  std::optional<gateway_sim::PageAction> action;
  if (fields) {
    for (const auto& [name, value] : *fields) {
      if (name == "action") action = gateway_sim::page_action_from(value);
    }
  }
  if (!action) co_return html(400, render_notice("Oczekiwano action=pay, fail albo abandon."));
  Events events;
  const auto next = ledger_.act(id_param(request), *action, events);
  if (!next)
    co_return html(next.error().status == 404 ? 404 : 409, render_notice(next.error().message));
  publish(events);
  http::Response response = html(303, render_notice("Przekierowanie do sklepu."));
  response.headers.emplace_back("Location", *next);
  co_return response;
}

void StripeApi::publish(const Events& events) {
  if (events.empty()) return;
  const auto ids = outbox_.publish(events, faults_.current(), clock_.now());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    spdlog::debug("event {} {}", ids[i], events[i].type);
  }
}

StripeApi::Control StripeApi::post_faults(http::Request request) {
  PLATFORM_CO_TRY(auto config, parse_fault_config(request.body));
  spdlog::info("faults set: {}", json::serialize(to_json(config)));
  faults_.set(std::move(config));
  co_return state();
}

StripeApi::Control StripeApi::post_reset(http::Request /*request*/) {
  faults_.set(FaultConfig{});
  ledger_.clear();
  outbox_.clear();
  outbox_.set_url(config_.webhook_url);
  idempotency_.clear();
  clock_.reset();
  requests_.store(0);
  spdlog::info("reset: no faults, no sessions, no events, the system clock");
  co_return state();
}

StripeApi::Control StripeApi::post_flush(http::Request /*request*/) {
  outbox_.flush(clock_.now());
  co_return state();
}

StripeApi::Control StripeApi::post_clock(http::Request request) {
  PLATFORM_CO_TRY(const auto body, http::parse_json_object(request.body));
  const auto* advance = body.if_contains("advance_s");
  if (body.size() != 1 || advance == nullptr || !advance->is_int64() || advance->as_int64() < 0 ||
      advance->as_int64() > kMaxAdvance) {
    co_return control_error(R"(the body must be {"advance_s": N}, N a non-negative integer)");
  }
  clock_.advance(std::chrono::seconds(advance->as_int64()));
  spdlog::info("clock advanced by {} s (offset {} s)", advance->as_int64(),
               clock_.offset().count());
  co_return state();
}

StripeApi::Control StripeApi::post_webhook(http::Request request) {
  PLATFORM_CO_TRY(const auto body, http::parse_json_object(request.body));
  const auto* url = body.if_contains("url");
  if (body.size() != 1 || url == nullptr || !url->is_string() ||
      url->as_string().subview().substr(0, 7) != "http://") {
    co_return control_error(R"(the body must be {"url": "http://host:port/path"})");
  }
  outbox_.set_url(std::string(url->as_string()));
  spdlog::info("webhook url: {}", std::string_view(url->as_string()));
  co_return state();
}

StripeApi::Control StripeApi::post_payment_action(http::Request request) {
  const std::string transaction(request.path_param("transaction_id").value_or(""));
  const auto action = gateway_sim::page_action_from(request.path_param("action").value_or(""));
  if (!action) co_return make_error(Errc::not_found, "the action is pay, fail or abandon");
  const auto session = ledger_.session_of(transaction);
  if (!session) {
    co_return make_error(Errc::not_found,
                         "no checkout session with client_reference_id '" + transaction + "'");
  }
  Events events;
  const auto next = ledger_.act(*session, *action, events);
  if (!next) co_return make_error(Errc::conflict, next.error().message, "session_not_open");
  publish(events);
  co_return http::json_response(200, json::object{{"session", *session}, {"redirect", *next}});
}

StripeApi::Control StripeApi::get_state(http::Request /*request*/) {
  co_return state();
}

http::Response StripeApi::state() const {
  json::object body = outbox_.state();
  body["faults"] = to_json(faults_.current());
  body["clock"] = json::object{{"now", gateway_sim::unix_seconds(clock_.now())},
                               {"offset_s", clock_.offset().count()}};
  auto ledger = ledger_.summary();
  body["sessions"] = std::move(ledger["sessions"]);
  body["refunds"] = std::move(ledger["refunds"]);
  body["idempotency_keys"] = idempotency_.size();
  body["requests"] = requests_.load(std::memory_order_relaxed);
  return http::json_response(200, body);
}

}  // namespace stripe_sim
