#pragma once
// The payment gateways (Przelewy24, PayU, Stripe) as the Payment service sees them: one
// interface, one adapter per gateway (gateways/<gateway>/), so the use cases never know a
// protocol. Reading a webhook is pure (signature first, on the raw body, in constant time, then
// the body); everything else is a call through the kit's HTTP client and its circuit breaker.
//
// Ownership: an adapter holds a reference to its platform::httpclient::HttpClient, which must
// outlive it. Thread-safety: every member may be called concurrently from the threads running
// the client's io_context; read_webhook() from any thread. Cancellation: cancelling an awaiting
// coroutine aborts the call (Errc::unavailable) and leaves the gateway in whatever state the
// call reached: the caller keeps its own record and reconciles through status().
//
// Errors: Errc::unavailable (breaker open, gateway down or 5xx), Errc::timeout, Errc::invalid
// (the gateway refused what we sent: a bug or a business refusal, with its message),
// Errc::unauthenticated (read_webhook: no, malformed or wrong signature, stale timestamp),
// Errc::malformed (read_webhook: signed, but not the documented shape).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/error.hpp"

namespace payment {

enum class Gateway { przelewy24, payu, stripe };

// "przelewy24", "payu", "stripe": the names in events, URLs and configuration.
std::string_view gateway_name(Gateway gateway);
std::optional<Gateway> gateway_from_name(std::string_view name);

// One payment attempt to register. Our transaction id is the gateway's merchant reference
// (P24 sessionId, PayU extOrderId, Stripe client_reference_id and metadata[transaction_id]), so
// every notification names the attempt it belongs to.
struct PaymentRequest {
  std::string transaction_id;  // ours: [A-Za-z0-9_-]{1,64}, unique per attempt
  std::string order_id;
  std::int64_t amount = 0;  // grosze, > 0
  std::string currency = "PLN";
  std::string description;  // e.g. "Zamówienie ORD-2026-000123" (UTF-8)
  std::string email;
  std::string customer_name;  // may be empty
  std::string customer_ip = "127.0.0.1";
  // The channel inside the gateway the customer picked: "" (the gateway's own page offers
  // everything), "transfer", "blik", "card", "instalments".
  std::string channel;
  // BLIK entered on the shop's own page (P24 "level 0"): six digits; no redirect then.
  std::optional<std::string> blik_code;
  std::string return_url;  // where the customer's browser comes back
  std::string notify_url;  // our webhook for this gateway (P24 urlStatus, PayU notifyUrl)
};

struct Registration {
  // The gateway's id for the attempt: P24 token, PayU orderId, Stripe Checkout Session id.
  std::string gateway_reference;
  std::optional<std::string> redirect_url;  // none for BLIK level 0
};

// What an authenticated notification (or a status query) says about an attempt or a refund.
enum class GatewayState {
  pending,           // the customer is paying / the gateway is processing
  succeeded,         // paid (for P24: paid, and verify() still has to confirm it)
  failed,            // declined, cancelled, expired, abandoned
  refund_pending,    // a refund accepted, not yet final
  refund_succeeded,  // a refund done
  refund_failed,     // a refund refused or cancelled by the gateway
};
std::string_view gateway_state_name(GatewayState state);

struct Notification {
  // The gateway event's identity, unique per gateway: applied once (a UNIQUE constraint).
  // Stripe: the event id; PayU: "<orderId>:<status>" or "<orderId>:<refundId>:<status>";
  // P24: "<orderId>:<sessionId>" or "refund:<refundsUuid>:<orderId>".
  std::string event_key;
  std::string transaction_id;     // ours, as the gateway echoed it
  std::string gateway_reference;  // P24 orderId (int64 as text), PayU orderId, Stripe PI id
  GatewayState state = GatewayState::pending;
  std::int64_t amount = 0;  // grosze, as notified (P24 `amount`, PayU totalAmount, Stripe
                            // amount_received / amount_total / the refund's amount)
  std::string currency;     // upper case, "PLN"
  std::optional<std::string> refund_id;          // ours, when the gateway echoes it
  std::optional<std::string> gateway_refund_id;  // the gateway's refund id
  std::string detail;  // the gateway's own words, for logs and PaymentFailed.reason
  // P24 only: the payment is final only after verify() (PUT /transaction/verify).
  bool needs_verification = false;
};

// A gateway's answer to "what is the state of this attempt?" (reconciliation).
struct GatewayStatus {
  GatewayState state = GatewayState::pending;
  std::int64_t amount = 0;
  std::string currency;
  std::string gateway_reference;  // as in Notification (P24: the orderId once paid)
  bool needs_verification = false;
  std::string detail;
};

// What the service knows of an attempt when it asks the gateway about it.
struct AttemptRef {
  std::string transaction_id;
  std::string registration_reference;  // Registration::gateway_reference
  std::string gateway_reference;       // from a notification or status (may be empty)
  std::int64_t amount = 0;
  std::string currency = "PLN";
};

struct RefundRequest {
  AttemptRef attempt;
  std::string refund_id;    // ours, a UUID: P24 requestId/refundsUuid, PayU extRefundId, Stripe
                            // metadata[refund_id] and the Idempotency-Key
  std::int64_t amount = 0;  // grosze, > 0, at most what is left to refund
  std::string reason;       // e.g. "Zwrot towaru"
  std::string notify_url;   // our webhook (P24 urlStatus of the refund)
};

struct RefundAccepted {
  std::optional<std::string> gateway_refund_id;
  GatewayState state = GatewayState::refund_pending;  // or refund_succeeded when immediate
};

// A webhook as received: lowercase header names, the raw body bytes.
struct WebhookRequest {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  [[nodiscard]] std::optional<std::string_view> header(std::string_view lowercase_name) const;
};

class GatewayClient {
 public:
  GatewayClient() = default;
  virtual ~GatewayClient() = default;
  GatewayClient(const GatewayClient&) = delete;
  GatewayClient& operator=(const GatewayClient&) = delete;
  GatewayClient(GatewayClient&&) = delete;
  GatewayClient& operator=(GatewayClient&&) = delete;

  [[nodiscard]] virtual Gateway gateway() const = 0;

  // False while the gateway's circuit breaker is open: its methods are not offered.
  virtual bool available() = 0;

  virtual boost::asio::awaitable<platform::Result<Registration>> register_payment(
      PaymentRequest request) = 0;

  // Authenticates and reads a notification. std::nullopt: authentic, but nothing we act on
  // (e.g. a Stripe event type we do not follow): answer 200 and change nothing.
  [[nodiscard]] virtual platform::Result<std::optional<Notification>> read_webhook(
      const WebhookRequest& request, std::chrono::system_clock::time_point now) const = 0;

  // Confirms a paid attempt where the gateway asks for it (P24 verify); a no-op elsewhere.
  virtual boost::asio::awaitable<platform::Status> confirm(const Notification& notification) = 0;

  virtual boost::asio::awaitable<platform::Result<GatewayStatus>> status(AttemptRef attempt) = 0;

  // Stops an attempt the customer may still pay (another attempt replaced it). Errc::conflict
  // when the gateway cannot cancel it any more (already paid: the caller refunds it).
  // Przelewy24 has no cancel: Status{} and the attempt lapses at its timeLimit.
  virtual boost::asio::awaitable<platform::Status> cancel(AttemptRef attempt) = 0;

  virtual boost::asio::awaitable<platform::Result<RefundAccepted>> refund(
      RefundRequest request) = 0;
};

}  // namespace payment
