#include "przelewy24_client.hpp"

#include <utility>

#include "platform/httpclient/client.hpp"

namespace payment {
namespace {
using platform::Errc;
using platform::make_error;

constexpr int kNotFound = 404;
constexpr int kTooManyRequests = 429;
constexpr int kServerError = 500;

std::string trim_trailing_slash(std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

// Our transaction ids are [A-Za-z0-9_-]; anything else is percent-encoded all the same.
std::string path_segment(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                       (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex.at(byte >> 4U));
      out.push_back(kHex.at(byte & 0xFU));
    }
  }
  return out;
}

bool success(int status) {
  return status >= 200 && status < 300;
}

platform::Error refused(int status, std::string_view body, std::string_view what) {
  return make_error(Errc::invalid,
                    "Przelewy24 " + std::string(what) + " refused (" + std::to_string(status) +
                        "): " + przelewy24::error_message(body),
                    "gateway_refused");
}
}  // namespace

Przelewy24Client::Przelewy24Client(platform::httpclient::HttpClient& http,
                                   Przelewy24Credentials credentials, const platform::Clock* clock)
    : http_(http),
      credentials_(std::move(credentials)),
      authorization_(credentials_.basic_authorization()),
      page_base_(trim_trailing_slash(http.config().base_url)),
      clock_(clock != nullptr ? *clock : system_clock_) {}

bool Przelewy24Client::available() {
  return http_.breaker().state() != platform::httpclient::CircuitBreaker::State::open;
}

std::string Przelewy24Client::payment_page_url(std::string_view token) const {
  return page_base_ + "/trnRequest/" + path_segment(token);
}

boost::asio::awaitable<platform::Result<Przelewy24Client::Answer>> Przelewy24Client::call(
    std::string method, std::string path, std::string body, std::string what) {
  platform::httpclient::ClientRequest request;
  request.method = std::move(method);
  request.path_and_query = std::move(path);
  request.headers.emplace_back("Authorization", authorization_);
  request.headers.emplace_back("Accept", "application/json");
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  PLATFORM_CO_TRY(auto response, co_await http_.send(std::move(request)));
  if (response.status >= kServerError || response.status == kTooManyRequests) {
    co_return make_error(Errc::unavailable,
                         "Przelewy24 " + what + " answered " + std::to_string(response.status),
                         "gateway_unavailable");
  }
  co_return Answer{response.status, std::move(response.body)};
}

boost::asio::awaitable<platform::Result<Registration>> Przelewy24Client::register_payment(
    PaymentRequest request) {
  PLATFORM_CO_TRY(auto body, przelewy24::register_body(request, credentials_));
  PLATFORM_CO_TRY(auto answer, co_await call("POST", "/api/v1/transaction/register",
                                             std::move(body), "register"));
  if (!success(answer.status)) co_return refused(answer.status, answer.body, "register");
  PLATFORM_CO_TRY(auto token, przelewy24::read_register_answer(answer.body));
  Registration registration;
  registration.gateway_reference = token;
  if (!request.blik_code) {
    registration.redirect_url = payment_page_url(token);
    co_return registration;
  }
  PLATFORM_CO_TRY(
      auto charged,
      co_await call("POST", "/api/v1/paymentMethod/blik/chargeByCode",
                    przelewy24::blik_charge_body(token, *request.blik_code), "BLIK chargeByCode"));
  if (!success(charged.status)) {
    co_return refused(charged.status, charged.body, "BLIK chargeByCode");
  }
  co_return registration;
}

platform::Result<std::optional<Notification>> Przelewy24Client::read_webhook(
    const WebhookRequest& request, std::chrono::system_clock::time_point /*now*/) const {
  // P24's bodies carry no timestamp: replays are stopped by the event key and by verify.
  PLATFORM_TRY(auto notification, przelewy24::read_notification(request.body, credentials_));
  return std::optional<Notification>(std::move(notification));
}

boost::asio::awaitable<platform::Status> Przelewy24Client::confirm(
    const Notification& notification) {
  if (!notification.needs_verification) co_return platform::Status{};
  PLATFORM_CO_TRY(auto body, przelewy24::verify_body(notification, credentials_));
  PLATFORM_CO_TRY(auto answer,
                  co_await call("PUT", "/api/v1/transaction/verify", std::move(body), "verify"));
  if (!success(answer.status)) co_return refused(answer.status, answer.body, "verify");
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<GatewayStatus>> Przelewy24Client::status(
    AttemptRef attempt) {
  PLATFORM_CO_TRY(auto answer, co_await call("GET",
                                             "/api/v1/transaction/by/sessionId/" +
                                                 path_segment(attempt.transaction_id),
                                             {}, "status"));
  if (answer.status == kNotFound) {
    // Not known (yet): never a reason to fail an attempt that may still be paid.
    GatewayStatus unknown;
    unknown.state = GatewayState::pending;
    unknown.amount = attempt.amount;
    unknown.currency = attempt.currency;
    unknown.gateway_reference = attempt.gateway_reference;
    unknown.detail = "Przelewy24 does not know this sessionId";
    co_return unknown;
  }
  if (!success(answer.status)) co_return refused(answer.status, answer.body, "status");
  co_return przelewy24::read_status_answer(answer.body, clock_.now(),
                                           std::chrono::minutes(credentials_.time_limit_min));
}

boost::asio::awaitable<platform::Status> Przelewy24Client::cancel(AttemptRef /*attempt*/) {
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<RefundAccepted>> Przelewy24Client::refund(
    RefundRequest request) {
  PLATFORM_CO_TRY(auto body, przelewy24::refund_body(request));
  PLATFORM_CO_TRY(auto answer,
                  co_await call("POST", "/api/v1/transaction/refund", std::move(body), "refund"));
  if (!success(answer.status)) co_return refused(answer.status, answer.body, "refund");
  // 201: accepted; the result comes in the refund notification.
  co_return RefundAccepted{std::nullopt, GatewayState::refund_pending};
}

}  // namespace payment
