#pragma once
// PayU REST v2.1's messages (reference: payment-gateways.md section 2) as plain functions: the
// OAuth token request and answer, the order-create body and its 302/201 answer, notifications
// (order and refund) read into payment::Notification, GET /orders/{id} read into
// payment::GatewayStatus, the refund request and answer, and the form encoding the OAuth
// endpoint and the hosted page use. No I/O: thread-safe, nothing to own or cancel.
//
// Errors: reading a notification, Errc::unauthenticated (signature, see payu_signature.hpp) then
// Errc::malformed (signed, but not the documented shape); reading an API answer,
// Errc::unavailable (5xx, 429, or a success that is not the documented shape: a gateway
// answering garbage is as good as down) and Errc::invalid (PayU refused what we sent, with its
// statusCode and statusDesc).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway.hpp"
#include "payu_signature.hpp"
#include "platform/error.hpp"

namespace payment::payu {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded: unreserved bytes as they are, space as '+', others %XX.
std::string form_encode(const FormFields& fields);
// The reverse; std::nullopt on a bad %-escape. A field without '=' has an empty value.
[[nodiscard]] std::optional<FormFields> parse_form(std::string_view body);
// The first value of `name`.
std::optional<std::string_view> form_value(const FormFields& fields, std::string_view name);

// "1000" → 1000: digits only (no sign, no spaces, no decimals), at most 18 of them.
[[nodiscard]] std::optional<std::int64_t> parse_amount(std::string_view text);

// OAuth client_credentials: POST /pl/standard/user/oauth/authorize, form-encoded.
inline constexpr std::string_view kTokenPath = "/pl/standard/user/oauth/authorize";
std::string token_request_body(std::string_view client_id, std::string_view client_secret);
struct AccessToken {
  std::string value;
  std::chrono::seconds expires_in{0};
};
[[nodiscard]] platform::Result<AccessToken> read_token_answer(int status, std::string_view body);

// POST /api/v2_1/orders. extOrderId is our transaction id; one product line with the order;
// channel "blik" → payMethod PBL "blik", "card" → PBL "c", "instalments" → PBL "ai" (PayU
// Raty); anything else lets PayU's page offer everything.
inline constexpr std::string_view kOrdersPath = "/api/v2_1/orders";
std::string order_create_body(const PaymentRequest& request, std::string_view pos_id);
// The answer: 302 (redirect flow) or 200/201 with {status.statusCode SUCCESS or WARNING_*,
// redirectUri, orderId}; `location` (the 302's header) stands in for a missing redirectUri.
[[nodiscard]] platform::Result<Registration> read_order_created(
    int status, std::string_view body, std::optional<std::string_view> location);

// An authenticated notification's body: std::nullopt for an order status we do not act on (NEW).
[[nodiscard]] platform::Result<std::optional<Notification>> read_notification(
    std::string_view body);

// GET /api/v2_1/orders/{orderId}: the first of "orders".
[[nodiscard]] platform::Result<GatewayStatus> read_order_status(int status, std::string_view body);
// The order's "status" there ("COMPLETED", ...), for cancel()'s conflict check.
[[nodiscard]] platform::Result<std::string> read_order_status_name(int status,
                                                                   std::string_view body);

// POST /api/v2_1/orders/{orderId}/refunds.
std::string refund_request_body(const RefundRequest& request);
[[nodiscard]] platform::Result<RefundAccepted> read_refund_answer(int status,
                                                                  std::string_view body);

// What a non-success API answer means for us: 5xx and 429 → Errc::unavailable; anything else →
// Errc::invalid with PayU's statusCode/statusDesc (or OAuth's error/error_description).
platform::Error answer_error(int status, std::string_view body, std::string_view what);

// PayU's order and refund status words and our states.
std::optional<GatewayState> order_state(std::string_view payu_status);
std::optional<GatewayState> refund_state(std::string_view payu_status);

}  // namespace payment::payu
