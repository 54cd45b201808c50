#include "orders.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "payu_protocol.hpp"

namespace payu_sim {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error missing(std::string_view field) {
  return make_error(Errc::malformed, "Missing required field: " + std::string(field),
                    "ERROR_VALUE_MISSING");
}

platform::Error invalid(std::string_view field, std::string_view why) {
  return make_error(Errc::malformed,
                    "Invalid field " + std::string(field) + ": " + std::string(why),
                    "ERROR_VALUE_INVALID");
}

platform::Result<json::object> parse_object(std::string_view body) {
  json::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) {
    return make_error(Errc::malformed, "the body is not a JSON object", "ERROR_SYNTAX");
  }
  return std::move(value.as_object());
}

platform::Result<std::string> text(const json::object& object, std::string_view field,
                                   bool required) {
  const auto* value = object.if_contains(field);
  if (value == nullptr || (value->is_string() && value->as_string().empty())) {
    if (required) return missing(field);
    return std::string();
  }
  if (!value->is_string()) return invalid(field, "not a string");
  return std::string(value->as_string());
}

platform::Result<std::int64_t> amount(const json::object& object, std::string_view field) {
  PLATFORM_TRY(const auto value, text(object, field, true));
  const auto parsed = payment::payu::parse_amount(value);
  if (!parsed || *parsed <= 0) return invalid(field, "a positive whole number in string");
  return *parsed;
}

platform::Status check_products(const json::object& body) {
  const auto* products = body.if_contains("products");
  if (products == nullptr) return missing("products");
  if (!products->is_array() || products->as_array().empty()) {
    return invalid("products", "a non-empty array");
  }
  for (const auto& product : products->as_array()) {
    if (!product.is_object()) return invalid("products", "an array of objects");
    PLATFORM_CHECK(text(product.as_object(), "name", true));
    PLATFORM_CHECK(amount(product.as_object(), "unitPrice"));
    PLATFORM_CHECK(amount(product.as_object(), "quantity"));
  }
  return {};
}
}  // namespace

platform::Result<Order> parse_order_create(std::string_view body, std::string_view pos_id) {
  PLATFORM_TRY(const auto root, parse_object(body));
  Order order;
  PLATFORM_TRY(order.customer_ip, text(root, "customerIp", true));
  if (order.customer_ip == "0.0.0.0") return invalid("customerIp", "0.0.0.0 is not accepted");
  PLATFORM_TRY(order.merchant_pos_id, text(root, "merchantPosId", true));
  if (order.merchant_pos_id != pos_id) return invalid("merchantPosId", "not this POS");
  PLATFORM_TRY(order.description, text(root, "description", true));
  PLATFORM_TRY(order.currency, text(root, "currencyCode", true));
  if (order.currency.size() != 3) return invalid("currencyCode", "an ISO 4217 code");
  PLATFORM_TRY(order.total_amount, amount(root, "totalAmount"));
  PLATFORM_CHECK(check_products(root));
  order.products = root.at("products").as_array();
  PLATFORM_TRY(order.ext_order_id, text(root, "extOrderId", false));
  PLATFORM_TRY(order.notify_url, text(root, "notifyUrl", false));
  PLATFORM_TRY(order.continue_url, text(root, "continueUrl", false));
  if (const auto* buyer = root.if_contains("buyer")) {
    if (!buyer->is_object()) return invalid("buyer", "an object");
    order.buyer = buyer->as_object();
  }
  if (const auto* methods = root.if_contains("payMethods");
      methods != nullptr && methods->is_object()) {
    if (const auto* method = methods->as_object().if_contains("payMethod");
        method != nullptr && method->is_object()) {
      if (const auto* type = method->as_object().if_contains("type");
          type != nullptr && type->is_string()) {
        order.pay_method = std::string(type->as_string());
      }
    }
  }
  return order;
}

json::object order_json(const Order& order, std::int64_t amount_delta) {
  json::object out;
  out["orderId"] = order.order_id;
  if (!order.ext_order_id.empty()) out["extOrderId"] = order.ext_order_id;
  out["orderCreateDate"] = platform::format_rfc3339(order.created);
  if (!order.notify_url.empty()) out["notifyUrl"] = order.notify_url;
  out["customerIp"] = order.customer_ip;
  out["merchantPosId"] = order.merchant_pos_id;
  out["description"] = order.description;
  out["currencyCode"] = order.currency;
  out["totalAmount"] = std::to_string(order.total_amount + amount_delta);
  if (!order.buyer.empty()) out["buyer"] = order.buyer;
  out["payMethod"] = json::object{{"type", order.pay_method}};
  out["products"] = order.products;
  out["status"] = order.status;
  return out;
}

std::int64_t refundable(const Order& order) {
  std::int64_t left = order.total_amount;
  for (const auto& refund : order.refunds) {
    if (refund.status != "CANCELED") left -= refund.amount;
  }
  return left;
}

platform::Result<RefundAsk> parse_refund_request(std::string_view body) {
  PLATFORM_TRY(const auto root, parse_object(body));
  const auto* refund = root.if_contains("refund");
  if (refund == nullptr) return missing("refund");
  if (!refund->is_object()) return invalid("refund", "an object");
  const auto& fields = refund->as_object();
  RefundAsk ask;
  PLATFORM_TRY(ask.description, text(fields, "description", true));
  if (fields.contains("amount")) {
    PLATFORM_TRY(ask.amount, amount(fields, "amount"));
  }
  PLATFORM_TRY(ask.ext_refund_id, text(fields, "extRefundId", false));
  PLATFORM_TRY(ask.currency, text(fields, "currencyCode", false));
  return ask;
}

json::object refund_json(const Refund& refund) {
  json::object out;
  out["refundId"] = refund.refund_id;
  if (!refund.ext_refund_id.empty()) out["extRefundId"] = refund.ext_refund_id;
  out["amount"] = std::to_string(refund.amount);
  out["currencyCode"] = refund.currency;
  out["description"] = refund.description;
  out["creationDateTime"] = platform::format_rfc3339(refund.created);
  out["status"] = refund.status;
  out["statusDateTime"] = platform::format_rfc3339(refund.created);
  return out;
}

json::object status_json(std::string_view code, std::string_view description) {
  json::object status{{"statusCode", code}};
  if (code != "SUCCESS") status["severity"] = "ERROR";
  if (!description.empty()) status["statusDesc"] = description;
  return json::object{{"status", std::move(status)}};
}

}  // namespace payu_sim
