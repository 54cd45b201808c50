#include "catalog_changes.hpp"

#include <boost/json.hpp>

namespace catalog_import {
namespace {

std::optional<cart::Product> parse_stored(const std::string& text) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  auto product = cart::product_from_json(json);
  if (!product) return std::nullopt;
  return std::move(*product);
}

platform::CloudEvent make_event(const cart::Product& product, const char* type,
                                boost::json::object data, const EventContext& context) {
  // Each event is its own span of the import's trace.
  const auto traceparent = context.trace.child().traceparent();
  data["occurred_at"] = context.occurred_at;
  data["traceparent"] = traceparent;
  platform::CloudEvent event;
  event.id = platform::new_uuid();
  event.type = type;
  event.source = kEventSource;
  event.subject = product.sku;
  event.time = context.occurred_at;
  event.traceparent = traceparent;
  event.data = boost::json::serialize(data);
  event.topic = kCatalogTopic;
  event.key = product.sku;  // a product's events stay ordered
  return event;
}

boost::json::object upserted_data(const cart::Product& p) {
  boost::json::array flags;
  for (const auto& flag : p.flags) flags.emplace_back(flag);
  return {{"sku", p.sku},
          {"name", p.name},
          {"category", p.category},
          {"price", cart::money_to_json(p.price)},
          {"stock", p.stock},
          {"weight_g", p.weight_g},
          {"dimensions_mm", cart::dimensions_to_json(p.dimensions_mm)},
          {"flags", std::move(flags)}};
}

}  // namespace

ProductChange plan_change(const cart::Product& next, const std::optional<std::string>& stored,
                          const EventContext& context) {
  ProductChange change;
  const auto previous = stored ? parse_stored(*stored) : std::nullopt;
  if (previous && *previous == next) return change;

  change.kind = stored ? ChangeKind::updated : ChangeKind::added;
  change.json = boost::json::serialize(cart::product_to_json(next));
  change.events.push_back(make_event(next, "CatalogProductUpserted", upserted_data(next), context));
  if (!previous) return change;
  if (previous->price != next.price) {
    change.events.push_back(make_event(next, "CatalogPriceChanged",
                                       {{"sku", next.sku},
                                        {"old_price", cart::money_to_json(previous->price)},
                                        {"new_price", cart::money_to_json(next.price)}},
                                       context));
  }
  if (previous->stock != next.stock) {
    change.events.push_back(make_event(
        next, "CatalogStockChanged",
        {{"sku", next.sku}, {"old_stock", previous->stock}, {"new_stock", next.stock}}, context));
  }
  return change;
}

}  // namespace catalog_import
