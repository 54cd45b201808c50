#include "payu_client.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "payu_protocol.hpp"
#include "platform/config.hpp"
#include "platform/httpclient/client.hpp"

namespace payment::payu {
namespace {
namespace httpclient = platform::httpclient;
using platform::Errc;
using platform::make_error;

std::string required_env(const char* name, const std::string& fallback) {
  auto value = platform::config::get_string(name, fallback);
  if (value.empty()) throw std::invalid_argument(std::string(name) + " is empty");
  return value;
}

// PayU's order ids are alphanumeric; anything else would need escaping in the path and is not
// an id PayU gave us.
platform::Result<std::string> order_path(const AttemptRef& attempt) {
  const auto& id = attempt.gateway_reference.empty() ? attempt.registration_reference
                                                     : attempt.gateway_reference;
  const bool plain = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
  if (!plain) {
    return make_error(Errc::invalid, "PayU order id '" + id.substr(0, 64) + "' is not an order id",
                      "payu_order_id");
  }
  return std::string(kOrdersPath) + "/" + id;
}
}  // namespace

PayUCredentials PayUCredentials::from_env() {
  PayUCredentials defaults;
  PayUCredentials out;
  out.pos_id = required_env("PAYU_POS_ID", defaults.pos_id);
  out.client_id = required_env("PAYU_CLIENT_ID", defaults.client_id);
  out.client_secret = required_env("PAYU_CLIENT_SECRET", defaults.client_secret);
  out.second_key = required_env("PAYU_SECOND_KEY", defaults.second_key);
  return out;
}

PayUClient::PayUClient(httpclient::HttpClient& http, PayUCredentials credentials,
                       const platform::Clock* clock)
    : http_(http),
      credentials_(std::move(credentials)),
      clock_(clock != nullptr ? *clock : system_clock_) {}

bool PayUClient::available() {
  return http_.breaker().state() != httpclient::CircuitBreaker::State::open;
}

boost::asio::awaitable<platform::Result<std::string>> PayUClient::token(bool fresh) {
  {
    const std::lock_guard lock(token_mutex_);
    if (!fresh && !token_.empty() && clock_.now() < token_expires_) co_return token_;
  }
  httpclient::ClientRequest request;
  request.method = "POST";
  request.path_and_query = std::string(kTokenPath);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = token_request_body(credentials_.client_id, credentials_.client_secret);
  auto answer = co_await http_.send(std::move(request));
  if (!answer) co_return answer.error();
  PLATFORM_CO_TRY(auto token, read_token_answer(answer->status, answer->body));
  const auto lifetime = std::max(token.expires_in - kTokenMargin, token.expires_in / 2);
  const std::lock_guard lock(token_mutex_);
  // Another call may have fetched one meanwhile; the newest wins either way.
  token_ = token.value;
  token_expires_ = clock_.now() + lifetime;
  co_return std::move(token.value);
}

boost::asio::awaitable<platform::Result<httpclient::ClientResponse>> PayUClient::call(
    std::string method, std::string path, std::string body) {
  for (int attempt = 0;; ++attempt) {
    PLATFORM_CO_TRY(const auto bearer, co_await token(attempt > 0));
    httpclient::ClientRequest request;
    request.method = method;
    request.path_and_query = path;
    request.headers.emplace_back("Authorization", "Bearer " + bearer);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    auto answer = co_await http_.send(std::move(request));
    if (!answer) co_return answer.error();
    if (answer->status != 401 || attempt > 0) co_return std::move(*answer);
  }
}

boost::asio::awaitable<platform::Result<Registration>> PayUClient::register_payment(
    PaymentRequest request) {
  if (request.amount <= 0) {
    co_return make_error(Errc::invalid, "PayU: the amount must be positive", "invalid_amount");
  }
  // The kit's client never follows redirects: the 302's JSON body is what we read.
  PLATFORM_CO_TRY(const auto answer,
                  co_await call("POST", std::string(kOrdersPath),
                                order_create_body(request, credentials_.pos_id)));
  co_return read_order_created(answer.status, answer.body, answer.header("Location"));
}

platform::Result<std::optional<Notification>> PayUClient::read_webhook(
    const WebhookRequest& request, std::chrono::system_clock::time_point /*now*/) const {
  // PayU's notifications carry no timestamp: replays are caught by the event key.
  PLATFORM_CHECK(verify_webhook(request, credentials_.second_key));
  return read_notification(request.body);
}

boost::asio::awaitable<platform::Status> PayUClient::confirm(const Notification& /*notification*/) {
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<GatewayStatus>> PayUClient::status(AttemptRef attempt) {
  PLATFORM_CO_TRY(const auto path, order_path(attempt));
  PLATFORM_CO_TRY(const auto answer, co_await call("GET", path, {}));
  co_return read_order_status(answer.status, answer.body);
}

boost::asio::awaitable<platform::Status> PayUClient::cancel(AttemptRef attempt) {
  PLATFORM_CO_TRY(const auto path, order_path(attempt));
  PLATFORM_CO_TRY(const auto answer, co_await call("DELETE", path, {}));
  if (answer.status == 200) co_return platform::Status{};
  if (answer.status >= 500 || answer.status == 429) {
    co_return answer_error(answer.status, answer.body, "cancel");
  }
  // PayU refuses to cancel a final order; which final state it is decides what the caller does.
  PLATFORM_CO_TRY(const auto lookup, co_await call("GET", path, {}));
  PLATFORM_CO_TRY(const auto state, read_order_status_name(lookup.status, lookup.body));
  if (state == "COMPLETED") {
    co_return make_error(Errc::conflict, "PayU: the order is already paid (COMPLETED)",
                         "already_paid");
  }
  if (state == "CANCELED") co_return platform::Status{};
  co_return answer_error(answer.status, answer.body, "cancel");
}

boost::asio::awaitable<platform::Result<RefundAccepted>> PayUClient::refund(RefundRequest request) {
  if (request.amount <= 0) {
    co_return make_error(Errc::invalid, "PayU: the refund amount must be positive",
                         "invalid_amount");
  }
  PLATFORM_CO_TRY(const auto path, order_path(request.attempt));
  PLATFORM_CO_TRY(const auto answer,
                  co_await call("POST", path + "/refunds", refund_request_body(request)));
  co_return read_refund_answer(answer.status, answer.body);
}

}  // namespace payment::payu
