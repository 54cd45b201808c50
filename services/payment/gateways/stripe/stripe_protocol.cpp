#include "stripe_protocol.hpp"

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <utility>

namespace payment::stripe {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

platform::Error garbled(std::string_view what) {
  return make_error(Errc::unavailable, "stripe: unexpected answer (" + std::string(what) + ")",
                    "stripe_unavailable");
}

platform::Error malformed(std::string_view what) {
  return make_error(Errc::malformed, "stripe event: " + std::string(what), "malformed_event");
}

std::optional<json::object> parse_object(std::string_view body) {
  json::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string text(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->as_string());
}

std::optional<std::int64_t> integer(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_int64()) return std::nullopt;
  return value->as_int64();
}

std::string metadata(const json::object& object, std::string_view name) {
  const auto* meta = object.if_contains("metadata");
  if (meta == nullptr || !meta->is_object()) return {};
  return text(meta->as_object(), name);
}

// The PaymentIntent of a session: an id, or the object when expanded.
std::string payment_intent_id(const json::object& object) {
  const auto* value = object.if_contains("payment_intent");
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_object()) return text(value->as_object(), "id");
  return {};
}

std::string last_error_message(const json::object& intent) {
  const auto* error = intent.if_contains("last_payment_error");
  if (error == nullptr || !error->is_object()) return {};
  auto message = text(error->as_object(), "message");
  const auto code = text(error->as_object(), "decline_code").empty()
                        ? text(error->as_object(), "code")
                        : text(error->as_object(), "decline_code");
  if (!code.empty()) message += message.empty() ? code : " (" + code + ")";
  return message;
}

std::optional<GatewayState> refund_state(std::string_view status) {
  if (status == "succeeded") return GatewayState::refund_succeeded;
  if (status == "pending" || status == "requires_action") return GatewayState::refund_pending;
  if (status == "failed" || status == "canceled") return GatewayState::refund_failed;
  return std::nullopt;
}

GatewayStatus intent_status(const json::object& intent) {
  GatewayStatus status;
  status.gateway_reference = text(intent, "id");
  status.currency = upper(text(intent, "currency"));
  const auto state = text(intent, "status");
  status.detail = "payment_intent " + state;
  if (state == "succeeded") {
    status.state = GatewayState::succeeded;
    status.amount = integer(intent, "amount_received").value_or(0);
  } else {
    status.state = state == "canceled" ? GatewayState::failed : GatewayState::pending;
    status.amount = integer(intent, "amount").value_or(0);
    if (const auto message = last_error_message(intent); !message.empty()) {
      status.detail += ": " + message;
    }
  }
  return status;
}

platform::Result<Notification> session_notification(const json::object& session,
                                                    GatewayState state) {
  Notification out;
  out.transaction_id = text(session, "client_reference_id");
  if (out.transaction_id.empty()) out.transaction_id = metadata(session, "transaction_id");
  if (out.transaction_id.empty()) return malformed("a session without client_reference_id");
  out.gateway_reference = payment_intent_id(session);
  const auto amount = integer(session, "amount_total");
  if (!amount) return malformed("a session without amount_total");
  out.amount = *amount;
  out.currency = upper(text(session, "currency"));
  out.state = state;
  out.detail = "checkout.session " + text(session, "status") + ", payment_status " +
               text(session, "payment_status");
  return out;
}

platform::Result<Notification> intent_notification(const json::object& intent, bool succeeded) {
  Notification out;
  out.transaction_id = metadata(intent, "transaction_id");
  if (out.transaction_id.empty()) {
    return malformed("a payment_intent without metadata.transaction_id");
  }
  out.gateway_reference = text(intent, "id");
  out.currency = upper(text(intent, "currency"));
  const auto amount = integer(intent, succeeded ? "amount_received" : "amount");
  if (!amount) return malformed("a payment_intent without its amount");
  out.amount = *amount;
  out.state = GatewayState::pending;
  out.detail = "payment_intent " + text(intent, "status");
  if (succeeded) {
    out.state = GatewayState::succeeded;
  } else if (const auto message = last_error_message(intent); !message.empty()) {
    out.detail = "payment failed, the customer may retry: " + message;
  }
  return out;
}

