#include "order_http.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "json_fields.hpp"
#include "order_json.hpp"
#include "platform/http/json.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/router.hpp"
#include "platform/idempotency/idempotency.hpp"

namespace checkout {
namespace {
namespace http = platform::http;
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

constexpr int kDefaultListLimit = 20;
constexpr int kMaxListLimit = 100;
constexpr std::size_t kMaxOrderIdLength = 128;

http::Response json_response(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// A problem+json with one extension member (the lines, blockers or shortages at fault).
http::Response problem_with(const platform::Error& error, std::string_view instance,
                            std::string_view member, json::value details) {
  auto response = http::problem(error, instance);
  boost::system::error_code ec;
  auto body = json::parse(response.body, ec);
  if (!ec && body.is_object()) {
    body.as_object()[member] = std::move(details);
    response.body = json::serialize(body);
  }
  return response;
}

json::value refusal_details(const FinalizeOutcome& outcome, std::string_view& member,
                            platform::Error& error) {
  if (!outcome.blockers.empty()) {
    error = make_error(Errc::invalid,
                       "Zamówienia nie można jeszcze złożyć: " + outcome.blockers.front().message,
                       "not_ready");
    member = "readiness";
    json::array list;
    for (const auto& blocker : outcome.blockers) {
      json::object entry{{"code", blocker.code}, {"message", blocker.message}};
      if (blocker.item_id) entry["item_id"] = *blocker.item_id;
      if (blocker.consent_id) entry["consent_id"] = *blocker.consent_id;
      list.push_back(std::move(entry));
    }
    return list;
  }
  if (outcome.cash_on_delivery_refused) {
    error = make_error(Errc::conflict,
                       "Wybrana dostawa nie pozwala na płatność przy odbiorze; wybierz inną "
                       "metodę płatności lub dostawy.",
                       "cash_on_delivery_not_allowed");
    member = "readiness";
    return json::array{};
  }
  if (!outcome.catalog.changed.empty()) {
    error = make_error(Errc::conflict,
                       "Ceny niektórych produktów zmieniły się. Sprawdź nowe ceny przed "
                       "złożeniem zamówienia.",
                       "price_changed");
    member = "changed_prices";
    json::array list;
    for (const auto& line : outcome.catalog.changed) {
      list.push_back(json::object{{"item_id", line.item_id},
                                  {"sku", line.sku},
                                  {"name", line.name},
                                  {"old_unit_price", fields::money_json(line.old_unit_price)},
                                  {"new_unit_price", fields::money_json(line.new_unit_price)}});
    }
    return list;
  }
  if (!outcome.catalog.unavailable.empty()) {
    error =
        make_error(Errc::conflict, "Niektóre produkty nie są już sprzedawane; usuń je z koszyka.",
                   "product_unavailable");
    member = "unavailable_items";
    json::array list;
    for (const auto& item : outcome.catalog.unavailable) list.emplace_back(item);
    return list;
  }
  error = make_error(Errc::conflict, "Brakuje towaru w magazynie dla części produktów.",
                     "out_of_stock");
  member = "shortages";
  json::array list;
  for (const auto& shortage : outcome.shortages) {
    list.push_back(json::object{
        {"sku", shortage.sku}, {"wanted", shortage.wanted}, {"available", shortage.free}});
  }
  return list;
}

// A whole-number query parameter within [min, max]; nullopt when absent.
platform::Result<std::optional<std::int64_t>> query_number(const http::Request& request,
                                                           const std::string& name,
                                                           std::int64_t min, std::int64_t max) {
  const auto text = request.query_param(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = min - 1;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end || value < min || value > max) {
    return make_error(Errc::malformed,
                      "the query parameter " + name + " must be a whole number from " +
                          std::to_string(min) + " to " + std::to_string(max),
                      "invalid_query");
  }
  return std::optional(value);
}

platform::Result<int> limit_of(const http::Request& request) {
  PLATFORM_TRY(const auto limit, query_number(request, "limit", 1, kMaxListLimit));
  return limit ? static_cast<int>(*limit) : kDefaultListLimit;
}

platform::Result<std::chrono::milliseconds> wait_of(const http::Request& request,
                                                    const CheckoutConfig& config) {
  constexpr std::int64_t kMaxWaitParam = 60000;
  PLATFORM_TRY(const auto wait, query_number(request, "wait_ms", 0, kMaxWaitParam));
  const auto asked = wait ? std::chrono::milliseconds(*wait) : config.redirect_wait;
  return std::min(asked, config.max_wait);
}

platform::Result<std::string> order_id_of(const http::Request& request) {
  const auto id = request.path_param("order_id");
  if (!id || id->empty() || id->size() > kMaxOrderIdLength) {
    return make_error(Errc::not_found, "Nie ma takiego zamówienia.", "order_not_found");
  }
  return std::string(*id);
}

}  // namespace

OrderHttpApi::OrderHttpApi(Finalizer& finalizer, OrderStore& orders, OrderSaga& saga,
                           platform::idempotency::IdempotencyStore& idempotency,
                           const CheckoutConfig& config)
    : finalizer_(finalizer),
      orders_(orders),
      saga_(saga),
      idempotency_(idempotency),
      config_(config) {}

void OrderHttpApi::register_routes(http::Router& router) {
  router.add("POST", "/checkout/finalize",
             [this](http::Request r) { return finalize(std::move(r)); });
  router.add("GET", "/checkout/orders", [this](http::Request r) { return list(std::move(r)); });
  router.add("GET", "/checkout/orders/{order_id}",
             [this](http::Request r) { return get(std::move(r)); });
  router.add("POST", "/checkout/orders/{order_id}/cancel",
             [this](http::Request r) { return cancel(std::move(r)); });
}

boost::asio::awaitable<http::Response> OrderHttpApi::finalize(http::Request request) {
  const auto user = request.user_id;
  http::Handler handler = [this](http::Request r) -> boost::asio::awaitable<http::Response> {
    const auto path = r.path;
    auto answer = co_await finalize_once(std::move(r));
    if (!answer) co_return http::problem(answer.error(), path);
    co_return std::move(*answer);
  };
  co_return co_await idempotency_.run(request, user, std::move(handler));
}

OrderHttpApi::Answer OrderHttpApi::finalize_once(http::Request request) {
  if (!request.body.empty()) {
    PLATFORM_CO_TRY(auto body, http::parse_json_object(request.body));
    PLATFORM_CO_CHECK(http::only_fields(body, {}));
  }
  PLATFORM_CO_TRY(const auto wait, wait_of(request, config_));
  PLATFORM_CO_TRY(auto outcome, co_await finalizer_.finalize(request.user_id, wait, request.trace));
  if (outcome.order) {
    co_return json_response(outcome.created ? 201 : 200, order_json(*outcome.order, nullptr));
  }
  std::string_view member;
  platform::Error error;
  auto details = refusal_details(outcome, member, error);
  co_return problem_with(error, request.path, member, std::move(details));
}

OrderHttpApi::Answer OrderHttpApi::list(http::Request request) {
  PLATFORM_CO_TRY(const auto limit, limit_of(request));
  PLATFORM_CO_TRY(auto orders, co_await orders_.list_for_user(request.user_id, limit));
  std::string body = "{\"orders\":[";
  for (std::size_t i = 0; i < orders.size(); ++i) {
    if (i > 0) body += ',';
    body += order_json(orders[i], nullptr);
  }
  body += "]}";
  co_return json_response(200, std::move(body));
}

OrderHttpApi::Answer OrderHttpApi::get(http::Request request) {
  PLATFORM_CO_TRY(auto order_id, order_id_of(request));
  PLATFORM_CO_TRY(auto order, co_await orders_.find(order_id));
  if (!order || order->user_id != request.user_id) {
    co_return make_error(Errc::not_found, "Nie ma takiego zamówienia.", "order_not_found");
  }
  PLATFORM_CO_TRY(auto history, co_await orders_.history(order_id));
  co_return json_response(200, order_json(*order, &history));
}

OrderHttpApi::Answer OrderHttpApi::cancel(http::Request request) {
  PLATFORM_CO_TRY(auto order_id, order_id_of(request));
  auto cancelled = co_await saga_.cancel_by_customer(request.user_id, order_id, request.trace);
  if (!cancelled) {
    if (cancelled.error().code == Errc::forbidden) {
      co_return make_error(Errc::not_found, "Nie ma takiego zamówienia.", "order_not_found");
    }
    co_return cancelled.error();
  }
  PLATFORM_CO_TRY(auto history, co_await orders_.history(order_id));
  co_return json_response(200, order_json(*cancelled, &history));
}

}  // namespace checkout
