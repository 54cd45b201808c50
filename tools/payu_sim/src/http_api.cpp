#include "http_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "hosted_page.hpp"
#include "orders.hpp"
#include "payu_protocol.hpp"
#include "platform/http/json.hpp"

namespace payu_sim {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
namespace http = platform::http;
using platform::Errc;
using platform::make_error;

// PayU's own error shapes and statuses: this API imitates PayU, so it picks them itself.
http::Response payu_error(const platform::Error& error) {
  int status = 400;
  std::string code = error.reason.empty() ? "ERROR_VALUE_INVALID" : error.reason;
  switch (error.code) {
    case Errc::unauthenticated:
      status = 401;
      code = "UNAUTHORIZED";
      break;
    case Errc::not_found:
      status = 404;
      break;
    case Errc::forbidden:
      status = 403;
      break;
    default:
      break;
  }
  return http::json_response(status, status_json(code, error.message));
}

http::Response payu_answer(const platform::Result<json::object>& result) {
  if (!result) return payu_error(result.error());
  return http::json_response(200, *result);
}

http::Response html(int status, std::string body) {
  return http::Response{status, "text/html; charset=utf-8", {}, std::move(body)};
}

http::Response see_other(const std::string& location) {
  http::Response response{303, "text/html; charset=utf-8", {{"Location", location}}, {}};
  response.body = render_notice("Przekierowanie", "Wracasz do sklepu: " + location);
  return response;
}

std::string param(const http::Request& request, std::string_view name) {
  return std::string(request.path_param(name).value_or(""));
}

platform::Result<gateway_sim::PageAction> action_of(std::string_view name) {
  const auto action = gateway_sim::page_action_from(name);
  if (!action) {
    return make_error(Errc::malformed, "action must be pay, fail or abandon", "invalid_action");
  }
  return *action;
}

platform::Result<std::chrono::seconds> advance_of(std::string_view body) {
  PLATFORM_TRY(const auto object, http::parse_json_object(body));
  for (const auto& [name, value] : object) {
    if (name != "advance_s") {
      return make_error(Errc::malformed,
                        "unknown field '" + std::string(name) + "' (only advance_s)",
                        "invalid_parameter");
    }
  }
  const auto* advance = object.if_contains("advance_s");
  if (advance == nullptr || !advance->is_int64() || advance->as_int64() < 0) {
    return make_error(Errc::malformed, "'advance_s' must be a non-negative integer",
                      "invalid_parameter");
  }
  return std::chrono::seconds(advance->as_int64());
}
}  // namespace

PayUApi::PayUApi(Simulator& simulator) : simulator_(simulator) {}

void PayUApi::register_routes(http::Router& router) {
  const http::RouteOptions open{.authenticated = false};
  auto add = [&router, &open, this](const char* method, const char* path,
                                    Answer (PayUApi::*member)(http::Request)) {
    router.add(
        method, path, [this, member](http::Request r) { return (this->*member)(std::move(r)); },
        open);
  };
  auto control = [&router, &open, this](const char* method, const char* path,
                                        ControlAnswer (PayUApi::*member)(http::Request)) {
    router.add(method, path, http::ResultHandler([this, member](http::Request r) {
                 return (this->*member)(std::move(r));
               }),
               open);
  };
  add("POST", std::string(payment::payu::kTokenPath).c_str(), &PayUApi::post_token);
  add("POST", "/api/v2_1/orders", &PayUApi::post_order);
  add("GET", "/api/v2_1/orders/{orderId}", &PayUApi::get_order);
  add("DELETE", "/api/v2_1/orders/{orderId}", &PayUApi::delete_order);
  add("POST", "/api/v2_1/orders/{orderId}/refunds", &PayUApi::post_refund);
  add("GET", "/api/v2_1/orders/{orderId}/refunds", &PayUApi::get_refunds);
  add("GET", "/pay", &PayUApi::get_page);
  add("POST", "/pay", &PayUApi::post_page);
  control("POST", "/control/faults", &PayUApi::post_faults);
  control("POST", "/control/reset", &PayUApi::post_reset);
  control("POST", "/control/flush", &PayUApi::post_flush);
  control("POST", "/control/clock", &PayUApi::post_clock);
  control("GET", "/control/state", &PayUApi::get_state);
  control("POST", "/control/payments/{extOrderId}/{action}", &PayUApi::post_payment);
}

PayUApi::Answer PayUApi::post_token(http::Request request) {
  auto fault = co_await injected_fault();
  if (fault) co_return std::move(*fault);
  const auto type = request.header("content-type").value_or("");
  if (!type.starts_with("application/x-www-form-urlencoded")) {
    co_return http::json_response(401, json::object{{"error", "invalid_request"},
                                                    {"error_description",
                                                     "Content-Type must be "
                                                     "application/x-www-form-urlencoded"}});
  }
  const auto token = simulator_.issue_token(request.body);
  if (!token) {
    const int status = token.error().reason == "unsupported_grant_type" ? 400 : 401;
    co_return http::json_response(status,
                                  json::object{{"error", token.error().reason},
                                               {"error_description", token.error().message}});
  }
  co_return http::json_response(200, *token);
}

PayUApi::Answer PayUApi::post_order(http::Request request) {
  auto fault = co_await injected_fault();
  if (fault) co_return std::move(*fault);
  if (auto refused = unauthorized(request)) co_return std::move(*refused);
  const auto created = simulator_.create_order(request.body);
  if (!created) co_return payu_error(created.error());
  auto response = http::json_response(302, *created);
  response.headers.emplace_back("Location", std::string(created->at("redirectUri").as_string()));
  co_return response;
}

