#include "catalog_changes.hpp"

#include <boost/json.hpp>

#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"

namespace catalog_import {
namespace {

std::optional<contracts::Product> parse_stored(const std::string& text) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  auto product = contracts::product_from_json(json);
  if (!product) return std::nullopt;
  return std::move(*product);
}

platform::CloudEvent make_event(const contracts::Product& product, std::string_view type,
                                boost::json::object data, const EventContext& context) {
  // Each event is its own span of the import's trace.
  const auto traceparent = context.trace.child().traceparent();
  data["occurred_at"] = context.occurred_at;
  data["traceparent"] = traceparent;
  platform::CloudEvent event;
  event.id = platform::new_uuid();
  event.type = type;
  event.source = contracts::kCatalogImportSource;
  event.subject = product.sku;
  event.time = context.occurred_at;
  event.traceparent = traceparent;
  event.data = boost::json::serialize(data);
  event.topic = contracts::kCatalogTopic;
  event.key = product.sku;  // a product's events stay ordered
  return event;
}

boost::json::object upserted_data(const contracts::Product& p) {
  boost::json::array flags;
  for (const auto& flag : p.flags) flags.emplace_back(flag);
  return {{"sku", p.sku},
          {"name", p.name},
          {"category", p.category},
          {"price", contracts::money_to_json(p.price)},
          {"stock", p.stock},
          {"weight_g", p.weight_g},
          {"dimensions_mm", contracts::dimensions_to_json(p.dimensions_mm)},
          {"flags", std::move(flags)}};
}

}  // namespace

ProductChange plan_change(const contracts::Product& next, const std::optional<std::string>& stored,
                          const EventContext& context) {
  ProductChange change;
  const auto previous = stored ? parse_stored(*stored) : std::nullopt;
  if (previous && *previous == next) return change;

  change.kind = stored ? ChangeKind::updated : ChangeKind::added;
  change.json = boost::json::serialize(contracts::product_to_json(next));
  change.events.push_back(make_event(next, contracts::event_type::kCatalogProductUpserted,
                                     upserted_data(next), context));
  if (!previous) return change;
  if (previous->price != next.price) {
    change.events.push_back(make_event(next, contracts::event_type::kCatalogPriceChanged,
                                       {{"sku", next.sku},
                                        {"old_price", contracts::money_to_json(previous->price)},
                                        {"new_price", contracts::money_to_json(next.price)}},
                                       context));
  }
  if (previous->stock != next.stock) {
    change.events.push_back(make_event(
        next, contracts::event_type::kCatalogStockChanged,
        {{"sku", next.sku}, {"old_stock", previous->stock}, {"new_stock", next.stock}}, context));
  }
  return change;
}

}  // namespace catalog_import
