#pragma once
// The PayU adapter (REST v2.1, reference: payment-gateways.md section 2): a GatewayClient over the
// kit's HTTP client. OAuth client_credentials token, cached until shortly before it expires and
// fetched again once when PayU answers 401; orders (POST, GET, DELETE) and refunds under
// /api/v2_1; notifications verified with the POS's second key (payu_signature.hpp) and read by
// payu_protocol.hpp. Our simulator (tools/payu_sim) serves the same API on 8203.
//
// Ownership: holds a reference to its HttpClient, which must outlive it. Thread-safety: every
// member may be called concurrently from the threads running the client's io_context (the token
// cache has its own mutex, never held across a co_await; two calls that find no token may both
// fetch one, and the later wins). Cancellation and errors as in gateway.hpp; 401 that persists
// after a fresh token → Errc::invalid (our credentials are wrong).
#include <chrono>
#include <mutex>
#include <string>

#include "gateway.hpp"
#include "platform/clock.hpp"

namespace platform::httpclient {
class HttpClient;
struct ClientRequest;
struct ClientResponse;
}  // namespace platform::httpclient

namespace payment::payu {

struct PayUCredentials {
  std::string pos_id = "300746";
  std::string client_id = "300746";
  std::string client_secret = "dev-payu-client-secret";
  std::string second_key = "dev-payu-second-key";  // "second key (MD5)": signs notifications

  // PAYU_POS_ID, PAYU_CLIENT_ID, PAYU_CLIENT_SECRET, PAYU_SECOND_KEY, each defaulting to the
  // values above. Throws std::invalid_argument when one is set but empty.
  static PayUCredentials from_env();
};

class PayUClient final : public GatewayClient {
 public:
  // `http` (base URL: PayU's host, e.g. http://127.0.0.1:8203) and `clock` (the token's expiry;
  // nullptr = the system clock) must outlive this.
  PayUClient(platform::httpclient::HttpClient& http, PayUCredentials credentials,
             const platform::Clock* clock = nullptr);

  [[nodiscard]] Gateway gateway() const override { return Gateway::payu; }
  bool available() override;

  boost::asio::awaitable<platform::Result<Registration>> register_payment(
      PaymentRequest request) override;
  [[nodiscard]] platform::Result<std::optional<Notification>> read_webhook(
      const WebhookRequest& request, std::chrono::system_clock::time_point now) const override;
  boost::asio::awaitable<platform::Status> confirm(const Notification& notification) override;
  boost::asio::awaitable<platform::Result<GatewayStatus>> status(AttemptRef attempt) override;
  boost::asio::awaitable<platform::Status> cancel(AttemptRef attempt) override;
  boost::asio::awaitable<platform::Result<RefundAccepted>> refund(RefundRequest request) override;

  // A token is dropped this long before PayU says it expires.
  static constexpr std::chrono::seconds kTokenMargin{60};

 private:
  // A bearer token: the cached one, or a fresh one from the OAuth endpoint.
  boost::asio::awaitable<platform::Result<std::string>> token(bool fresh);
  // Sends an /api request with the bearer token; on 401 once more with a fresh token.
  boost::asio::awaitable<platform::Result<platform::httpclient::ClientResponse>> call(
      std::string method, std::string path, std::string body);

  platform::httpclient::HttpClient& http_;
  const PayUCredentials credentials_;
  const platform::SystemClock system_clock_;
  const platform::Clock& clock_;

  std::mutex token_mutex_;
  std::string token_;
  platform::TimePoint token_expires_{};
};

}  // namespace payment::payu