platform::Result<Notification> refund_notification(const json::object& refund) {
  Notification out;
  const auto state = refund_state(text(refund, "status"));
  if (!state) return malformed("a refund with an unknown status");
  out.state = *state;
  out.transaction_id = metadata(refund, "transaction_id");
  if (out.transaction_id.empty()) return malformed("a refund without metadata.transaction_id");
  out.gateway_refund_id = text(refund, "id");
  if (out.gateway_refund_id->empty()) return malformed("a refund without id");
  if (auto refund_id = metadata(refund, "refund_id"); !refund_id.empty()) {
    out.refund_id = std::move(refund_id);
  }
  out.gateway_reference = text(refund, "payment_intent");
  const auto amount = integer(refund, "amount");
  if (!amount) return malformed("a refund without amount");
  out.amount = *amount;
  out.currency = upper(text(refund, "currency"));
  out.detail = "refund " + text(refund, "status");
  if (auto reason = text(refund, "failure_reason"); !reason.empty()) out.detail += ": " + reason;
  return out;
}
}  // namespace

FormFields checkout_session_form(const PaymentRequest& request) {
  FormFields fields{
      {"mode", "payment"},
      {"line_items[0][price_data][currency]", lower(request.currency)},
      {"line_items[0][price_data][unit_amount]", std::to_string(request.amount)},
      {"line_items[0][price_data][product_data][name]",
       request.description.empty() ? "Zamówienie " + request.order_id : request.description},
      {"line_items[0][quantity]", "1"},
      {"success_url", request.return_url},
      {"cancel_url", request.return_url},
      {"client_reference_id", request.transaction_id},
      {"metadata[transaction_id]", request.transaction_id},
      {"metadata[order_id]", request.order_id},
      {"payment_intent_data[metadata][transaction_id]", request.transaction_id},
      {"payment_intent_data[metadata][order_id]", request.order_id},
  };
  if (!request.email.empty()) fields.emplace_back("customer_email", request.email);
  if (request.channel == "card") {
    fields.emplace_back("payment_method_types[]", "card");
  } else if (request.channel == "blik") {
    fields.emplace_back("payment_method_types[]", "blik");
  } else if (request.channel == "transfer") {
    fields.emplace_back("payment_method_types[]", "p24");
  } else {
    for (const char* type : {"card", "p24", "blik"}) {
      fields.emplace_back("payment_method_types[]", type);
    }
  }
  return fields;
}

FormFields refund_form(const RefundRequest& request, std::string_view payment_intent) {
  return {
      {"payment_intent", std::string(payment_intent)},
      {"amount", std::to_string(request.amount)},
      {"reason", "requested_by_customer"},
      {"metadata[refund_id]", request.refund_id},
      {"metadata[transaction_id]", request.attempt.transaction_id},
  };
}

std::string session_idempotency_key(std::string_view transaction_id) {
  return "checkout-session-" + std::string(transaction_id);
}

std::string expire_idempotency_key(std::string_view session_id) {
  return "checkout-session-expire-" + std::string(session_id);
}

std::string refund_idempotency_key(std::string_view refund_id) {
  return "refund-" + std::string(refund_id);
}

platform::Result<Registration> read_session_created(std::string_view body) {
  const auto session = parse_object(body);
  if (!session) return garbled("not a JSON object");
  Registration out;
  out.gateway_reference = text(*session, "id");
  const auto url = text(*session, "url");
  if (out.gateway_reference.rfind("cs_", 0) != 0 || url.empty()) {
    return garbled("a checkout session without id or url");
  }
  out.redirect_url = url;
  return out;
}

platform::Result<std::string> read_session_state(std::string_view body) {
  const auto session = parse_object(body);
  if (!session) return garbled("not a JSON object");
  auto state = text(*session, "status");
  if (state.empty()) return garbled("a checkout session without status");
  return state;
}

