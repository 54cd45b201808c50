#include "http_api.hpp"

#include <boost/json.hpp>

#include "contracts/catalog_product.hpp"
#include "platform/crypto.hpp"
#include "platform/http/json.hpp"
#include "platform/http/problem.hpp"
#include "platform/idempotency/idempotency.hpp"
#include "platform/json_writer.hpp"
#include "platform/metrics.hpp"
#include "platform/rules/identifier.hpp"

namespace payment {
namespace {
namespace http = platform::http;
namespace json = boost::json;
using platform::Errc;
using platform::JsonWriter;
using platform::make_error;

// Our ids (transactions: txn_ + hex; orders: the Checkout's) are short; a longer one names none.
constexpr std::size_t kMaxIdLength = 128;
constexpr std::int64_t kMaxRefund = 100'000'000'00;  // grosze: more than any order

http::Response ok(std::string body, int status = 200) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

platform::Error field_error(std::string field, std::string message) {
  auto error = make_error(Errc::invalid, message, "invalid_field");
  error.fields.push_back({std::move(field), std::move(message)});
  return error;
}

bool is_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdLength &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':';
         });
}

platform::Result<std::optional<std::string>> optional_string(const json::object& body,
                                                             std::string_view name) {
  const auto* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string())
    return field_error(std::string(name), "'" + std::string(name) + "' must be a string");
  return std::optional(std::string(value->as_string()));
}

void write_optional(JsonWriter& out, const std::optional<std::string>& value) {
  if (value) {
    out.value(*value);
  } else {
    out.null();
  }
}

std::string attempt_document(const TransactionRecord& record,
                             const std::vector<HistoryEntry>& history,
                             const std::vector<RefundRecord>& refunds) {
  JsonWriter out(1024 + 160 * history.size());
  out.begin_object().key("transaction_id").value(record.transaction_id);
  out.key("order_id").value(record.order_id).key("gateway").value(gateway_name(record.gateway));
  out.key("method_id").value(record.method_id);
  contracts::write_money(out.key("amount"), {record.amount, record.currency});
  out.key("state").value(to_string(record.state));
  out.key("redirect_url");
  write_optional(out, record.redirect_url);
  out.key("gateway_reference");
  write_optional(
      out, record.gateway_reference ? record.gateway_reference : record.registration_reference);
  contracts::write_money(out.key("refunded"), {record.refunded, record.currency});
  out.key("failure_reason");
  write_optional(out, record.failure_reason);
  out.key("created_at").value(record.created_at).key("updated_at").value(record.updated_at);
  out.key("history").begin_array();
  for (const auto& entry : history) {
    out.begin_object().key("from");
    if (entry.from) {
      out.value(to_string(*entry.from));
    } else {
      out.null();
    }
    out.key("to").value(to_string(entry.to)).key("cause").value(entry.cause);
    out.key("at").value(entry.at).end_object();
  }
  out.end_array().key("refunds").begin_array();
  for (const auto& refund : refunds) {
    out.begin_object().key("refund_id").value(refund.refund_id);
    contracts::write_money(out.key("amount"), {refund.amount, record.currency});
    out.key("state").value(to_string(refund.state)).key("reason").value(refund.reason);
    out.key("created_at").value(refund.created_at).end_object();
  }
  out.end_array().end_object();
  return std::move(out).take();
}

std::string_view applied_name(Applied applied) {
  switch (applied) {
    case Applied::changed:
      return "applied";
    case Applied::unchanged:
      return "unchanged";
    case Applied::duplicate:
      return "duplicate";
  }
  return "applied";
}
}  // namespace

PaymentHttpApi::PaymentHttpApi(ChoiceService& choices, Payments& payments,
                               platform::idempotency::IdempotencyStore& idempotency,
                               std::string backoffice_key, const platform::Clock& clock)
    : choices_(choices),
      payments_(payments),
      idempotency_(idempotency),
      backoffice_key_(std::move(backoffice_key)),
      clock_(clock) {}

