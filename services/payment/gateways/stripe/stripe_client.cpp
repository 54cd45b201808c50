#include "stripe_client.hpp"

#include <stdexcept>
#include <utility>

#include "platform/config.hpp"
#include "platform/httpclient/client.hpp"
#include "stripe_form.hpp"
#include "stripe_protocol.hpp"
#include "stripe_signature.hpp"

namespace payment::stripe {
namespace {
namespace httpclient = platform::httpclient;
using platform::Errc;
using platform::make_error;

constexpr std::int64_t kMaxTolerance = 3600;

bool succeeded(int status) {
  return status >= 200 && status < 300;
}

// Stripe's ids are [A-Za-z0-9_]; anything else in a path is refused rather than escaped.
bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

platform::Error bad_reference(std::string_view what) {
  return make_error(Errc::invalid, "stripe: " + std::string(what), "invalid_reference");
}
}  // namespace

std::vector<std::string> split_secrets(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    auto item = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

StripeCredentials StripeCredentials::from_env() {
  StripeCredentials out;
  out.secret_key = platform::config::get_string("STRIPE_SECRET_KEY", out.secret_key);
  if (out.secret_key.empty()) throw std::invalid_argument("STRIPE_SECRET_KEY is empty");
  out.webhook_secrets =
      split_secrets(platform::config::get_string("STRIPE_WEBHOOK_SECRET", "whsec_dev_secret"));
  if (out.webhook_secrets.empty()) throw std::invalid_argument("STRIPE_WEBHOOK_SECRET is empty");
  out.tolerance = std::chrono::seconds(
      platform::config::get_int("STRIPE_WEBHOOK_TOLERANCE_S", 300, 1, kMaxTolerance));
  return out;
}

StripeClient::StripeClient(httpclient::HttpClient& http, StripeCredentials credentials)
    : http_(http),
      credentials_(std::move(credentials)),
      authorization_("Bearer " + credentials_.secret_key) {}

bool StripeClient::available() {
  return http_.breaker().state() != httpclient::CircuitBreaker::State::open;
}

namespace {
httpclient::ClientRequest get_request(std::string path, const std::string& authorization) {
  httpclient::ClientRequest request;
  request.method = "GET";
  request.path_and_query = std::move(path);
  request.headers.emplace_back("Authorization", authorization);
  return request;
}

httpclient::ClientRequest post_request(std::string path, const FormFields& fields,
                                       std::string idempotency_key,
                                       const std::string& authorization) {
  httpclient::ClientRequest request;
  request.method = "POST";
  request.path_and_query = std::move(path);
  request.headers.emplace_back("Authorization", authorization);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Idempotency-Key", std::move(idempotency_key));
  request.body = form_encode(fields);
  request.idempotent = true;  // the key makes a repeat safe
  return request;
}
}  // namespace

boost::asio::awaitable<platform::Result<Registration>> StripeClient::register_payment(
    PaymentRequest request) {
  auto call = post_request("/v1/checkout/sessions", checkout_session_form(request),
                           session_idempotency_key(request.transaction_id), authorization_);
  PLATFORM_CO_TRY(const auto response, co_await http_.send(std::move(call)));
  if (!succeeded(response.status)) co_return api_error(response.status, response.body);
  co_return read_session_created(response.body);
}

platform::Result<std::optional<Notification>> StripeClient::read_webhook(
    const WebhookRequest& request, std::chrono::system_clock::time_point now) const {
  PLATFORM_CHECK(verify_signature(request.header("stripe-signature"), request.body,
                                  credentials_.webhook_secrets, now, credentials_.tolerance));
  return read_event(request.body);
}

boost::asio::awaitable<platform::Status> StripeClient::confirm(
    const Notification& /*notification*/) {
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<GatewayStatus>> StripeClient::status(AttemptRef attempt) {
  const bool by_session = !attempt.registration_reference.empty();
  const auto& id = by_session ? attempt.registration_reference : attempt.gateway_reference;
  if (!plain_id(id)) co_return bad_reference("no usable session or payment_intent id");
  auto call =
      get_request(by_session ? "/v1/checkout/sessions/" + id + "?expand%5B%5D=payment_intent"
                             : "/v1/payment_intents/" + id,
                  authorization_);
  PLATFORM_CO_TRY(const auto response, co_await http_.send(std::move(call)));
  if (!succeeded(response.status)) co_return api_error(response.status, response.body);
  co_return by_session ? read_session_status(response.body)
                       : read_payment_intent_status(response.body);
}

boost::asio::awaitable<platform::Status> StripeClient::cancel(AttemptRef attempt) {
  const auto& id = attempt.registration_reference;
  if (!plain_id(id)) co_return bad_reference("no usable session id");
  auto call = post_request("/v1/checkout/sessions/" + id + "/expire", {},
                           expire_idempotency_key(id), authorization_);
  PLATFORM_CO_TRY(const auto response, co_await http_.send(std::move(call)));
  if (succeeded(response.status)) co_return platform::Status{};
  if (response.status != 400) co_return api_error(response.status, response.body);
  // Stripe refuses to expire a session that is not open: ask which end it reached.
  auto lookup = get_request("/v1/checkout/sessions/" + id, authorization_);
  PLATFORM_CO_TRY(const auto session, co_await http_.send(std::move(lookup)));
  if (!succeeded(session.status)) co_return api_error(session.status, session.body);
  PLATFORM_CO_TRY(const auto state, read_session_state(session.body));
  if (state == "expired") co_return platform::Status{};
  if (state == "complete") {
    co_return make_error(Errc::conflict, "stripe: checkout session " + id + " is already complete",
                         "already_paid");
  }
  co_return api_error(response.status, response.body);
}

boost::asio::awaitable<platform::Result<RefundAccepted>> StripeClient::refund(
    RefundRequest request) {
  std::string intent = request.attempt.gateway_reference;
  if (intent.empty()) {
    PLATFORM_CO_TRY(const auto known, co_await status(request.attempt));
    intent = known.gateway_reference;
  }
  if (!plain_id(intent)) co_return bad_reference("no payment_intent to refund");
  auto call = post_request("/v1/refunds", refund_form(request, intent),
                           refund_idempotency_key(request.refund_id), authorization_);
  PLATFORM_CO_TRY(const auto response, co_await http_.send(std::move(call)));
  if (!succeeded(response.status)) co_return api_error(response.status, response.body);
  co_return read_refund_created(response.body);
}

}  // namespace payment::stripe
