#include "przelewy24_protocol.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "platform/config.hpp"
#include "platform/crypto.hpp"
#include "platform/json_writer.hpp"
#include "platform/polish_calendar.hpp"

namespace payment {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

constexpr std::size_t kRefundDescriptionMax = 35;  // characters
constexpr std::int64_t kMaxTimeLimit = 99;
constexpr std::chrono::minutes kTimeLimitGrace{5};

// JsonWriter escapes like PHP's json_encode except for the two Unicode line terminators, which
// PHP escapes unless JSON_UNESCAPED_LINE_TERMINATORS is given (P24 does not give it).
std::string php_line_terminators(std::string text) {
  static constexpr std::string_view kLineSeparator = "\xE2\x80\xA8";
  static constexpr std::string_view kParagraphSeparator = "\xE2\x80\xA9";
  if (text.find("\xE2\x80") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto rest = std::string_view(text).substr(i);
    if (rest.starts_with(kLineSeparator)) {
      out.append("\\u2028");
      i += 2;
    } else if (rest.starts_with(kParagraphSeparator)) {
      out.append("\\u2029");
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

platform::Error unsigned_notification(std::string message) {
  return make_error(Errc::unauthenticated, "Przelewy24 notification: " + std::move(message),
                    "bad_signature");
}

platform::Error garbled(std::string_view what) {
  return make_error(Errc::unavailable, "Przelewy24: unexpected answer (" + std::string(what) + ")",
                    "gateway_unavailable");
}

std::optional<std::int64_t> int_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return std::nullopt;
}

std::optional<std::string> string_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<json::object> parse_object(std::string_view body) {
  json::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// At most `max` UTF-8 characters of `text` (never cutting one in two).
std::string utf8_prefix(std::string_view text, std::size_t max) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0U) != 0x80U) {
      if (characters == max) return std::string(text.substr(0, i));
      ++characters;
    }
  }
  return std::string(text);
}

platform::Result<Notification> read_refund_notification(const json::object& body,
                                                        const Przelewy24Credentials& credentials,
                                                        std::string_view sign) {
  przelewy24::RefundNotice notice;
  const auto order_id = int_field(body, "orderId");
  auto session_id = string_field(body, "sessionId");
  auto refunds_uuid = string_field(body, "refundsUuid");
  const auto merchant_id = int_field(body, "merchantId");
  const auto amount = int_field(body, "amount");
  auto currency = string_field(body, "currency");
  const auto status = int_field(body, "status");
  if (!order_id || !session_id || !refunds_uuid || !merchant_id || !amount || !currency ||
      !status || *status < INT32_MIN || *status > INT32_MAX) {
    return unsigned_notification("a field of the refund sign is missing or mistyped");
  }
  notice.order_id = *order_id;
  notice.session_id = std::move(*session_id);
  notice.refunds_uuid = std::move(*refunds_uuid);
  notice.merchant_id = *merchant_id;
  notice.amount = *amount;
  notice.currency = std::move(*currency);
  notice.status = static_cast<int>(*status);
  const auto expected = przelewy24::refund_notification_sign(notice, credentials.crc);
  if (!platform::crypto::constant_time_equal(expected, sign)) {
    return unsigned_notification("wrong sign");
  }
  if (notice.merchant_id != credentials.merchant_id) {
    return unsigned_notification("another merchantId");
  }
  if (notice.amount <= 0 || notice.order_id <= 0 || notice.session_id.empty() ||
      notice.refunds_uuid.empty()) {
    return make_error(Errc::malformed, "Przelewy24 refund notification: impossible values",
                      "malformed_notification");
  }
  Notification out;
  out.event_key = "refund:" + notice.refunds_uuid + ":" + std::to_string(notice.order_id);
  out.transaction_id = notice.session_id;
  out.gateway_reference = std::to_string(notice.order_id);
  out.state = notice.status == 0 ? GatewayState::refund_succeeded : GatewayState::refund_failed;
  out.amount = notice.amount;
  out.currency = notice.currency;
  out.refund_id = notice.refunds_uuid;
  out.detail = notice.status == 0 ? "refund completed" : "refund rejected";
  return out;
}