void PaymentHttpApi::register_routes(http::Router& router) {
  router.add("GET", "/payment/available",
             [this](http::Request r) { return available(std::move(r)); });
  router.add("POST", "/payment/select", [this](http::Request r) { return select(std::move(r)); });
  router.add("POST", "/payment/initialize",
             http::Handler([this](http::Request r) { return initialize(std::move(r)); }));
  router.add("GET", "/payment/status/{transaction_id}",
             [this](http::Request r) { return status(std::move(r)); });
  const http::RouteOptions open{.authenticated = false};
  router.add(
      "POST", "/payment/webhook/{gateway}",
      [this](http::Request r) { return webhook(std::move(r)); }, open);
  router.add(
      "POST", "/payment/admin/refunds", [this](http::Request r) { return refund(std::move(r)); },
      open);
  router.add(
      "GET", "/payment/admin/transactions/{transaction_id}",
      [this](http::Request r) { return admin_transaction(std::move(r)); }, open);
}

PaymentHttpApi::Answer PaymentHttpApi::available(http::Request request) {
  PLATFORM_CO_TRY(auto document, co_await choices_.available(request.user_id));
  co_return ok(std::move(document));
}

PaymentHttpApi::Answer PaymentHttpApi::select(http::Request request) {
  PLATFORM_CO_TRY(auto body, http::parse_json_object(request.body));
  PLATFORM_CO_CHECK(http::only_fields(body, {"method"}));
  PLATFORM_CO_TRY(auto method, optional_string(body, "method"));
  if (!method) co_return field_error("method", "'method' is required");
  if (!platform::rules::is_identifier(*method)) {
    co_return make_error(Errc::not_found, "Nie ma metody płatności " + method->substr(0, 64) + ".",
                         "unknown_method");
  }
  PLATFORM_CO_TRY(auto document,
                  co_await choices_.select(request.user_id, std::move(*method), request.trace));
  co_return ok(std::move(document));
}

boost::asio::awaitable<http::Response> PaymentHttpApi::initialize(http::Request request) {
  const auto user = request.user_id;
  http::Handler handler = [this](http::Request r) -> boost::asio::awaitable<http::Response> {
    const auto path = r.path;
    auto answer = co_await initialize_once(std::move(r));
    if (!answer) co_return http::problem(answer.error(), path);
    co_return std::move(*answer);
  };
  co_return co_await idempotency_.run(request, user, std::move(handler));
}

PaymentHttpApi::Answer PaymentHttpApi::initialize_once(http::Request request) {
  PLATFORM_CO_TRY(auto body, http::parse_json_object(request.body));
  PLATFORM_CO_CHECK(http::only_fields(body, {"order_id", "method", "blik_code"}));
  PLATFORM_CO_TRY(auto order_id, optional_string(body, "order_id"));
  PLATFORM_CO_TRY(auto method, optional_string(body, "method"));
  PLATFORM_CO_TRY(auto blik_code, optional_string(body, "blik_code"));
  if (!order_id) co_return field_error("order_id", "'order_id' is required");
  if (!is_id(*order_id)) {
    co_return make_error(Errc::not_found, "Nie znamy takiego zamówienia.", "order_not_found");
  }
  if (method && !platform::rules::is_identifier(*method)) {
    co_return field_error("method", "Nie ma metody płatności " + method->substr(0, 64) + ".");
  }
  InitializeRequest command{request.user_id, std::move(*order_id), std::move(method),
                            std::move(blik_code), request.trace};
  PLATFORM_CO_TRY(auto outcome, co_await payments_.initialize(std::move(command)));
  PLATFORM_CO_TRY(auto history, co_await payments_.store().history(outcome.attempt.transaction_id));
  co_return ok(attempt_document(outcome.attempt, history, {}), outcome.created ? 201 : 200);
}

PaymentHttpApi::Answer PaymentHttpApi::webhook(http::Request request) {
  const auto name = request.path_param("gateway").value_or("");
  const auto gateway = gateway_from_name(name);
  auto* client = gateway ? payments_.gateway(*gateway) : nullptr;
  if (client == nullptr) {
    co_return make_error(Errc::not_found, "no such payment gateway", "unknown_gateway");
  }
  const WebhookRequest raw{request.headers, request.body};
  auto read = client->read_webhook(raw, clock_.now());
  if (!read) {
    if (read.error().code == Errc::unauthenticated) {
      Payments::count_forged(*gateway, read.error().message);
    } else {
      webhook_counter(*gateway, "malformed").inc();
    }
    co_return read.error();
  }
  if (!*read) {
    webhook_counter(*gateway, "ignored").inc();
    co_return ok(R"({"status":"ignored"})");
  }
  const auto transaction_id = (*read)->transaction_id;
  auto applied = co_await payments_.apply(*gateway, std::move(**read), "webhook", request.trace);
  if (!applied) {
    const auto& error = applied.error();
    if (error.reason == "amount_mismatch" || error.reason == "transaction_not_found") {
      co_await payments_.alert(*gateway, error.reason, transaction_id, error.message);
    }
    co_return error;
  }
  webhook_counter(*gateway, applied_name(*applied)).inc();
  co_return ok(R"({"status":")" + std::string(applied_name(*applied)) + R"("})");
}

