#include "events.hpp"

#include <boost/json.hpp>

#include "view.hpp"

namespace cart {

std::string_view event_type(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return "CartItemAdded";
    case ChangeKind::removed:
      return "CartItemRemoved";
    case ChangeKind::quantity_changed:
      return "CartItemQuantityChanged";
    case ChangeKind::price_changed:
      return "CartItemPriceChanged";
    case ChangeKind::stock_changed:
      return "CartItemStockChanged";
  }
  return "CartItemAdded";
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
    boost::json::object data{{"session_id", cart.session_id}, {"user_id", cart.user_id},
                             {"version", ++version},          {"traceparent", traceparent},
                             {"occurred_at", time},           {"cart_hash", cart_hash}};
    switch (change.kind) {
      case ChangeKind::stock_changed:
        data["item_id"] = change.line.item_id;
        data["sku"] = change.line.sku;
        data["stock_status"] = to_string(change.line.stock_status);
        break;
      case ChangeKind::removed:
        data["line"] = line_to_json(change.line);
        data["removed_with_parent"] = change.removed_with_parent
                                          ? boost::json::value(*change.removed_with_parent)
                                          : boost::json::value(nullptr);
        break;
      case ChangeKind::quantity_changed:
        data["line"] = line_to_json(change.line);
        data["old_quantity"] = change.old_quantity;
        break;
      case ChangeKind::price_changed:
        data["line"] = line_to_json(change.line);
        data["old_unit_price"] = money_to_json(change.old_unit_price.value_or(platform::pln(0)));
        break;
      case ChangeKind::added:
        data["line"] = line_to_json(change.line);
        break;
    }
    platform::CloudEvent event;
    event.id = platform::new_uuid();
    event.type = event_type(change.kind);
    event.source = kCartSource;
    event.subject = cart.session_id;
    event.time = time;
    event.traceparent = traceparent;
    event.data = boost::json::serialize(data);
    event.topic = kCartTopic;
    event.key = cart.session_id;
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace cart
