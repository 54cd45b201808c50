#include "payu_protocol.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace payment::payu {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error malformed(std::string what) {
  return make_error(Errc::malformed, "PayU notification: " + std::move(what),
                    "malformed_notification");
}

platform::Error garbled(std::string_view what, std::string_view detail) {
  return make_error(
      Errc::unavailable,
      "PayU " + std::string(what) + ": unexpected answer (" + std::string(detail) + ")",
      "payu_unavailable");
}

std::optional<json::object> parse_object(std::string_view body) {
  json::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::optional<std::string_view> string_at(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->as_string());
}

const json::object* object_at(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_object() ? &value->as_object() : nullptr;
}

// A required non-empty string of a notification.
platform::Result<std::string> required(const json::object& object, std::string_view name) {
  const auto value = string_at(object, name);
  if (!value || value->empty()) return malformed("no '" + std::string(name) + "'");
  return std::string(*value);
}

platform::Result<std::int64_t> required_amount(const json::object& object, std::string_view name) {
  PLATFORM_TRY(const auto text, required(object, name));
  const auto amount = parse_amount(text);
  if (!amount) return malformed("'" + std::string(name) + "' is not a whole number of grosze");
  return *amount;
}

platform::Result<std::string> required_currency(const json::object& object, std::string_view name) {
  PLATFORM_TRY(const auto currency, required(object, name));
  const bool upper =
      currency.size() == 3 &&
      std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!upper) return malformed("'" + std::string(name) + "' is not an ISO 4217 code");
  return currency;
}

std::string status_code_of(const json::object& root) {
  if (const auto* status = object_at(root, "status")) {
    if (auto code = string_at(*status, "statusCode")) return std::string(*code);
  }
  return {};
}

bool is_success_code(std::string_view code) {
  return code == "SUCCESS" || code.starts_with("WARNING_CONTINUE");
}

bool unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::optional<std::string_view> pay_method_value(std::string_view channel) {
  if (channel == "blik") return "blik";
  if (channel == "card") return "c";
  if (channel == "instalments") return "ai";
  return std::nullopt;
}
}  // namespace

std::string form_encode(const FormFields& fields) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  auto append = [&out, kHex](std::string_view text) {
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (unreserved(byte)) {
        out.push_back(c);
      } else if (c == ' ') {
        out.push_back('+');
      } else {
        out.push_back('%');
        out.push_back(kHex[byte >> 4U]);
        out.push_back(kHex[byte & 0x0FU]);
      }
    }
  };
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    append(name);
    out.push_back('=');
    append(value);
  }
  return out;
}

