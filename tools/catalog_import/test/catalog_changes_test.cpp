#include "catalog_changes.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace catalog_import {
namespace {

contracts::Product tv() {
  contracts::Product p;
  p.sku = "TV-SAM-55Q80C";
  p.name = "Telewizor Samsung QLED 55\" QE55Q80C";
  p.category = "tv";
  p.price = platform::pln(329900);
  p.stock = 14;
  p.weight_g = 17800;
  p.dimensions_mm = {1227, 777, 260};
  p.flags = {"large_appliance", "fragile"};
  return p;
}

std::string stored(const contracts::Product& p) {
  return boost::json::serialize(contracts::product_to_json(p));
}

EventContext context() {
  return {"2025-03-14T06:00:00.000Z", platform::TraceContext::generate()};
}

boost::json::object data(const platform::CloudEvent& e) {
  return boost::json::parse(e.data).as_object();
}

std::vector<std::string> types(const ProductChange& change) {
  std::vector<std::string> out;
  for (const auto& e : change.events) out.push_back(e.type);
  return out;
}

TEST(PlanChange, NewProductIsAddedWithTheFullProduct) {
  const auto ctx = context();
  const auto change = plan_change(tv(), std::nullopt, ctx);
  EXPECT_EQ(change.kind, ChangeKind::added);
  EXPECT_EQ(change.json, stored(tv()));
  ASSERT_EQ(types(change), std::vector<std::string>{"CatalogProductUpserted"});
  const auto& e = change.events[0];
  EXPECT_EQ(e.topic, "catalog-events");
  EXPECT_EQ(e.key, "TV-SAM-55Q80C");
  EXPECT_EQ(e.subject, "TV-SAM-55Q80C");
  EXPECT_EQ(e.source, "/checkout/catalog-import");
  EXPECT_EQ(e.time, ctx.occurred_at);
  EXPECT_FALSE(e.id.empty());
  EXPECT_EQ(e.traceparent.substr(0, 35), "00-" + ctx.trace.trace_id);
  const auto expected = boost::json::parse(R"({
    "sku": "TV-SAM-55Q80C", "name": "Telewizor Samsung QLED 55\" QE55Q80C", "category": "tv",
    "price": {"amount": 329900, "currency": "PLN"}, "stock": 14, "weight_g": 17800,
    "dimensions_mm": {"width": 1227, "height": 777, "depth": 260},
    "flags": ["large_appliance", "fragile"], "occurred_at": "2025-03-14T06:00:00.000Z"})");
  auto payload = data(e);
  EXPECT_EQ(payload["traceparent"].as_string(), e.traceparent);
  payload.erase("traceparent");
  EXPECT_EQ(boost::json::value(payload), expected);
}

TEST(PlanChange, SameProductIsUnchangedAndAnnouncesNothing) {
  const auto change = plan_change(tv(), stored(tv()), context());
  EXPECT_EQ(change.kind, ChangeKind::unchanged);
  EXPECT_TRUE(change.events.empty());
}

TEST(PlanChange, SameProductWrittenWithOtherKeyOrderIsUnchanged) {
  const std::string reordered =
      R"({"flags": ["large_appliance", "fragile"], "sku": "TV-SAM-55Q80C", "name": "Telewizor Samsung QLED 55\" QE55Q80C", "category": "tv", "price": 329900, "currency": "PLN", "stock": 14, "weight_g": 17800, "dimensions_mm": {"depth": 260, "width": 1227, "height": 777}})";
  EXPECT_EQ(plan_change(tv(), reordered, context()).kind, ChangeKind::unchanged);
}

TEST(PlanChange, PriceChangeAnnouncesOldAndNewPrice) {
  auto next = tv();
  next.price = platform::pln(299900);
  const auto change = plan_change(next, stored(tv()), context());
  EXPECT_EQ(change.kind, ChangeKind::updated);
  ASSERT_EQ(types(change),
            (std::vector<std::string>{"CatalogProductUpserted", "CatalogPriceChanged"}));
  auto payload = data(change.events[1]);
  EXPECT_EQ(payload["old_price"], boost::json::parse(R"({"amount": 329900, "currency": "PLN"})"));
  EXPECT_EQ(payload["new_price"], boost::json::parse(R"({"amount": 299900, "currency": "PLN"})"));
  EXPECT_EQ(payload["sku"], "TV-SAM-55Q80C");
  EXPECT_EQ(payload.size(), 5u);  // sku, old_price, new_price, occurred_at, traceparent
  EXPECT_EQ(data(change.events[0])["price"].as_object()["amount"], 299900);
}

TEST(PlanChange, StockChangeAnnouncesOldAndNewStock) {
  auto next = tv();
  next.stock = 0;
  const auto change = plan_change(next, stored(tv()), context());
  ASSERT_EQ(types(change),
            (std::vector<std::string>{"CatalogProductUpserted", "CatalogStockChanged"}));
  auto payload = data(change.events[1]);
  EXPECT_EQ(payload["old_stock"], 14);
  EXPECT_EQ(payload["new_stock"], 0);
  EXPECT_EQ(payload.size(), 5u);
}

TEST(PlanChange, PriceAndStockChangeAnnounceBothAfterTheUpsert) {
  auto next = tv();
  next.stock = 3;
  next.price = platform::pln(1);
  const auto change = plan_change(next, stored(tv()), context());
  EXPECT_EQ(types(change),
            (std::vector<std::string>{"CatalogProductUpserted", "CatalogPriceChanged",
                                      "CatalogStockChanged"}));
  // Distinct events of one trace.
  EXPECT_NE(change.events[0].id, change.events[1].id);
  EXPECT_EQ(change.events[0].traceparent.substr(0, 35), change.events[2].traceparent.substr(0, 35));
}

TEST(PlanChange, OtherFieldChangeIsUpsertOnly) {
  auto next = tv();
  next.flags = {"large_appliance"};
  next.name = "Telewizor Samsung QLED 55\"";
  const auto change = plan_change(next, stored(tv()), context());
  EXPECT_EQ(change.kind, ChangeKind::updated);
  EXPECT_EQ(types(change), std::vector<std::string>{"CatalogProductUpserted"});
}

TEST(PlanChange, UnreadableStoredRecordIsReplacedWithoutOldValues) {
  const auto change = plan_change(tv(), std::string("{not json"), context());
  EXPECT_EQ(change.kind, ChangeKind::updated);
  EXPECT_EQ(types(change), std::vector<std::string>{"CatalogProductUpserted"});
  EXPECT_EQ(change.json, stored(tv()));
}

}  // namespace
}  // namespace catalog_import