platform::Result<Notification> read_payment_notification(const json::object& body,
                                                         const Przelewy24Credentials& credentials,
                                                         std::string_view sign) {
  przelewy24::TransactionNotice notice;
  const auto merchant_id = int_field(body, "merchantId");
  const auto pos_id = int_field(body, "posId");
  auto session_id = string_field(body, "sessionId");
  const auto amount = int_field(body, "amount");
  const auto origin_amount = int_field(body, "originAmount");
  auto currency = string_field(body, "currency");
  const auto order_id = int_field(body, "orderId");
  const auto method_id = int_field(body, "methodId");
  auto statement = string_field(body, "statement");
  if (!merchant_id || !pos_id || !session_id || !amount || !origin_amount || !currency ||
      !order_id || !method_id || !statement) {
    return unsigned_notification("a field of the sign is missing or mistyped");
  }
  notice.merchant_id = *merchant_id;
  notice.pos_id = *pos_id;
  notice.session_id = std::move(*session_id);
  notice.amount = *amount;
  notice.origin_amount = *origin_amount;
  notice.currency = std::move(*currency);
  notice.order_id = *order_id;
  notice.method_id = *method_id;
  notice.statement = std::move(*statement);
  const auto expected = przelewy24::notification_sign(notice, credentials.crc);
  if (!platform::crypto::constant_time_equal(expected, sign)) {
    return unsigned_notification("wrong sign");
  }
  if (notice.merchant_id != credentials.merchant_id || notice.pos_id != credentials.pos_id) {
    return unsigned_notification("another merchantId or posId");
  }
  if (notice.amount <= 0 || notice.order_id <= 0 || notice.session_id.empty() ||
      notice.currency.empty()) {
    return make_error(Errc::malformed, "Przelewy24 notification: impossible values",
                      "malformed_notification");
  }
  Notification out;
  out.event_key = std::to_string(notice.order_id) + ":" + notice.session_id;
  out.transaction_id = notice.session_id;
  out.gateway_reference = std::to_string(notice.order_id);
  out.state = GatewayState::succeeded;
  out.amount = notice.amount;
  out.currency = notice.currency;
  out.detail = "paid: " + notice.statement + ", methodId " + std::to_string(notice.method_id) +
               ", originAmount " + std::to_string(notice.origin_amount);
  out.needs_verification = true;
  return out;
}

// "YYYYMMDDhhmm" in Warsaw time.
std::optional<platform::TimePoint> parse_p24_date(std::string_view text) {
  if (text.size() != 12) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::string iso = std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) +
                          "-" + std::string(text.substr(6, 2));
  const auto date = platform::parse_date(iso);
  if (!date) return std::nullopt;
  const int hour = (text[8] - '0') * 10 + (text[9] - '0');
  const int minute = (text[10] - '0') * 10 + (text[11] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return platform::from_warsaw(*date, std::chrono::minutes(hour * 60 + minute));
}
}  // namespace

Przelewy24Credentials Przelewy24Credentials::from_env() {
  Przelewy24Credentials out;
  out.merchant_id = platform::config::get_int("P24_MERCHANT_ID", out.merchant_id, 1, INT32_MAX);
  out.pos_id = platform::config::get_int("P24_POS_ID", out.pos_id, 1, INT32_MAX);
  out.crc = platform::config::get_string("P24_CRC", out.crc);
  out.api_key = platform::config::get_string("P24_API_KEY", out.api_key);
  out.time_limit_min = static_cast<int>(
      platform::config::get_int("P24_TIME_LIMIT_MIN", out.time_limit_min, 0, kMaxTimeLimit));
  if (out.crc.empty()) throw std::invalid_argument("P24_CRC is empty");
  if (out.api_key.empty()) throw std::invalid_argument("P24_API_KEY is empty");
  return out;
}

std::string Przelewy24Credentials::basic_authorization() const {
  return "Basic " + platform::crypto::base64_encode(std::to_string(pos_id) + ":" + api_key);
}

