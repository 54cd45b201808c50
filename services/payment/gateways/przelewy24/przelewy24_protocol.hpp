#pragma once
// The Przelewy24 REST v1 protocol as plain functions (no I/O): the `sign` checksums, the request
// bodies we send, and the answers and notifications we read
// (/work/shared/reference/payment-gateways.md section 1; the simulator in tools/przelewy24_sim
// uses the same functions for the other side).
//
// sign = lowercase hex SHA-384 of a compact JSON object with exactly the documented keys in the
// documented order and the CRC key last, as PHP's json_encode(JSON_UNESCAPED_UNICODE |
// JSON_UNESCAPED_SLASHES) writes it: UTF-8 raw, `/` unescaped, `"` `\` and control characters
// escaped (U+2028 and U+2029 as \u2028 and \u2029, as PHP does without
// JSON_UNESCAPED_LINE_TERMINATORS).
//
// Everything here is pure and thread-safe. Errors are values: read_notification() answers
// Errc::unauthenticated (not JSON, no sign, a field of the sign missing or of the wrong type, a
// wrong sign, another merchant or POS) and Errc::malformed (signed, but not the documented
// shape); the readers of the API's answers answer Errc::unavailable for a body that is not the
// documented shape (a gateway answering garbage is as good as down) and Errc::invalid for a
// refusal.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway.hpp"
#include "platform/error.hpp"

namespace payment {

// The merchant's P24 account, from the panel. posId defaults to merchantId in P24.
struct Przelewy24Credentials {
  std::int64_t merchant_id = 100001;
  std::int64_t pos_id = 100001;
  std::string crc = "dev-p24-crc";          // the CRC key: signs, never sent
  std::string api_key = "dev-p24-api-key";  // the reports key: the HTTP Basic password
  int time_limit_min = 15;                  // register's timeLimit: 0 none, 1..99 minutes

  // P24_MERCHANT_ID (100001), P24_POS_ID (100001), P24_CRC (dev-p24-crc), P24_API_KEY
  // (dev-p24-api-key), P24_TIME_LIMIT_MIN (15, 0..99). Throws std::invalid_argument on a bad
  // value or an empty key.
  static Przelewy24Credentials from_env();

  // "Basic base64(posId:apiKey)".
  [[nodiscard]] std::string basic_authorization() const;
};

namespace przelewy24 {

// lowercase_hex(SHA-384(json)).
std::string sign_of(std::string_view json);

// A JSON string literal as P24 hashes it (quotes included).
std::string json_string(std::string_view text);

// The exact JSON each sign hashes (exposed for the test vectors) and the sign itself.
std::string register_sign_json(std::string_view session_id, std::int64_t merchant_id,
                               std::int64_t amount, std::string_view currency,
                               std::string_view crc);
std::string register_sign(std::string_view session_id, std::int64_t merchant_id,
                          std::int64_t amount, std::string_view currency, std::string_view crc);

std::string verify_sign_json(std::string_view session_id, std::int64_t order_id,
                             std::int64_t amount, std::string_view currency, std::string_view crc);
std::string verify_sign(std::string_view session_id, std::int64_t order_id, std::int64_t amount,
                        std::string_view currency, std::string_view crc);

// The body P24 posts to urlStatus when a payment is made (schema TransactionResult).
struct TransactionNotice {
  std::int64_t merchant_id = 0;
  std::int64_t pos_id = 0;
  std::string session_id;
  std::int64_t amount = 0;         // paid
  std::int64_t origin_amount = 0;  // registered
  std::string currency;
  std::int64_t order_id = 0;  // P24's transaction number, beyond 2^31
  std::int64_t method_id = 0;
  std::string statement;  // e.g. "p24-XXX-YYY-ZZZ"
};
std::string notification_sign_json(const TransactionNotice& notice, std::string_view crc);
std::string notification_sign(const TransactionNotice& notice, std::string_view crc);
// The notification body with `sign` (what the simulator posts).
std::string notification_body(const TransactionNotice& notice, std::string_view sign);

// The body P24 posts to a refund's urlStatus.
struct RefundNotice {
  std::int64_t order_id = 0;
  std::string session_id;
  std::int64_t merchant_id = 0;
  std::string request_id;
  std::string refunds_uuid;
  std::int64_t amount = 0;
  std::string currency;
  std::int64_t timestamp = 0;  // unix seconds
  int status = 0;              // 0 completed, 1 rejected
};
std::string refund_notification_sign_json(const RefundNotice& notice, std::string_view crc);
std::string refund_notification_sign(const RefundNotice& notice, std::string_view crc);
std::string refund_notification_body(const RefundNotice& notice, std::string_view sign);

// register's channel bits for PaymentRequest::channel: "" → std::nullopt (P24's page offers
// everything), transfer 2|4, blik 8192, card 4096|1, instalments 128; Errc::invalid otherwise.
[[nodiscard]] platform::Result<std::optional<int>> channel_bits(std::string_view channel);

// POST /api/v1/transaction/register. BLIK level 0 (blik_code set) registers with channel 8192.
// Errc::invalid for an unknown channel or a non-positive amount.
[[nodiscard]] platform::Result<std::string> register_body(const PaymentRequest& request,
                                                          const Przelewy24Credentials& credentials);
// {"data":{"token":"..."},"responseCode":0} → the token.
[[nodiscard]] platform::Result<std::string> read_register_answer(std::string_view body);

// POST /api/v1/paymentMethod/blik/chargeByCode.
std::string blik_charge_body(std::string_view token, std::string_view blik_code);

// PUT /api/v1/transaction/verify, for a payment notification read by read_notification().
// Errc::invalid when its gateway_reference is not an orderId.
[[nodiscard]] platform::Result<std::string> verify_body(const Notification& notification,
                                                        const Przelewy24Credentials& credentials);

// POST /api/v1/transaction/refund: requestId = refundsUuid = our refund_id, one refund of the
// attempt's orderId (AttemptRef::gateway_reference, Errc::invalid when it is not an orderId),
// description = the reason cut to 35 characters.
[[nodiscard]] platform::Result<std::string> refund_body(const RefundRequest& request);

// A notification to urlStatus: a payment (event_key "<orderId>:<sessionId>", succeeded,
// needs_verification) or a refund (it carries refundsUuid; event_key
// "refund:<refundsUuid>:<orderId>", refund_succeeded for status 0, refund_failed otherwise). The
// sign is checked first, in constant time, then merchantId (and posId for payments).
[[nodiscard]] platform::Result<Notification> read_notification(
    std::string_view body, const Przelewy24Credentials& credentials);

// The answer of GET /api/v1/transaction/by/sessionId/{id}: status 0 (no payment) → pending, or
// failed when the answer's `date` (YYYYMMDDhhmm, Warsaw time) plus `time_limit` (and 5 minutes
// of grace) is before `now`; 1 → succeeded, needs_verification; 2 → succeeded; 3 →
// refund_succeeded. `time_limit` zero: no limit.
[[nodiscard]] platform::Result<GatewayStatus> read_status_answer(
    std::string_view body, std::chrono::system_clock::time_point now,
    std::chrono::minutes time_limit);

// P24's own words from an error answer ({"error":"...","code":N}, or an array of refund results
// with messages), for Error messages; the raw body cut short when it is not that shape.
std::string error_message(std::string_view body);

// Whether `text` is a P24 orderId (decimal, 1..2^63-1).
[[nodiscard]] std::optional<std::int64_t> parse_order_id(std::string_view text);

}  // namespace przelewy24
}  // namespace payment