PaymentHttpApi::Answer PaymentHttpApi::transaction_document(const std::string& transaction_id,
                                                            int status_code) {
  PLATFORM_CO_TRY(auto record, co_await payments_.store().transaction(transaction_id));
  if (!record) co_return make_error(Errc::not_found, "no such payment", "transaction_not_found");
  PLATFORM_CO_TRY(auto history, co_await payments_.store().history(transaction_id));
  PLATFORM_CO_TRY(auto refunds, co_await payments_.store().refunds(transaction_id));
  co_return ok(attempt_document(*record, history, refunds), status_code);
}

PaymentHttpApi::Answer PaymentHttpApi::status(http::Request request) {
  const auto id = std::string(request.path_param("transaction_id").value_or(""));
  if (!is_id(id)) co_return make_error(Errc::not_found, "no such payment", "transaction_not_found");
  PLATFORM_CO_TRY(auto record, co_await payments_.store().transaction(id));
  if (!record) co_return make_error(Errc::not_found, "no such payment", "transaction_not_found");
  if (record->user_id != request.user_id) {
    co_return make_error(Errc::forbidden, "this payment belongs to another customer",
                         "not_your_payment");
  }
  co_return co_await transaction_document(id, 200);
}

platform::Status PaymentHttpApi::backoffice(const http::Request& request) const {
  const auto key = request.header("x-backoffice-key");
  if (!key || !platform::crypto::constant_time_equal(*key, backoffice_key_)) {
    return make_error(Errc::unauthenticated, "the back office's X-Backoffice-Key is required",
                      "backoffice_key_required");
  }
  return platform::Status{};
}

PaymentHttpApi::Answer PaymentHttpApi::refund(http::Request request) {
  PLATFORM_CO_CHECK(backoffice(request));
  PLATFORM_CO_TRY(auto body, http::parse_json_object(request.body));
  PLATFORM_CO_CHECK(http::only_fields(body, {"transaction_id", "amount", "reason"}));
  PLATFORM_CO_TRY(auto transaction_id, optional_string(body, "transaction_id"));
  PLATFORM_CO_TRY(auto reason, optional_string(body, "reason"));
  if (!transaction_id) co_return field_error("transaction_id", "'transaction_id' is required");
  // Bytes, not characters: 500 bytes hold at least 250 Polish letters. Control characters (a NUL
  // would cut the text in PostgreSQL) are refused.
  const auto control = [](unsigned char c) {
    return c < 0x20 || c == 0x7f;
  };
  if (!reason || reason->empty() || reason->size() > 500 ||
      std::any_of(reason->begin(), reason->end(), control)) {
    co_return field_error(
        "reason", "'reason' is required: 1 to 500 bytes of text without control characters");
  }
  std::optional<std::int64_t> amount;
  if (const auto* value = body.if_contains("amount"); value != nullptr && !value->is_null()) {
    if (!value->is_int64() || value->as_int64() <= 0 || value->as_int64() > kMaxRefund) {
      co_return field_error("amount", "'amount' is a positive whole number of grosze");
    }
    amount = value->as_int64();
  }
  if (!is_id(*transaction_id)) {
    co_return make_error(Errc::not_found, "no such payment", "transaction_not_found");
  }
  PLATFORM_CO_TRY(auto refund,
                  co_await payments_.refund(*transaction_id, amount, std::move(*reason),
                                            "backoffice", request.trace));
  (void)refund;
  co_return co_await transaction_document(*transaction_id, 201);
}

PaymentHttpApi::Answer PaymentHttpApi::admin_transaction(http::Request request) {
  PLATFORM_CO_CHECK(backoffice(request));
  const auto id = std::string(request.path_param("transaction_id").value_or(""));
  if (!is_id(id)) co_return make_error(Errc::not_found, "no such payment", "transaction_not_found");
  co_return co_await transaction_document(id, 200);
}

}  // namespace payment
