#pragma once
// Stripe's messages as the adapter sends and reads them (payment-gateways.md section 3): the
// Checkout Session and refund bodies, the answers, the events. Pure functions over plain
// structs, thread-safe; no I/O.
//
// Event mapping (read_event). The event id is the Notification's event_key:
//   checkout.session.completed         payment_status paid → succeeded (amount_total);
//                                      unpaid (a delayed method still processing) → pending
//   checkout.session.async_payment_succeeded → succeeded
//   checkout.session.async_payment_failed, checkout.session.expired → failed
//   payment_intent.succeeded           → succeeded (amount_received)
//   payment_intent.payment_failed      → pending, with Stripe's message as detail: on a Checkout
//                                        page the customer may try again; the attempt ends for
//                                        good with checkout.session.expired (or async_failed)
//   refund.created|updated|failed, charge.refund.updated (a refund object)
//                                      succeeded → refund_succeeded, pending|requires_action →
//                                      refund_pending, failed|canceled → refund_failed
//   anything else (charge.refunded, payment_intent.created, ...) → std::nullopt
// The transaction id comes from client_reference_id or metadata[transaction_id]; the gateway
// reference is the PaymentIntent id. Errc::malformed when a followed event lacks what it needs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway.hpp"
#include "platform/error.hpp"
#include "stripe_form.hpp"

namespace payment::stripe {

inline constexpr std::string_view kApiVersion = "2024-06-20";

// POST /v1/checkout/sessions: mode=payment, one line (price_data in the request's currency,
// lowercased), success_url and cancel_url = return_url, client_reference_id and
// metadata[transaction_id] = our transaction id, metadata[order_id],
// payment_intent_data[metadata][transaction_id], customer_email, payment_method_types[] from the
// channel ("card" → card; "" → card, p24, blik; "blik" → blik; "transfer" → p24).
FormFields checkout_session_form(const PaymentRequest& request);

// POST /v1/refunds: payment_intent, amount, reason=requested_by_customer, metadata[refund_id],
// metadata[transaction_id].
FormFields refund_form(const RefundRequest& request, std::string_view payment_intent);

// The Idempotency-Key of each POST, derived from our ids so that a retry reuses it.
std::string session_idempotency_key(std::string_view transaction_id);
std::string expire_idempotency_key(std::string_view session_id);
std::string refund_idempotency_key(std::string_view refund_id);

// A created Checkout Session: its id (cs_...) and url. Errc::unavailable when the answer is not
// that shape (a gateway answering garbage is as good as down).
[[nodiscard]] platform::Result<Registration> read_session_created(std::string_view body);

// A Checkout Session (its payment_intent expanded or an id) or a PaymentIntent, as a status.
// Errc::unavailable when not the documented shape.
[[nodiscard]] platform::Result<GatewayStatus> read_session_status(std::string_view body);
[[nodiscard]] platform::Result<GatewayStatus> read_payment_intent_status(std::string_view body);
// The session's "status" (open, complete, expired); Errc::unavailable when absent.
[[nodiscard]] platform::Result<std::string> read_session_state(std::string_view body);

// A created refund. Errc::unavailable when not the documented shape.
[[nodiscard]] platform::Result<RefundAccepted> read_refund_created(std::string_view body);

// A verified event's body (see the mapping above).
[[nodiscard]] platform::Result<std::optional<Notification>> read_event(std::string_view body);

// An error answer from the API as our error: 400/402/404 → Errc::invalid with Stripe's message;
// 401/403 (our key refused), 409 (a concurrent request with the same key), 429 and 5xx →
// Errc::unavailable.
platform::Error api_error(int status, std::string_view body);

}  // namespace payment::stripe