PayUApi::Answer PayUApi::get_order(http::Request request) {
  auto fault = co_await injected_fault();
  if (fault) co_return std::move(*fault);
  if (auto refused = unauthorized(request)) co_return std::move(*refused);
  co_return payu_answer(simulator_.get_order(param(request, "orderId")));
}

PayUApi::Answer PayUApi::delete_order(http::Request request) {
  auto fault = co_await injected_fault();
  if (fault) co_return std::move(*fault);
  if (auto refused = unauthorized(request)) co_return std::move(*refused);
  co_return payu_answer(simulator_.cancel_order(param(request, "orderId")));
}

PayUApi::Answer PayUApi::post_refund(http::Request request) {
  auto fault = co_await injected_fault();
  if (fault) co_return std::move(*fault);
  if (auto refused = unauthorized(request)) co_return std::move(*refused);
  co_return payu_answer(simulator_.create_refund(param(request, "orderId"), request.body));
}

PayUApi::Answer PayUApi::get_refunds(http::Request request) {
  auto fault = co_await injected_fault();
  if (fault) co_return std::move(*fault);
  if (auto refused = unauthorized(request)) co_return std::move(*refused);
  co_return payu_answer(simulator_.get_refunds(param(request, "orderId")));
}

PayUApi::Answer PayUApi::get_page(http::Request request) {
  const auto view = simulator_.page(request.query_param("orderId").value_or(""),
                                    request.query_param("token").value_or(""));
  if (!view) co_return html(404, render_notice("Nie znaleziono płatności", view.error().message));
  co_return html(200, render_page(*view));
}

PayUApi::Answer PayUApi::post_page(http::Request request) {
  const auto form = payment::payu::parse_form(request.body);
  const auto name = form ? payment::payu::form_value(*form, "action") : std::nullopt;
  const auto action = name ? gateway_sim::page_action_from(*name) : std::nullopt;
  if (!action) {
    co_return html(400, render_notice("Błędne żądanie", "action: pay, fail albo abandon"));
  }
  const auto back = simulator_.act(request.query_param("orderId").value_or(""),
                                   request.query_param("token").value_or(""), *action);
  if (!back) {
    const int status = back.error().code == Errc::conflict ? 409 : 404;
    co_return html(status, render_notice("Płatność niemożliwa", back.error().message));
  }
  if (back->empty()) co_return html(200, render_notice("Gotowe", "Możesz zamknąć tę stronę."));
  co_return see_other(*back);
}

PayUApi::ControlAnswer PayUApi::post_faults(http::Request request) {
  // PayU's amount_delta is any integer (the other simulators bound it to ±10⁹).
  PLATFORM_CO_TRY(const auto faults,
                  gateway_sim::parse_fault_config(
                      request.body, gateway_sim::FaultLimits{.max_amount_delta = std::nullopt}));
  simulator_.set_faults(faults);
  spdlog::info("faults set: {}", json::serialize(to_json(faults)));
  co_return state();
}

PayUApi::ControlAnswer PayUApi::post_reset(http::Request /*request*/) {
  simulator_.reset();
  api_requests_.store(0, std::memory_order_relaxed);
  spdlog::info("reset: no faults, no orders, no tokens, no notifications, clock offset 0");
  co_return state();
}

PayUApi::ControlAnswer PayUApi::post_flush(http::Request /*request*/) {
  simulator_.flush();
  co_return state();
}

PayUApi::ControlAnswer PayUApi::post_clock(http::Request request) {
  PLATFORM_CO_TRY(const auto by, advance_of(request.body));
  simulator_.advance(by);
  spdlog::info("clock advanced by {} s", by.count());
  co_return state();
}

PayUApi::ControlAnswer PayUApi::get_state(http::Request /*request*/) {
  co_return state();
}

PayUApi::ControlAnswer PayUApi::post_payment(http::Request request) {
  PLATFORM_CO_TRY(const auto action, action_of(param(request, "action")));
  PLATFORM_CO_TRY(const auto back, simulator_.act_external(param(request, "extOrderId"), action));
  co_return http::json_response(200, json::object{{"continueUrl", back}});
}

asio::awaitable<std::optional<http::Response>> PayUApi::injected_fault() {
  api_requests_.fetch_add(1, std::memory_order_relaxed);
  const auto faults = simulator_.faults();
  if (faults.api_delay.count() > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, faults.api_delay);
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (!faults.api_status) co_return std::nullopt;
  const int status = *faults.api_status;
  co_return http::json_response(
      status,
      status_json(status >= 500 ? "ERROR_INTERNAL" : "ERROR_VALUE_INVALID",
                  "api_status " + std::to_string(status) + " injected by POST /control/faults"));
}

std::optional<http::Response> PayUApi::unauthorized(const http::Request& request) const {
  if (simulator_.authorized(request.header("authorization"))) return std::nullopt;
  return payu_error(make_error(Errc::unauthenticated,
                               "Check signature parameters and Authorization header",
                               "UNAUTHORIZED"));
}

http::Response PayUApi::state() const {
  auto body = simulator_.state();
  body["api_requests"] = api_requests_.load(std::memory_order_relaxed);
  return http::json_response(200, body);
}

}  // namespace payu_sim
