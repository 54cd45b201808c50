#include "events.hpp"

#include <algorithm>

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"

namespace warranty {
namespace {
using contracts::write_money;
using platform::JsonWriter;

void write_plan_fields(JsonWriter& out, const Plan& plan) {
  out.key("warranty_id").value(plan.id).key("kind").value(to_string(plan.kind));
  out.key("name").value(plan.name);
}

void write_selection(JsonWriter& out, const Selection& selection) {
  out.begin_object().key("warranty_id").value(selection.plan_id);
  out.key("kind").value(to_string(selection.kind)).key("name").value(selection.name);
  out.key("duration_months").value(selection.duration_months);
  write_money(out.key("unit_price"), selection.unit_price);
  out.key("quantity").value(selection.quantity);
  write_money(out.key("price"), selection.price());
  out.end_object();
}

void write_selected(JsonWriter& out, const WarrantySession& session, std::string_view item_id) {
  out.key("selected").begin_array();
  for (const auto& selection : session.selections) {
    if (selection.item_id == item_id) write_selection(out, selection);
  }
  out.end_array();
}

bool is_selected(const WarrantySession& session, std::string_view item_id,
                 std::string_view plan_id) {
  return std::any_of(session.selections.begin(), session.selections.end(),
                     [&](const auto& s) { return s.item_id == item_id && s.plan_id == plan_id; });
}
}  // namespace

platform::CloudEvent change_event(const WarrantySession& session, const WarrantyChange& change,
                                  const platform::TraceContext& trace, platform::TimePoint now) {
  const auto traceparent = trace.child().traceparent();
  const auto time = platform::format_rfc3339(now);
  const contracts::SessionEventHeader header{session.session_id, session.user_id, change.version,
                                             traceparent, time};
  const auto& selection = change.selection;
  JsonWriter data(768);
  contracts::begin_session_event_data(data, header);
  data.key("item_id").value(selection.item_id);
  if (change.removed) {
    data.key("plan_id").value(selection.plan_id).key("kind").value(to_string(selection.kind));
    data.key("reason").value(to_string(*change.removed)).end_object();
    return contracts::session_event(contracts::kWarrantyTopic, contracts::kWarrantySource,
                                    contracts::event_type::kWarrantyRemoved, header,
                                    std::move(data).take());
  }
  data.key("sku").value(selection.sku).key("plan_id").value(selection.plan_id);
  data.key("kind").value(to_string(selection.kind)).key("plan_name").value(selection.name);
  data.key("duration_months").value(selection.duration_months);
  write_money(data.key("unit_price"), selection.unit_price);
  data.key("quantity").value(selection.quantity);
  write_money(data.key("price"), selection.price());
  data.end_object();
  return contracts::session_event(contracts::kWarrantyTopic, contracts::kWarrantySource,
                                  contracts::event_type::kWarrantySelected, header,
                                  std::move(data).take());
}

std::string available_document(const WarrantySession& session, const contracts::CartLine& line,
                               std::int64_t manufacturer_months, const std::vector<Offer>& offers) {
  JsonWriter out(1024 + 256 * offers.size());
  out.begin_object().key("session_id").value(session.session_id);
  out.key("version").value(session.version).key("item_id").value(line.item_id);
  out.key("sku").value(line.sku).key("name").value(line.name).key("category").value(line.category);
  write_money(out.key("unit_price"), line.unit_price);
  out.key("quantity").value(line.quantity);
  out.key("manufacturer_warranty_months").value(manufacturer_months);
  out.key("offers").begin_array();
  for (const auto& offer : offers) {
    if (!offer.offered()) continue;
    out.begin_object();
    write_plan_fields(out, *offer.plan);
    out.key("duration_months").value(offer.plan->duration_months);
    write_money(out.key("unit_price"), offer.unit_price);
    write_money(out.key("price"), offer.unit_price * line.quantity);
    out.key("selected").value(is_selected(session, line.item_id, offer.plan->id));
    out.end_object();
  }
  out.end_array().key("unavailable").begin_array();
  for (const auto& offer : offers) {
    if (offer.offered()) continue;
    out.begin_object();
    write_plan_fields(out, *offer.plan);
    out.key("reason").begin_object().key("code").value(offer.reason->code);
    out.key("message").value(offer.reason->message).end_object().end_object();
  }
  out.end_array();
  write_selected(out, session, line.item_id);
  out.end_object();
  return std::move(out).take();
}

std::string selection_document(const WarrantySession& session, std::string_view item_id) {
  JsonWriter out(512);
  out.begin_object().key("session_id").value(session.session_id);
  out.key("version").value(session.version).key("item_id").value(item_id);
  write_selected(out, session, item_id);
  out.end_object();
  return std::move(out).take();
}

}  // namespace warranty
