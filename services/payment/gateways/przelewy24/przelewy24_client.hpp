#pragma once
// The Przelewy24 adapter: payment::GatewayClient over P24 REST v1 (przelewy24_protocol.hpp has
// the messages; tools/przelewy24_sim serves the same API on 8202 for local runs and tests).
//
//   register_payment  POST /api/v1/transaction/register → redirect <base>/trnRequest/{token};
//                     with a BLIK code (level 0) then POST /api/v1/paymentMethod/blik/chargeByCode
//                     and no redirect
//   read_webhook      the notification to urlStatus (payment or refund), sign first
//   confirm           PUT /api/v1/transaction/verify
//   status            GET /api/v1/transaction/by/sessionId/{transaction_id}
//   cancel            nothing: P24 has no cancel, the attempt lapses at its timeLimit
//   refund            POST /api/v1/transaction/refund
// Every call carries `Authorization: Basic base64(posId:apiKey)`.
//
// Ownership: holds a reference to `http` (and to `clock`), which must outlive it; the redirect
// base is the client's base_url. Thread-safety, cancellation and errors as in gateway.hpp:
// Errc::unavailable (breaker open, P24 down, 5xx or 429, or an answer that is not P24's shape),
// Errc::timeout, Errc::invalid (P24 refused the request: 4xx, with P24's message).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "gateway.hpp"
#include "platform/clock.hpp"
#include "przelewy24_protocol.hpp"

namespace platform::httpclient {
class HttpClient;
}

namespace payment {

class Przelewy24Client final : public GatewayClient {
 public:
  // `clock` (for the attempt's time limit in status()) defaults to the system clock.
  Przelewy24Client(platform::httpclient::HttpClient& http, Przelewy24Credentials credentials,
                   const platform::Clock* clock = nullptr);

  Gateway gateway() const override { return Gateway::przelewy24; }
  bool available() override;

  boost::asio::awaitable<platform::Result<Registration>> register_payment(
      PaymentRequest request) override;
  platform::Result<std::optional<Notification>> read_webhook(
      const WebhookRequest& request, std::chrono::system_clock::time_point now) const override;
  boost::asio::awaitable<platform::Status> confirm(const Notification& notification) override;
  boost::asio::awaitable<platform::Result<GatewayStatus>> status(AttemptRef attempt) override;
  boost::asio::awaitable<platform::Status> cancel(AttemptRef attempt) override;
  boost::asio::awaitable<platform::Result<RefundAccepted>> refund(RefundRequest request) override;

  // Where the customer pays for a registered token.
  [[nodiscard]] std::string payment_page_url(std::string_view token) const;

 private:
  struct Answer {
    int status = 0;
    std::string body;
  };
  // One call; Errc::unavailable for 5xx and 429, Errc::invalid for other non-2xx answers,
  // naming `what` and P24's message.
  boost::asio::awaitable<platform::Result<Answer>> call(std::string method, std::string path,
                                                        std::string body, std::string what);

  platform::httpclient::HttpClient& http_;
  Przelewy24Credentials credentials_;
  std::string authorization_;
  std::string page_base_;
  platform::SystemClock system_clock_;
  const platform::Clock& clock_;
};

}  // namespace payment
