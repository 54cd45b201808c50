#pragma once
// The simulator's orders and refunds as plain structs, and the PayU v2.1 JSON they are read from
// and written as (reference 2.3, 2.4, 2.6, 2.8). Pure functions, thread-safe.
//
// Errors carry PayU's statusCode as the reason: Errc::malformed "ERROR_SYNTAX" (not a JSON
// object), "ERROR_VALUE_MISSING" and "ERROR_VALUE_INVALID" naming the field; the API answers
// them as 400 with PayU's {"status": {...}} body.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.hpp"
#include "platform/error.hpp"

namespace payu_sim {

struct Refund {
  std::string refund_id;  // PayU's, e.g. "5000000001"
  std::string ext_refund_id;
  std::string description;
  std::string currency;
  std::int64_t amount = 0;
  std::string status = "PENDING";  // PENDING, FINALIZED, CANCELED
  platform::TimePoint created{};
};

struct Order {
  std::string order_id;
  std::string ext_order_id;
  std::string notify_url;
  std::string continue_url;
  std::string customer_ip;
  std::string merchant_pos_id;
  std::string description;
  std::string currency;
  std::int64_t total_amount = 0;
  boost::json::object buyer;
  boost::json::array products;
  std::string pay_method = "PBL";
  std::string status = "NEW";  // NEW, PENDING, WAITING_FOR_CONFIRMATION, COMPLETED, CANCELED
  platform::TimePoint created{};
  std::vector<Refund> refunds;
};

// An OrderCreateRequest: customerIp (not 0.0.0.0), merchantPosId (= pos_id), description,
// currencyCode, totalAmount (digits, > 0) and products (name, unitPrice, quantity) required.
[[nodiscard]] platform::Result<Order> parse_order_create(std::string_view body,
                                                         std::string_view pos_id);

// The order as GET /orders/{id} and notifications show it; `amount_delta` is added to
// totalAmount (the amount_delta fault).
boost::json::object order_json(const Order& order, std::int64_t amount_delta = 0);

// What is left to refund: the total minus refunds not CANCELED.
std::int64_t refundable(const Order& order);

struct RefundAsk {
  std::string description;
  std::optional<std::int64_t> amount;  // none: all that is left
  std::string ext_refund_id;
  std::string currency;  // empty: the order's
};
// {"refund": {"description" (required), "amount", "extRefundId", "currencyCode", ...}}.
[[nodiscard]] platform::Result<RefundAsk> parse_refund_request(std::string_view body);

boost::json::object refund_json(const Refund& refund);

// PayU's error body: {"status": {"statusCode", "severity": "ERROR", "statusDesc"}}.
boost::json::object status_json(std::string_view code, std::string_view description);

}  // namespace payu_sim
