#include "contracts/cart_copy.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "contracts/event_types.hpp"

namespace {
namespace json = boost::json;
namespace et = contracts::event_type;

json::value example(const std::string& type) {
  std::ifstream in(std::string(CONTRACTS_EVENTS_DIR) + "/examples/" + type + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

json::object event(std::int64_t version, std::string item_id, std::int64_t quantity,
                   std::string session = "s-1") {
  auto data = example("CartItemAdded").as_object();
  data["session_id"] = std::move(session);
  data["version"] = version;
  data["cart_hash"] = "h" + std::to_string(version);
  data["line"].as_object()["item_id"] = std::move(item_id);
  data["line"].as_object()["quantity"] = quantity;
  return data;
}

TEST(CartCopy, EveryCartEventExampleApplies) {
  for (std::string_view type :
       {et::kCartItemAdded, et::kCartItemRemoved, et::kCartItemQuantityChanged,
        et::kCartItemPriceChanged, et::kCartItemStockChanged, et::kCartMerged}) {
    auto applied = contracts::apply_cart_event({}, type, example(std::string(type)));
    ASSERT_TRUE(applied) << type << ": " << applied.error().message;
    ASSERT_TRUE(applied->has_value()) << type;
    EXPECT_EQ((*applied)->version, example(std::string(type)).as_object().at("version").as_int64());
  }
}

TEST(CartCopy, AddsChangesAndRemovesLines) {
  contracts::CartCopy copy;
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, event(1, "a", 1));
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, event(2, "b", 2));
  copy = **contracts::apply_cart_event(copy, et::kCartItemQuantityChanged, event(3, "a", 3));
  ASSERT_EQ(copy.lines.size(), 2U);
  EXPECT_EQ(copy.find("a")->quantity, 3);
  EXPECT_EQ(copy.subtotal().amount, copy.find("a")->unit_price.amount * 5);
  copy = **contracts::apply_cart_event(copy, et::kCartItemRemoved, event(4, "a", 3));
  ASSERT_EQ(copy.lines.size(), 1U);
  EXPECT_EQ(copy.lines[0].item_id, "b");
  EXPECT_EQ(copy.version, 4);
  EXPECT_EQ(copy.cart_hash, "h4");
  EXPECT_EQ(copy.session_id, "s-1");
}

TEST(CartCopy, CartMergedMovesOnlyTheVersionAndHash) {
  contracts::CartCopy copy;
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, event(1, "a", 2));
  auto merged = example("CartMerged").as_object();
  merged["session_id"] = "s-1";
  merged["version"] = 2;
  merged["cart_hash"] = "h2";
  auto applied = contracts::apply_cart_event(copy, et::kCartMerged, merged);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_TRUE(applied->has_value());
  EXPECT_EQ((*applied)->lines, copy.lines);
  EXPECT_EQ((*applied)->version, 2);
  EXPECT_EQ((*applied)->cart_hash, "h2");
  auto repeated = contracts::apply_cart_event(**applied, et::kCartMerged, merged);
  ASSERT_TRUE(repeated);
  EXPECT_FALSE(repeated->has_value());
}

TEST(CartCopy, OldAndRepeatedEventsChangeNothing) {
  contracts::CartCopy copy;
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, event(2, "a", 1));
  auto repeated = contracts::apply_cart_event(copy, et::kCartItemAdded, event(2, "a", 1));
  ASSERT_TRUE(repeated);
  EXPECT_FALSE(repeated->has_value());
  auto older = contracts::apply_cart_event(copy, et::kCartItemRemoved, event(1, "a", 1));
  ASSERT_TRUE(older);
  EXPECT_FALSE(older->has_value());
}

TEST(CartCopy, RefusesAnotherSessionsEventAndBrokenData) {
  contracts::CartCopy copy;
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, event(1, "a", 1));
  EXPECT_FALSE(contracts::apply_cart_event(copy, et::kCartItemAdded, event(2, "b", 1, "s-2")));
  auto broken = event(2, "b", 1);
  broken["line"].as_object().erase("weight_g");
  auto refused = contracts::apply_cart_event(copy, et::kCartItemAdded, broken);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("weight_g"), std::string::npos);
  auto not_cart = contracts::apply_cart_event(copy, et::kOrderCreated, event(2, "b", 1));
  ASSERT_FALSE(not_cart);
  EXPECT_EQ(not_cart.error().code, platform::Errc::not_found);
}

TEST(CartCopy, RoundTripsThroughJson) {
  contracts::CartCopy copy;
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, event(1, "a", 2));
  auto service = event(2, "b", 1);
  service["line"].as_object()["parent_item_id"] = "a";
  copy = **contracts::apply_cart_event(copy, et::kCartItemAdded, service);
  auto back = contracts::cart_copy_from_json(contracts::cart_copy_to_json(copy));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, copy);
  EXPECT_FALSE(contracts::cart_copy_from_json("{\"lines\":3}"));
}
}  // namespace

#include "contracts/session_ref.hpp"

namespace {
TEST(SessionRef, ReadsSessionAndUserOfAnySessionEvent) {
  auto ref = contracts::session_ref(json::serialize(example("OrderCreated")));
  ASSERT_TRUE(ref) << ref.error().message;
  EXPECT_EQ(ref->session_id, example("OrderCreated").as_object().at("session_id").as_string());
  EXPECT_FALSE(contracts::session_ref("{\"session_id\":\"s\"}"));
  EXPECT_FALSE(contracts::session_ref("[]"));
}
}  // namespace