platform::Result<GatewayStatus> read_session_status(std::string_view body) {
  const auto session = parse_object(body);
  if (!session) return garbled("not a JSON object");
  const auto state = text(*session, "status");
  const auto payment_status = text(*session, "payment_status");
  if (state.empty() || payment_status.empty()) return garbled("a session without status");
  GatewayStatus out;
  const auto* intent = session->if_contains("payment_intent");
  if (intent != nullptr && intent->is_object()) out = intent_status(intent->as_object());
  out.gateway_reference = payment_intent_id(*session);
  out.currency = upper(text(*session, "currency"));
  const std::string session_detail =
      "checkout.session " + state + ", payment_status " + payment_status;
  out.detail = out.detail.empty() ? session_detail : session_detail + "; " + out.detail;
  if (payment_status == "paid") {
    out.state = GatewayState::succeeded;
    out.amount = integer(*session, "amount_total").value_or(out.amount);
    if (intent != nullptr && intent->is_object()) {
      out.amount = integer(intent->as_object(), "amount_received").value_or(out.amount);
    }
  } else if (state == "expired") {
    out.state = GatewayState::failed;
    out.amount = integer(*session, "amount_total").value_or(0);
  } else {
    out.state = GatewayState::pending;
    out.amount = integer(*session, "amount_total").value_or(0);
  }
  return out;
}

platform::Result<GatewayStatus> read_payment_intent_status(std::string_view body) {
  const auto intent = parse_object(body);
  if (!intent) return garbled("not a JSON object");
  if (text(*intent, "id").empty() || text(*intent, "status").empty()) {
    return garbled("a payment_intent without id or status");
  }
  return intent_status(*intent);
}

platform::Result<RefundAccepted> read_refund_created(std::string_view body) {
  const auto refund = parse_object(body);
  if (!refund) return garbled("not a JSON object");
  RefundAccepted out;
  out.gateway_refund_id = text(*refund, "id");
  const auto state = refund_state(text(*refund, "status"));
  if (out.gateway_refund_id->rfind("re_", 0) != 0 || !state) {
    return garbled("a refund without id or a known status");
  }
  out.state = *state;
  return out;
}

platform::Result<std::optional<Notification>> read_event(std::string_view body) {
  const auto event = parse_object(body);
  if (!event) return malformed("not a JSON object");
  const auto id = text(*event, "id");
  const auto type = text(*event, "type");
  if (id.empty() || type.empty()) return malformed("no id or type");
  const auto* data = event->if_contains("data");
  const json::value* object =
      data != nullptr && data->is_object() ? data->as_object().if_contains("object") : nullptr;
  if (object == nullptr || !object->is_object()) return malformed("no data.object");
  const auto& obj = object->as_object();

  platform::Result<Notification> read = malformed("unreachable");
  if (type == "checkout.session.completed") {
    const auto paid = text(obj, "payment_status") == "paid";
    read = session_notification(obj, paid ? GatewayState::succeeded : GatewayState::pending);
  } else if (type == "checkout.session.async_payment_succeeded") {
    read = session_notification(obj, GatewayState::succeeded);
  } else if (type == "checkout.session.async_payment_failed" ||
             type == "checkout.session.expired") {
    read = session_notification(obj, GatewayState::failed);
  } else if (type == "payment_intent.succeeded") {
    read = intent_notification(obj, true);
  } else if (type == "payment_intent.payment_failed") {
    read = intent_notification(obj, false);
  } else if (type == "refund.created" || type == "refund.updated" || type == "refund.failed" ||
             type == "charge.refund.updated") {
    read = refund_notification(obj);
  } else {
    return std::optional<Notification>();
  }
  if (!read) return read.error();
  read->event_key = id;
  if (read->detail.empty()) read->detail = type;
  read->detail = type + ": " + read->detail;
  return std::optional<Notification>(std::move(*read));
}

platform::Error api_error(int status, std::string_view body) {
  std::string message;
  std::string type;
  if (const auto answer = parse_object(body)) {
    if (const auto* error = answer->if_contains("error"); error != nullptr && error->is_object()) {
      message = text(error->as_object(), "message");
      type = text(error->as_object(), "type");
    }
  }
  const auto detail = "stripe answered " + std::to_string(status) +
                      (type.empty() ? std::string() : " " + type) +
                      (message.empty() ? std::string() : ": " + message);
  if (status == 400 || status == 402 || status == 404) {
    return make_error(Errc::invalid, detail, "stripe_refused");
  }
  return make_error(Errc::unavailable, detail, "stripe_unavailable");
}

}  // namespace payment::stripe