std::optional<FormFields> parse_form(std::string_view body) {
  FormFields fields;
  while (!body.empty()) {
    const auto end = body.find('&');
    const auto part = body.substr(0, end);
    if (!part.empty()) {
      const auto equals = part.find('=');
      auto name = form_decode(part.substr(0, equals));
      auto value = equals == std::string_view::npos ? std::optional<std::string>(std::string())
                                                    : form_decode(part.substr(equals + 1));
      if (!name || !value) return std::nullopt;
      fields.emplace_back(std::move(*name), std::move(*value));
    }
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return fields;
}

std::optional<std::string_view> form_value(const FormFields& fields, std::string_view name) {
  for (const auto& [field, value] : fields) {
    if (field == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_amount(std::string_view text) {
  constexpr std::size_t kMaxDigits = 18;
  if (text.empty() || text.size() > kMaxDigits) return std::nullopt;
  std::int64_t amount = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    amount = amount * 10 + (c - '0');
  }
  return amount;
}

std::string token_request_body(std::string_view client_id, std::string_view client_secret) {
  return form_encode({{"grant_type", "client_credentials"},
                      {"client_id", std::string(client_id)},
                      {"client_secret", std::string(client_secret)}});
}

platform::Result<AccessToken> read_token_answer(int status, std::string_view body) {
  if (status != 200) return answer_error(status, body, "OAuth");
  const auto root = parse_object(body);
  if (!root) return garbled("OAuth", "not a JSON object");
  const auto token = string_at(*root, "access_token");
  const auto* expires = root->if_contains("expires_in");
  if (!token || token->empty() || expires == nullptr || !expires->is_int64() ||
      expires->as_int64() <= 0) {
    return garbled("OAuth", "no access_token or expires_in");
  }
  return AccessToken{std::string(*token), std::chrono::seconds(expires->as_int64())};
}

std::string order_create_body(const PaymentRequest& request, std::string_view pos_id) {
  json::object body;
  body["notifyUrl"] = request.notify_url;
  body["continueUrl"] = request.return_url;
  body["customerIp"] = request.customer_ip;
  body["merchantPosId"] = pos_id;
  body["description"] = request.description;
  body["currencyCode"] = request.currency;
  body["totalAmount"] = std::to_string(request.amount);
  body["extOrderId"] = request.transaction_id;
  json::object buyer;
  buyer["email"] = request.email;
  if (!request.customer_name.empty()) {
    const auto space = request.customer_name.find(' ');
    buyer["firstName"] = request.customer_name.substr(0, space);
    if (space != std::string::npos) buyer["lastName"] = request.customer_name.substr(space + 1);
  }
  buyer["language"] = "pl";
  body["buyer"] = std::move(buyer);
  body["products"] = json::array{json::object{{"name", request.description},
                                              {"unitPrice", std::to_string(request.amount)},
                                              {"quantity", "1"}}};
  if (const auto value = pay_method_value(request.channel)) {
    body["payMethods"] =
        json::object{{"payMethod", json::object{{"type", "PBL"}, {"value", *value}}}};
  }
  return json::serialize(body);
}

platform::Result<Registration> read_order_created(int status, std::string_view body,
                                                  std::optional<std::string_view> location) {
  if (status != 200 && status != 201 && status != 302) {
    return answer_error(status, body, "order create");
  }
  const auto root = parse_object(body);
  if (!root) return garbled("order create", "not a JSON object");
  const auto code = status_code_of(*root);
  if (!is_success_code(code)) return answer_error(400, body, "order create");
  const auto order_id = string_at(*root, "orderId");
  if (!order_id || order_id->empty()) return garbled("order create", "no orderId");
  Registration registration;
  registration.gateway_reference = std::string(*order_id);
  if (const auto uri = string_at(*root, "redirectUri"); uri && !uri->empty()) {
    registration.redirect_url = std::string(*uri);
  } else if (location && !location->empty()) {
    registration.redirect_url = std::string(*location);
  }
  return registration;
}

std::optional<GatewayState> order_state(std::string_view payu_status) {
  if (payu_status == "NEW" || payu_status == "PENDING" ||
      payu_status == "WAITING_FOR_CONFIRMATION") {
    return GatewayState::pending;
  }
  if (payu_status == "COMPLETED") return GatewayState::succeeded;
  if (payu_status == "CANCELED") return GatewayState::failed;
  return std::nullopt;
}

std::optional<GatewayState> refund_state(std::string_view payu_status) {
  if (payu_status == "PENDING") return GatewayState::refund_pending;
  if (payu_status == "FINALIZED") return GatewayState::refund_succeeded;
  if (payu_status == "CANCELED") return GatewayState::refund_failed;
  return std::nullopt;
}

namespace {
platform::Result<std::optional<Notification>> read_order_notification(const json::object& order) {
  Notification out;
  PLATFORM_TRY(out.gateway_reference, required(order, "orderId"));
  PLATFORM_TRY(out.transaction_id, required(order, "extOrderId"));
  PLATFORM_TRY(const auto status, required(order, "status"));
  PLATFORM_TRY(out.amount, required_amount(order, "totalAmount"));
  PLATFORM_TRY(out.currency, required_currency(order, "currencyCode"));
  if (status == "NEW") return std::optional<Notification>{};
  const auto state = order_state(status);
  if (!state) return malformed("unknown order status '" + status.substr(0, 32) + "'");
  out.state = *state;
  out.event_key = out.gateway_reference + ":" + status;
  out.detail = "PayU order " + status;
  return std::optional<Notification>{std::move(out)};
}

platform::Result<std::optional<Notification>> read_refund_notification(const json::object& root,
                                                                       const json::object& refund) {
  Notification out;
  PLATFORM_TRY(out.gateway_reference, required(root, "orderId"));
  PLATFORM_TRY(out.transaction_id, required(root, "extOrderId"));
  PLATFORM_TRY(const auto refund_id, required(refund, "refundId"));
  PLATFORM_TRY(const auto status, required(refund, "status"));
  PLATFORM_TRY(out.amount, required_amount(refund, "amount"));
  PLATFORM_TRY(out.currency, required_currency(refund, "currencyCode"));
  const auto state = refund_state(status);
  if (!state) return malformed("unknown refund status '" + status.substr(0, 32) + "'");
  out.state = *state;
  out.gateway_refund_id = refund_id;
  if (const auto ours = string_at(refund, "extRefundId"); ours && !ours->empty()) {
    out.refund_id = std::string(*ours);
  }
  out.event_key = out.gateway_reference + ":" + refund_id + ":" + status;
  out.detail = "PayU refund " + status;
  if (const auto reason = string_at(refund, "reasonDescription"); reason && !reason->empty()) {
    out.detail += ": " + std::string(*reason);
  }
  return std::optional<Notification>{std::move(out)};
}
}  // namespace

platform::Result<std::optional<Notification>> read_notification(std::string_view body) {
  const auto root = parse_object(body);
  if (!root) return malformed("not a JSON object");
  if (const auto* order = object_at(*root, "order")) return read_order_notification(*order);
  if (const auto* refund = object_at(*root, "refund")) {
    return read_refund_notification(*root, *refund);
  }
  return malformed("neither 'order' nor 'refund'");
}

platform::Result<std::string> read_order_status_name(int status, std::string_view body) {
  if (status != 200) return answer_error(status, body, "order status");
  const auto root = parse_object(body);
  if (!root) return garbled("order status", "not a JSON object");
  const auto* orders = root->if_contains("orders");
  if (orders == nullptr || !orders->is_array() || orders->as_array().empty() ||
      !orders->as_array().front().is_object()) {
    return garbled("order status", "no orders");
  }
  const auto name = string_at(orders->as_array().front().as_object(), "status");
  if (!name) return garbled("order status", "no status");
  return std::string(*name);
}

platform::Result<GatewayStatus> read_order_status(int status, std::string_view body) {
  PLATFORM_TRY(const auto name, read_order_status_name(status, body));
  // read_order_status_name checked the shape up to the order.
  const auto root = parse_object(body);
  const auto& order = root->at("orders").as_array().front().as_object();
  GatewayStatus out;
  const auto state = order_state(name);
  if (!state) return garbled("order status", "unknown status " + name.substr(0, 32));
  out.state = *state;
  const auto amount = string_at(order, "totalAmount");
  const auto parsed = amount ? parse_amount(*amount) : std::nullopt;
  const auto currency = string_at(order, "currencyCode");
  const auto order_id = string_at(order, "orderId");
  if (!parsed || !currency || !order_id) {
    return garbled("order status", "no totalAmount, currencyCode or orderId");
  }
  out.amount = *parsed;
  out.currency = std::string(*currency);
  out.gateway_reference = std::string(*order_id);
  out.detail = "PayU order " + name;
  return out;
}

std::string refund_request_body(const RefundRequest& request) {
  json::object refund;
  refund["description"] = request.reason.empty() ? std::string("Zwrot") : request.reason;
  refund["amount"] = std::to_string(request.amount);
  refund["extRefundId"] = request.refund_id;
  refund["currencyCode"] = request.attempt.currency;
  return json::serialize(json::object{{"refund", std::move(refund)}});
}

platform::Result<RefundAccepted> read_refund_answer(int status, std::string_view body) {
  if (status != 200 && status != 201) return answer_error(status, body, "refund");
  const auto root = parse_object(body);
  if (!root) return garbled("refund", "not a JSON object");
  const auto code = status_code_of(*root);
  if (!code.empty() && code != "SUCCESS") return answer_error(400, body, "refund");
  const auto* refund = object_at(*root, "refund");
  if (refund == nullptr) return garbled("refund", "no refund");
  const auto refund_id = string_at(*refund, "refundId");
  if (!refund_id || refund_id->empty()) return garbled("refund", "no refundId");
  RefundAccepted out;
  out.gateway_refund_id = std::string(*refund_id);
  const auto refund_status = string_at(*refund, "status");
  const auto state = refund_status ? refund_state(*refund_status) : std::nullopt;
  out.state = state.value_or(GatewayState::refund_pending);
  return out;
}

platform::Error answer_error(int status, std::string_view body, std::string_view what) {
  const std::string prefix = "PayU " + std::string(what) + ": HTTP " + std::to_string(status);
  if (status >= 500 || status == 429) {
    return make_error(Errc::unavailable, prefix, "payu_unavailable");
  }
  std::string detail;
  if (const auto root = parse_object(body)) {
    if (const auto* payu_status = object_at(*root, "status")) {
      if (auto code = string_at(*payu_status, "statusCode")) detail = std::string(*code);
      if (auto desc = string_at(*payu_status, "statusDesc")) {
        detail += (detail.empty() ? "" : ": ") + std::string(*desc);
      }
    } else if (auto error = string_at(*root, "error")) {
      detail = std::string(*error);
      if (auto desc = string_at(*root, "error_description")) detail += ": " + std::string(*desc);
    }
  }
  return make_error(Errc::invalid, detail.empty() ? prefix : prefix + " " + detail, "payu_refused");
}

}  // namespace payment::payu
