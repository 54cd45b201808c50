#include "http_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <utility>

#include "gateway_sim/html_escape.hpp"
#include "hosted_page.hpp"
#include "platform/crypto.hpp"
#include "platform/http/json.hpp"
#include "platform/polish_calendar.hpp"
#include "przelewy24_protocol.hpp"

namespace p24_sim {
namespace {
namespace json = boost::json;
namespace http = platform::http;
namespace p24 = payment::przelewy24;
using platform::Errc;

constexpr int kBadRequest = 400;
constexpr int kUnauthorized = 401;
constexpr int kNotFound = 404;
constexpr int kConflict = 409;
constexpr int kSeeOther = 303;
constexpr std::int64_t kMaxTimeLimit = 99;
// P24's OpenAPI caps refundsUuid at 35 characters, yet its own notifications carry 36-character
// UUIDs (the reference's vector 2): the simulator takes a UUID.
constexpr std::size_t kMaxRefundsUuid = 36;

http::Response p24_error(int status, std::string_view message) {
  json::object body;
  body["error"] = message;
  body["code"] = status;
  return http::json_response(status, body);
}

http::Response p24_data(int status, json::value data) {
  json::object body;
  body["data"] = std::move(data);
  body["responseCode"] = 0;
  return http::json_response(status, body);
}

http::Response html(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  return response;
}

// Reads the fields of a P24 request body; the first problem wins and becomes P24's 400.
class Fields {
 public:
  explicit Fields(std::string_view body) {
    auto parsed = http::parse_json_object(body);
    if (parsed) {
      object_ = std::move(*parsed);
    } else {
      problem_ = "Invalid input data: " + parsed.error().message;
    }
  }

  std::int64_t integer(std::string_view name, bool required = true) {
    const auto* value = object_.if_contains(name);
    if (value == nullptr) {
      if (required) fail("missing " + std::string(name));
      return 0;
    }
    if (value->is_int64()) return value->as_int64();
    if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(value->as_uint64());
    }
    fail(std::string(name) + " must be an integer");
    return 0;
  }

  std::string text(std::string_view name, std::size_t max, bool required = true) {
    const auto* value = object_.if_contains(name);
    if (value == nullptr) {
      if (required) fail("missing " + std::string(name));
      return {};
    }
    if (!value->is_string()) {
      fail(std::string(name) + " must be a string");
      return {};
    }
    std::string out(value->as_string());
    if (out.size() > max || (required && out.empty())) {
      fail(std::string(name) + " must have 1 to " + std::to_string(max) + " characters");
    }
    return out;
  }

