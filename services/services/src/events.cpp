#include "events.hpp"

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"

namespace extra_services {
namespace {
using contracts::write_money;
using platform::JsonWriter;

void write_reason(JsonWriter& out, const std::optional<Reason>& reason) {
  if (!reason) {
    out.null();
    return;
  }
  out.begin_object().key("code").value(reason->code).key("message").value(reason->message);
  out.end_object();
}

// The fields every rendering of an offer shares.
void write_offer_fields(JsonWriter& out, const ServiceOffer& offer) {
  out.key("sku").value(offer.sku).key("code").value(offer.code).key("name").value(offer.name);
  out.key("kind").value(to_string(offer.kind));
  write_money(out.key("price"), offer.price);
}

// The event's two lists: what can be added (with max_quantity), and what cannot (with why).
void write_event_offers(JsonWriter& out, const std::vector<ServiceOffer>& offers,
                        std::string_view available_key, std::string_view unavailable_key) {
  out.key(available_key).begin_array();
  for (const auto& offer : offers) {
    if (!offer.available) continue;
    out.begin_object();
    write_offer_fields(out, offer);
    out.key("max_quantity").value(offer.max_quantity).end_object();
  }
  out.end_array().key(unavailable_key).begin_array();
  for (const auto& offer : offers) {
    if (offer.available) continue;
    out.begin_object();
    write_offer_fields(out, offer);
    write_reason(out.key("reason"), offer.reason);
    out.end_object();
  }
  out.end_array();
}

// The HTTP answers' list: every service, `available` or not with the reason.
void write_api_offers(JsonWriter& out, const std::vector<ServiceOffer>& offers) {
  out.begin_array();
  for (const auto& offer : offers) {
    out.begin_object();
    write_offer_fields(out, offer);
    out.key("available").value(offer.available).key("max_quantity").value(offer.max_quantity);
    write_reason(out.key("reason"), offer.reason);
    out.end_object();
  }
  out.end_array();
}

void write_verdicts(JsonWriter& out, const std::vector<ServiceLineVerdict>& verdicts) {
  out.key("service_lines").begin_array();
  for (const auto& verdict : verdicts) {
    out.begin_object().key("item_id").value(verdict.item_id).key("sku").value(verdict.sku);
    out.key("allowed").value(verdict.allowed);
    write_money(out.key("unit_price"), verdict.unit_price);
    out.key("quantity").value(verdict.quantity);
    write_reason(out.key("reason"), verdict.reason);
    out.end_object();
  }
  out.end_array();
}

void write_session_fields(JsonWriter& out, const ServicesSession* session) {
  if (session == nullptr) {
    out.key("session_id").null().key("cart_hash").null().key("delivery_method").null();
    return;
  }
  out.key("session_id").value(session->session_id);
  out.key("cart_hash");
  if (session->cart.cart_hash.empty()) {
    out.null();
  } else {
    out.value(session->cart.cart_hash);
  }
  out.key("delivery_method").value_or_null(session->delivery_method);
}
}  // namespace

platform::CloudEvent availability_event(const ServicesSession& session,
                                        const ServicesAvailability& availability,
                                        const platform::TraceContext& trace,
                                        platform::TimePoint now) {
  const auto traceparent = trace.child().traceparent();
  const auto time = platform::format_rfc3339(now);
  const contracts::SessionEventHeader header{session.session_id, session.user_id, session.version,
                                             traceparent, time};
  JsonWriter data(1024 + 1024 * availability.items.size());
  contracts::begin_session_event_data(data, header);
  data.key("cart_hash").value(session.cart.cart_hash);
  data.key("cart_version").value(session.cart.version);
  data.key("delivery_method").value_or_null(session.delivery_method);
  data.key("items").begin_array();
  for (const auto& line : availability.items) {
    data.begin_object().key("item_id").value(line.item_id).key("sku").value(line.sku);
    write_event_offers(data, line.services, "services", "unavailable");
    data.end_object();
  }
  data.end_array();
  write_event_offers(data, availability.standalone, "standalone", "standalone_unavailable");
  write_verdicts(data, availability.verdicts);
  data.end_object();
  return contracts::session_event(contracts::kServicesTopic, contracts::kServicesSource,
                                  contracts::event_type::kServiceAvailabilityCalculated, header,
                                  std::move(data).take());
}

std::string available_document(const ServicesSession* session,
                               const ServicesAvailability& availability) {
  JsonWriter out(1024 + 2048 * availability.items.size());
  out.begin_object();
  write_session_fields(out, session);
  out.key("items").begin_array();
  for (const auto& line : availability.items) {
    out.begin_object().key("item_id").value(line.item_id).key("sku").value(line.sku);
    write_api_offers(out.key("services"), line.services);
    out.end_object();
  }
  out.end_array();
  write_api_offers(out.key("standalone"), availability.standalone);
  write_verdicts(out, availability.verdicts);
  out.end_object();
  return std::move(out).take();
}

std::string line_document(const LineServices& line) {
  JsonWriter out(2048);
  out.begin_object().key("item_id").value(line.item_id).key("sku").value(line.sku);
  write_api_offers(out.key("services"), line.services);
  out.end_object();
  return std::move(out).take();
}

std::string standalone_document(const ServicesSession* session,
                                const ServicesAvailability& availability) {
  JsonWriter out(2048);
  out.begin_object();
  write_session_fields(out, session);
  write_api_offers(out.key("standalone"), availability.standalone);
  out.end_object();
  return std::move(out).take();
}

}  // namespace extra_services