namespace przelewy24 {

std::string sign_of(std::string_view json) {
  return platform::crypto::to_hex(platform::crypto::sha384(json));
}

std::string json_string(std::string_view text) {
  platform::JsonWriter out(text.size() + 8);
  out.value(text);
  return php_line_terminators(std::move(out).take());
}

std::string register_sign_json(std::string_view session_id, std::int64_t merchant_id,
                               std::int64_t amount, std::string_view currency,
                               std::string_view crc) {
  platform::JsonWriter out;
  out.begin_object()
      .key("sessionId")
      .value(session_id)
      .key("merchantId")
      .value(merchant_id)
      .key("amount")
      .value(amount)
      .key("currency")
      .value(currency)
      .key("crc")
      .value(crc)
      .end_object();
  return php_line_terminators(std::move(out).take());
}

std::string register_sign(std::string_view session_id, std::int64_t merchant_id,
                          std::int64_t amount, std::string_view currency, std::string_view crc) {
  return sign_of(register_sign_json(session_id, merchant_id, amount, currency, crc));
}

std::string verify_sign_json(std::string_view session_id, std::int64_t order_id,
                             std::int64_t amount, std::string_view currency, std::string_view crc) {
  platform::JsonWriter out;
  out.begin_object()
      .key("sessionId")
      .value(session_id)
      .key("orderId")
      .value(order_id)
      .key("amount")
      .value(amount)
      .key("currency")
      .value(currency)
      .key("crc")
      .value(crc)
      .end_object();
  return php_line_terminators(std::move(out).take());
}

std::string verify_sign(std::string_view session_id, std::int64_t order_id, std::int64_t amount,
                        std::string_view currency, std::string_view crc) {
  return sign_of(verify_sign_json(session_id, order_id, amount, currency, crc));
}

std::string notification_sign_json(const TransactionNotice& notice, std::string_view crc) {
  platform::JsonWriter out;
  out.begin_object()
      .key("merchantId")
      .value(notice.merchant_id)
      .key("posId")
      .value(notice.pos_id)
      .key("sessionId")
      .value(notice.session_id)
      .key("amount")
      .value(notice.amount)
      .key("originAmount")
      .value(notice.origin_amount)
      .key("currency")
      .value(notice.currency)
      .key("orderId")
      .value(notice.order_id)
      .key("methodId")
      .value(notice.method_id)
      .key("statement")
      .value(notice.statement)
      .key("crc")
      .value(crc)
      .end_object();
  return php_line_terminators(std::move(out).take());
}

std::string notification_sign(const TransactionNotice& notice, std::string_view crc) {
  return sign_of(notification_sign_json(notice, crc));
}

std::string notification_body(const TransactionNotice& notice, std::string_view sign) {
  platform::JsonWriter out;
  out.begin_object()
      .key("merchantId")
      .value(notice.merchant_id)
      .key("posId")
      .value(notice.pos_id)
      .key("sessionId")
      .value(notice.session_id)
      .key("amount")
      .value(notice.amount)
      .key("originAmount")
      .value(notice.origin_amount)
      .key("currency")
      .value(notice.currency)
      .key("orderId")
      .value(notice.order_id)
      .key("methodId")
      .value(notice.method_id)
      .key("statement")
      .value(notice.statement)
      .key("sign")
      .value(sign)
      .end_object();
  return std::move(out).take();
}

std::string refund_notification_sign_json(const RefundNotice& notice, std::string_view crc) {
  platform::JsonWriter out;
  out.begin_object()
      .key("orderId")
      .value(notice.order_id)
      .key("sessionId")
      .value(notice.session_id)
      .key("refundsUuid")
      .value(notice.refunds_uuid)
      .key("merchantId")
      .value(notice.merchant_id)
      .key("amount")
      .value(notice.amount)
      .key("currency")
      .value(notice.currency)
      .key("status")
      .value(std::int64_t{notice.status})
      .key("crc")
      .value(crc)
      .end_object();
  return php_line_terminators(std::move(out).take());
}

std::string refund_notification_sign(const RefundNotice& notice, std::string_view crc) {
  return sign_of(refund_notification_sign_json(notice, crc));
}

std::string refund_notification_body(const RefundNotice& notice, std::string_view sign) {
  platform::JsonWriter out;
  out.begin_object()
      .key("orderId")
      .value(notice.order_id)
      .key("sessionId")
      .value(notice.session_id)
      .key("merchantId")
      .value(notice.merchant_id)
      .key("requestId")
      .value(notice.request_id)
      .key("refundsUuid")
      .value(notice.refunds_uuid)
      .key("amount")
      .value(notice.amount)
      .key("currency")
      .value(notice.currency)
      .key("timestamp")
      .value(notice.timestamp)
      .key("status")
      .value(std::int64_t{notice.status})
      .key("sign")
      .value(sign)
      .end_object();
  return std::move(out).take();
}

platform::Result<std::optional<int>> channel_bits(std::string_view channel) {
  constexpr int kCard = 1;
  constexpr int kTransfer = 2;
  constexpr int kTraditionalTransfer = 4;
  constexpr int kInstalments = 128;
  constexpr int kCardOnly = 4096;
  constexpr int kBlik = 8192;
  if (channel.empty()) return std::optional<int>{};
  if (channel == "transfer") return std::optional<int>{kTransfer | kTraditionalTransfer};
  if (channel == "blik") return std::optional<int>{kBlik};
  if (channel == "card") return std::optional<int>{kCardOnly | kCard};
  if (channel == "instalments") return std::optional<int>{kInstalments};
  return make_error(Errc::invalid,
                    "Przelewy24 has no channel '" + std::string(channel) +
                        "' (transfer, blik, card, instalments or empty)",
                    "unknown_channel");
}

platform::Result<std::string> register_body(const PaymentRequest& request,
                                            const Przelewy24Credentials& credentials) {
  if (request.amount <= 0) {
    return make_error(Errc::invalid, "Przelewy24: the amount must be positive", "invalid_amount");
  }
  PLATFORM_TRY(auto channel, channel_bits(request.blik_code ? "blik" : request.channel));
  platform::JsonWriter out(512);
  out.begin_object()
      .key("merchantId")
      .value(credentials.merchant_id)
      .key("posId")
      .value(credentials.pos_id)
      .key("sessionId")
      .value(request.transaction_id)
      .key("amount")
      .value(request.amount)
      .key("currency")
      .value(request.currency)
      .key("description")
      .value(request.description)
      .key("email")
      .value(request.email);
  if (!request.customer_name.empty()) out.key("client").value(request.customer_name);
  out.key("country").value("PL").key("language").value("pl");
  out.key("urlReturn").value(request.return_url).key("urlStatus").value(request.notify_url);
  out.key("timeLimit").value(std::int64_t{credentials.time_limit_min});
  if (channel) out.key("channel").value(std::int64_t{*channel});
  out.key("encoding").value("UTF-8");
  out.key("sign").value(register_sign(request.transaction_id, credentials.merchant_id,
                                      request.amount, request.currency, credentials.crc));
  out.end_object();
  return std::move(out).take();
}

platform::Result<std::string> read_register_answer(std::string_view body) {
  const auto object = parse_object(body);
  if (!object) return garbled("register: not a JSON object");
  const auto* data = object->if_contains("data");
  if (data == nullptr || !data->is_object()) return garbled("register: no data");
  auto token = string_field(data->as_object(), "token");
  if (!token || token->empty()) return garbled("register: no token");
  return std::move(*token);
}

std::string blik_charge_body(std::string_view token, std::string_view blik_code) {
  platform::JsonWriter out;
  out.begin_object().key("token").value(token).key("blikCode").value(blik_code).end_object();
  return std::move(out).take();
}

platform::Result<std::string> verify_body(const Notification& notification,
                                          const Przelewy24Credentials& credentials) {
  const auto order_id = parse_order_id(notification.gateway_reference);
  if (!order_id) {
    return make_error(
        Errc::invalid,
        "Przelewy24 verify: '" + notification.gateway_reference + "' is not an orderId",
        "invalid_reference");
  }
  platform::JsonWriter out;
  out.begin_object()
      .key("merchantId")
      .value(credentials.merchant_id)
      .key("posId")
      .value(credentials.pos_id)
      .key("sessionId")
      .value(notification.transaction_id)
      .key("amount")
      .value(notification.amount)
      .key("currency")
      .value(notification.currency)
      .key("orderId")
      .value(*order_id)
      .key("sign")
      .value(verify_sign(notification.transaction_id, *order_id, notification.amount,
                         notification.currency, credentials.crc))
      .end_object();
  return std::move(out).take();
}

platform::Result<std::string> refund_body(const RefundRequest& request) {
  const auto order_id = parse_order_id(request.attempt.gateway_reference);
  if (!order_id) {
    return make_error(Errc::invalid,
                      "Przelewy24 refund: the attempt has no orderId ('" +
                          request.attempt.gateway_reference + "')",
                      "invalid_reference");
  }
  if (request.amount <= 0) {
    return make_error(Errc::invalid, "Przelewy24 refund: the amount must be positive",
                      "invalid_amount");
  }
  platform::JsonWriter out(512);
  out.begin_object()
      .key("requestId")
      .value(request.refund_id)
      .key("refundsUuid")
      .value(request.refund_id);
  if (!request.notify_url.empty()) out.key("urlStatus").value(request.notify_url);
  out.key("refunds")
      .begin_array()
      .begin_object()
      .key("orderId")
      .value(*order_id)
      .key("sessionId")
      .value(request.attempt.transaction_id)
      .key("amount")
      .value(request.amount)
      .key("description")
      .value(utf8_prefix(request.reason, kRefundDescriptionMax))
      .end_object()
      .end_array()
      .end_object();
  return std::move(out).take();
}

platform::Result<Notification> read_notification(std::string_view body,
                                                 const Przelewy24Credentials& credentials) {
  const auto object = parse_object(body);
  if (!object) return unsigned_notification("not a JSON object");
  const auto sign = string_field(*object, "sign");
  if (!sign || sign->empty()) return unsigned_notification("no sign");
  if (object->contains("refundsUuid")) {
    return read_refund_notification(*object, credentials, *sign);
  }
  return read_payment_notification(*object, credentials, *sign);
}

platform::Result<GatewayStatus> read_status_answer(std::string_view body,
                                                   std::chrono::system_clock::time_point now,
                                                   std::chrono::minutes time_limit) {
  const auto object = parse_object(body);
  if (!object) return garbled("status: not a JSON object");
  const auto* data_value = object->if_contains("data");
  if (data_value == nullptr || !data_value->is_object()) return garbled("status: no data");
  const auto& data = data_value->as_object();
  const auto status = int_field(data, "status");
  if (!status) return garbled("status: no status");
  GatewayStatus out;
  out.amount = int_field(data, "amount").value_or(0);
  out.currency = string_field(data, "currency").value_or("");
  if (const auto order_id = int_field(data, "orderId"); order_id && *order_id > 0) {
    out.gateway_reference = std::to_string(*order_id);
  }
  switch (*status) {
    case 0: {
      out.state = GatewayState::pending;
      out.detail = "no payment";
      const auto date = string_field(data, "date");
      const auto registered = date ? parse_p24_date(*date) : std::nullopt;
      if (registered && time_limit.count() > 0 &&
          *registered + time_limit + kTimeLimitGrace < now) {
        out.state = GatewayState::failed;
        out.detail = "no payment within the time limit";
      }
      break;
    }
    case 1:
      out.state = GatewayState::succeeded;
      out.needs_verification = true;
      out.detail = "paid, not verified";
      break;
    case 2:
      out.state = GatewayState::succeeded;
      out.detail = "paid and verified";
      break;
    case 3:
      out.state = GatewayState::refund_succeeded;
      out.detail = "payment returned";
      break;
    default:
      return garbled("status: unknown status " + std::to_string(*status));
  }
  return out;
}

std::string error_message(std::string_view body) {
  constexpr std::size_t kMax = 200;
  const auto object = parse_object(body);
  if (object) {
    const auto* error = object->if_contains("error");
    if (error != nullptr && error->is_string()) return std::string(error->as_string());
    if (error != nullptr && error->is_array()) {
      std::string out;
      for (const auto& item : error->as_array()) {
        if (!item.is_object()) continue;
        if (auto message = string_field(item.as_object(), "message")) {
          if (!out.empty()) out += "; ";
          out += *message;
        }
      }
      if (!out.empty()) return out;
    }
  }
  return utf8_prefix(body, kMax);
}

std::optional<std::int64_t> parse_order_id(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace przelewy24
}  // namespace payment
