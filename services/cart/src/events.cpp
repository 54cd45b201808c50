#include "events.hpp"

#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"
#include "view.hpp"

namespace cart {
namespace {
void write_reason(platform::JsonWriter& out, const std::optional<Reason>& reason) {
  if (!reason) {
    out.null();
    return;
  }
  out.begin_object().key("code").value(reason->code).key("message").value(reason->message);
  out.end_object();
}
}  // namespace

std::string_view event_type(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return contracts::event_type::kCartItemAdded;
    case ChangeKind::removed:
      return contracts::event_type::kCartItemRemoved;
    case ChangeKind::quantity_changed:
      return contracts::event_type::kCartItemQuantityChanged;
    case ChangeKind::price_changed:
      return contracts::event_type::kCartItemPriceChanged;
    case ChangeKind::stock_changed:
      return contracts::event_type::kCartItemStockChanged;
    case ChangeKind::validated:
      return contracts::event_type::kCartItemValidated;
  }
  return contracts::event_type::kCartItemAdded;
}

std::vector<platform::CloudEvent> events_for(const Outcome& outcome, std::int64_t before_version,
                                             const platform::TraceContext& trace,
                                             platform::TimePoint now) {
  const auto& cart = outcome.cart;
  const auto cart_hash = cart.content_hash();
  const auto time = platform::format_rfc3339(now);
  std::vector<platform::CloudEvent> events;
  events.reserve(outcome.changes.size());
  std::int64_t version = before_version;
  for (const auto& change : outcome.changes) {
    const auto traceparent = trace.child().traceparent();
    const contracts::SessionEventHeader header{cart.session_id, cart.user_id, ++version,
                                               traceparent, time};
    platform::JsonWriter data(1024);
    contracts::begin_session_event_data(data, header);
    data.key("cart_hash").value(cart_hash);
    switch (change.kind) {
      case ChangeKind::stock_changed:
        data.key("item_id").value(change.line.item_id).key("sku").value(change.line.sku);
        data.key("stock_status").value(to_string(change.line.stock_status));
        break;
      case ChangeKind::removed:
        write_line(data.key("line"), change.line);
        data.key("removed_with_parent").value_or_null(change.removed_with_parent);
        write_reason(data.key("reason"), change.reason);
        break;
      case ChangeKind::validated:
        write_line(data.key("line"), change.line);
        write_money(data.key("old_unit_price"), change.old_unit_price.value_or(platform::pln(0)));
        data.key("old_quantity").value(change.old_quantity);
        write_reason(data.key("reason"), change.reason);
        break;
      case ChangeKind::quantity_changed:
        write_line(data.key("line"), change.line);
        data.key("old_quantity").value(change.old_quantity);
        break;
      case ChangeKind::price_changed:
        write_line(data.key("line"), change.line);
        write_money(data.key("old_unit_price"), change.old_unit_price.value_or(platform::pln(0)));
        break;
      case ChangeKind::added:
        write_line(data.key("line"), change.line);
        break;
    }
    data.end_object();
    events.push_back(contracts::session_event(contracts::kCartTopic, contracts::kCartSource,
                                              event_type(change.kind), header,
                                              std::move(data).take()));
  }
  return events;
}

platform::CloudEvent merged_event(const MergeOutcome& outcome, const Cart& guest_before,
                                  const platform::TraceContext& trace, platform::TimePoint now) {
  const auto& cart = outcome.user.cart;
  const auto traceparent = trace.child().traceparent();
  const auto time = platform::format_rfc3339(now);
  const contracts::SessionEventHeader header{cart.session_id, cart.user_id, cart.version,
                                             traceparent, time};
  platform::JsonWriter data(512 + 160 * outcome.merged.size());
  contracts::begin_session_event_data(data, header);
  data.key("cart_hash").value(cart.content_hash());
  data.key("from_session_id").value(guest_before.session_id);
  data.key("from_user_id").value(guest_before.user_id);
  data.key("items").begin_array();
  for (const auto& merged : outcome.merged) {
    data.begin_object().key("from_item_id").value(merged.from_item_id);
    data.key("item_id").value(merged.item_id).key("sku").value(merged.sku).end_object();
  }
  data.end_array().end_object();
  return contracts::session_event(contracts::kCartTopic, contracts::kCartSource,
                                  contracts::event_type::kCartMerged, header,
                                  std::move(data).take());
}

}  // namespace cart