  [[nodiscard]] bool has(std::string_view name) const { return object_.contains(name); }
  [[nodiscard]] const json::object& object() const { return object_; }
  void fail(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  json::object object_;
  std::string problem_;
};

std::string p24_date(std::optional<platform::TimePoint> instant) {
  if (!instant) return {};
  const auto local = platform::to_warsaw(*instant);
  const auto minutes = static_cast<unsigned>(local.time_of_day.count());
  std::string text = std::to_string(static_cast<int>(local.date.year()));
  for (const unsigned part :
       {static_cast<unsigned>(local.date.month()), static_cast<unsigned>(local.date.day()),
        minutes / 60U, minutes % 60U}) {
    if (part < 10U) text.push_back('0');
    text += std::to_string(part);
  }
  return text;
}

json::object status_data(const Transaction& transaction) {
  json::object data;
  data["orderId"] = transaction.status > 0 ? transaction.order_id : 0;
  data["sessionId"] = transaction.order.session_id;
  data["status"] = transaction.status;
  data["amount"] = transaction.order.amount;
  data["currency"] = transaction.order.currency;
  data["date"] = p24_date(transaction.registered_at);
  data["dateOfTransaction"] = p24_date(transaction.paid_at);
  data["clientEmail"] = transaction.order.email;
  data["accountMD5"] = "";
  data["paymentMethod"] = transaction.method_id;
  data["description"] = transaction.order.description;
  data["clientName"] = transaction.order.client;
  data["clientAddress"] = "";
  data["clientCity"] = "";
  data["clientPostcode"] = "";
  data["batchId"] = 0;
  data["fee"] = "0";
  data["statement"] = transaction.statement;
  return data;
}

json::object refund_result(const RefundItem& item, bool ok, std::string_view message) {
  json::object out;
  out["orderId"] = item.order_id;
  out["sessionId"] = item.session_id;
  out["amount"] = item.amount;
  out["description"] = item.description;
  out["status"] = ok;
  out["message"] = message;
  return out;
}

bool blik_code_shape(std::string_view code) {
  if (code.size() != 6) return false;
  for (const char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
}  // namespace

P24Api::P24Api(Cashier& cashier, Ledger& ledger, gateway_sim::FaultStore& faults,
               gateway_sim::SimClock& clock)
    : cashier_(cashier), ledger_(ledger), faults_(faults), clock_(clock) {}

void P24Api::register_routes(http::Router& router) {
  // The kit's JWT check is off: /api checks P24's Basic credentials itself.
  const http::RouteOptions open{.authenticated = false};
  const auto add = [&](const char* method, const char* pattern,
                       Answer (P24Api::*handler)(Request)) {
    router.add(method, pattern,
               http::Handler([this, handler](Request r) { return (this->*handler)(std::move(r)); }),
               open);
  };
  add("GET", "/api/v1/testAccess", &P24Api::test_access);
  add("POST", "/api/v1/transaction/register", &P24Api::register_transaction);
  add("POST", "/api/v1/paymentMethod/blik/chargeByCode", &P24Api::charge_blik);
  add("PUT", "/api/v1/transaction/verify", &P24Api::verify);
  add("GET", "/api/v1/transaction/by/sessionId/{sessionId}", &P24Api::status);
  add("POST", "/api/v1/transaction/refund", &P24Api::refund);
  add("GET", "/trnRequest/{token}", &P24Api::page);
  add("POST", "/trnRequest/{token}", &P24Api::page_action);
}

boost::asio::awaitable<std::optional<http::Response>> P24Api::gate(const Request& request) {
  const auto faults = faults_.current();
  if (faults.api_delay.count() > 0) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, faults.api_delay);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  if (faults.api_status) {
    spdlog::debug("api_status {}: {} {}", *faults.api_status, request.method, request.path);
    co_return p24_error(*faults.api_status, "Injected fault (POST /control/faults)");
  }
  const auto authorization = request.header("authorization");
  if (!authorization || !platform::crypto::constant_time_equal(
                            *authorization, cashier_.credentials().basic_authorization())) {
    co_return p24_error(kUnauthorized, "Incorrect authentication");
  }
  co_return std::nullopt;
}

P24Api::Answer P24Api::test_access(Request request) {
  if (auto refused = co_await gate(request)) co_return std::move(*refused);
  json::object body;
  body["data"] = true;
  body["error"] = "";
  co_return http::json_response(200, body);
}

P24Api::Answer P24Api::register_transaction(Request request) {
  if (auto refused = co_await gate(request)) co_return std::move(*refused);
  Fields fields(request.body);
  const auto& credentials = cashier_.credentials();
  const auto merchant_id = fields.integer("merchantId");
  const auto pos_id = fields.integer("posId");
  RegisterOrder order;
  order.session_id = fields.text("sessionId", 100);
  order.amount = fields.integer("amount");
  order.currency = fields.text("currency", 3);
  order.description = fields.text("description", 1024);
  order.email = fields.text("email", 50);
  order.client = fields.text("client", 40, false);
  (void)fields.text("country", 2);
  (void)fields.text("language", 2);
  order.url_return = fields.text("urlReturn", 250);
  order.url_status = fields.text("urlStatus", 250, false);
  const auto sign = fields.text("sign", 100);
  if (fields.has("timeLimit")) {
    const auto limit = fields.integer("timeLimit");
    if (limit < 0 || limit > kMaxTimeLimit) fields.fail("timeLimit must be 0..99");
    order.time_limit_min = static_cast<int>(limit);
  }
  if (fields.has("channel")) {
    const auto channel = fields.integer("channel");
    if (channel < 0 || channel > INT32_MAX) fields.fail("channel must be bit flags");
    order.channel = static_cast<int>(channel);
  }
  if (fields.problem().empty() && order.amount <= 0) fields.fail("amount must be positive");
  if (!fields.problem().empty()) co_return p24_error(kBadRequest, fields.problem());
  if (merchant_id != credentials.merchant_id || pos_id != credentials.pos_id) {
    co_return p24_error(kBadRequest, "Incorrect merchantId or posId");
  }
  const auto expected = p24::register_sign(order.session_id, merchant_id, order.amount,
                                           order.currency, credentials.crc);
  if (!platform::crypto::constant_time_equal(expected, sign)) {
    co_return p24_error(kBadRequest, "Incorrect sign");
  }
  auto registered = ledger_.register_transaction(std::move(order), clock_.now());
  if (!registered) co_return p24_error(kBadRequest, registered.error().message);
  spdlog::info("registered {} ({} {}), token {}", registered->order.session_id,
               registered->order.amount, registered->order.currency, registered->token);
  json::object data;
  data["token"] = registered->token;
  co_return p24_data(200, std::move(data));
}

P24Api::Answer P24Api::charge_blik(Request request) {
  if (auto refused = co_await gate(request)) co_return std::move(*refused);
  Fields fields(request.body);
  const auto token = fields.text("token", 100);
  const auto code = fields.text("blikCode", 6);
  if (fields.problem().empty() && !blik_code_shape(code)) fields.fail("blikCode: six digits");
  if (!fields.problem().empty()) co_return p24_error(kBadRequest, fields.problem());
  const auto transaction = ledger_.by_token(token);
  if (!transaction) co_return p24_error(kBadRequest, "Invalid token");
  // 777xxx: the customer confirms in the bank's app; anything else is declined there, and P24
  // sends nothing for a failed payment.
  const auto action =
      code.starts_with("777") ? gateway_sim::PageAction::pay : gateway_sim::PageAction::fail;
  constexpr int kMethodBlik = 154;
  auto acted = cashier_.act(token, action, kMethodBlik);
  if (!acted) co_return p24_error(kBadRequest, acted.error().message);
  json::object data;
  data["orderId"] = acted->order_id;
  data["message"] = "success";
  co_return p24_data(200, std::move(data));
}

P24Api::Answer P24Api::verify(Request request) {
  if (auto refused = co_await gate(request)) co_return std::move(*refused);
  Fields fields(request.body);
  const auto& credentials = cashier_.credentials();
  const auto merchant_id = fields.integer("merchantId");
  const auto pos_id = fields.integer("posId");
  const auto session_id = fields.text("sessionId", 100);
  const auto amount = fields.integer("amount");
  const auto currency = fields.text("currency", 3);
  const auto order_id = fields.integer("orderId");
  const auto sign = fields.text("sign", 100);
  if (!fields.problem().empty()) co_return p24_error(kBadRequest, fields.problem());
  if (merchant_id != credentials.merchant_id || pos_id != credentials.pos_id) {
    co_return p24_error(kBadRequest, "Incorrect merchantId or posId");
  }
  const auto expected = p24::verify_sign(session_id, order_id, amount, currency, credentials.crc);
  if (!platform::crypto::constant_time_equal(expected, sign)) {
    co_return p24_error(kBadRequest, "Incorrect sign");
  }
  const auto verified = ledger_.verify(session_id, order_id, amount, currency);
  if (!verified) {
    spdlog::info("verify {} refused: {}", session_id, verified.error().message);
    co_return p24_error(kBadRequest, verified.error().message);
  }
  spdlog::info("verified {} (orderId {})", session_id, order_id);
  json::object data;
  data["status"] = "success";
  co_return p24_data(200, std::move(data));
}

P24Api::Answer P24Api::status(Request request) {
  if (auto refused = co_await gate(request)) co_return std::move(*refused);
  const auto transaction = ledger_.by_session(std::string(*request.path_param("sessionId")));
  if (!transaction) co_return p24_error(kNotFound, "Transaction not found");
  co_return p24_data(200, status_data(*transaction));
}

P24Api::Answer P24Api::refund(Request request) {
  if (auto refused = co_await gate(request)) co_return std::move(*refused);
  Fields fields(request.body);
  RefundOrder order;
  order.request_id = fields.text("requestId", 45);
  order.refunds_uuid = fields.text("refundsUuid", kMaxRefundsUuid);
  order.url_status = fields.text("urlStatus", 250, false);
  const auto* refunds = fields.object().if_contains("refunds");
  if (fields.problem().empty() &&
      (refunds == nullptr || !refunds->is_array() || refunds->as_array().empty())) {
    fields.fail("refunds must be a non-empty array");
  }
  if (!fields.problem().empty()) co_return p24_error(kBadRequest, "Invalid input parameters");
  for (const auto& value : refunds->as_array()) {
    if (!value.is_object()) co_return p24_error(kBadRequest, "Invalid input parameters");
    Fields item_fields(json::serialize(value));
    RefundItem item;
    item.order_id = item_fields.integer("orderId");
    item.session_id = item_fields.text("sessionId", 100);
    item.amount = item_fields.integer("amount");
    item.description = item_fields.text("description", 35, false);
    if (!item_fields.problem().empty() || item.amount <= 0) {
      co_return p24_error(kBadRequest, "Invalid input parameters");
    }
    order.refunds.push_back(std::move(item));
  }
  const auto items = order.refunds;
  auto booked = cashier_.refund(std::move(order));
  if (!booked) {
    if (booked.error().code == Errc::conflict) {
      co_return p24_error(kBadRequest, booked.error().message);
    }
    json::array results;
    for (const auto& item : items) {
      results.push_back(refund_result(item, false, booked.error().message));
    }
    json::object body;
    body["error"] = std::move(results);
    body["code"] = kConflict;
    co_return http::json_response(kConflict, body);
  }
  json::array results;
  for (const auto& item : booked->order.refunds) {
    results.push_back(refund_result(item, true, "success"));
  }
  co_return p24_data(201, std::move(results));
}

P24Api::Answer P24Api::page(Request request) {
  const auto transaction = ledger_.by_token(std::string(*request.path_param("token")));
  if (!transaction) co_return html(kNotFound, unknown_token_page());
  co_return html(200, payment_page(*transaction));
}

P24Api::Answer P24Api::page_action(Request request) {
  const std::string token(*request.path_param("token"));
  auto name = request.query_param("action");
  if (!name) name = form_value(request.body, "action");
  const auto action = name ? gateway_sim::page_action_from(*name) : std::nullopt;
  if (!action) co_return html(kBadRequest, "<p>Nieznana akcja (pay, fail, abandon).</p>\n");
  const auto acted = cashier_.act(token, *action);
  if (!acted) {
    const int status = acted.error().code == Errc::not_found ? kNotFound : kConflict;
    co_return html(status, "<p>" + gateway_sim::html_escape(acted.error().message) + "</p>\n");
  }
  http::Response response;
  response.status = kSeeOther;
  response.content_type.clear();
  response.headers.emplace_back("Location", acted->order.url_return);
  co_return response;
}

}  // namespace p24_sim
