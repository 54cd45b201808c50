#pragma once
// The Stripe adapter: payment::GatewayClient over Checkout Sessions (stripe_protocol.hpp holds
// the messages). Each call is one request through the kit's HTTP client and its circuit
// breaker, with `Authorization: Bearer <secret key>`; every POST carries an Idempotency-Key
// derived from our ids (the same key and byte-identical parameters on a retry), so the kit
// client may retry it.
//
//   register_payment  POST /v1/checkout/sessions → the session id, redirect to its url
//   confirm           nothing to do (Status{})
//   status            GET /v1/checkout/sessions/{id}?expand[]=payment_intent, or
//                     GET /v1/payment_intents/{id} when only the PaymentIntent is known
//   cancel            POST /v1/checkout/sessions/{id}/expire; an already expired session is a
//                     success, a completed one Errc::conflict (the caller refunds it)
//   refund            POST /v1/refunds (payment_intent from the attempt, or read from status)
//   read_webhook      Stripe-Signature against every configured secret, then the event
//
// Ownership, thread-safety, cancellation and errors: as gateway.hpp says. The client keeps no
// state of its own besides its configuration.
#include <chrono>
#include <string>
#include <vector>

#include "gateway.hpp"

namespace platform::httpclient {
class HttpClient;
}

namespace payment::stripe {

struct StripeCredentials {
  std::string secret_key = "sk_test_dev";
  // The first signs nothing here; any of them verifies (several during a rotation).
  std::vector<std::string> webhook_secrets{"whsec_dev_secret"};
  std::chrono::seconds tolerance{300};

  // STRIPE_SECRET_KEY (sk_test_dev), STRIPE_WEBHOOK_SECRET (whsec_dev_secret; a comma-separated
  // list during a rotation), STRIPE_WEBHOOK_TOLERANCE_S (300, 1..3600). Throws
  // std::invalid_argument on an empty key or secret, or a bad tolerance.
  static StripeCredentials from_env();
};

// "a,b, c" → {"a", "b", "c"}; empty items dropped.
std::vector<std::string> split_secrets(std::string_view list);

class StripeClient final : public GatewayClient {
 public:
  // `http` (its base URL: https://api.stripe.com, or the simulator) must outlive this.
  StripeClient(platform::httpclient::HttpClient& http, StripeCredentials credentials);

  [[nodiscard]] Gateway gateway() const override { return Gateway::stripe; }
  bool available() override;
  boost::asio::awaitable<platform::Result<Registration>> register_payment(
      PaymentRequest request) override;
  [[nodiscard]] platform::Result<std::optional<Notification>> read_webhook(
      const WebhookRequest& request, std::chrono::system_clock::time_point now) const override;
  boost::asio::awaitable<platform::Status> confirm(const Notification& notification) override;
  boost::asio::awaitable<platform::Result<GatewayStatus>> status(AttemptRef attempt) override;
  boost::asio::awaitable<platform::Status> cancel(AttemptRef attempt) override;
  boost::asio::awaitable<platform::Result<RefundAccepted>> refund(RefundRequest request) override;

 private:
  platform::httpclient::HttpClient& http_;
  StripeCredentials credentials_;
  std::string authorization_;
};

}  // namespace payment::stripe
