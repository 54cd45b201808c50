// The Cart shows each line's warranties, read-only, from the Warranty service's events
// (warranty-events, consumer group cart-warranty): the real cart_service binary, events built
// from the contract examples as the Warranty would publish them for a real cart.
#include <fstream>
#include <sstream>

#include "cart_service_fixture.hpp"
#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/ids.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"

namespace cart::testing {
namespace {
namespace json = boost::json;
using platform::testing::eventually;

json::object example(const std::string& type) {
  std::ifstream file(std::string(CHECKOUT_SOURCE_DIR) + "/contracts/events/examples/" + type +
                     ".json");
  std::stringstream text;
  text << file.rdbuf();
  return json::parse(text.str()).as_object();
}

json::object money(std::int64_t amount) {
  return json::object{{"amount", amount}, {"currency", "PLN"}};
}

// What the Warranty knows of a cart line.
struct Line {
  std::string user_id;
  std::string session_id;
  std::string item_id;
  std::string sku;
};

platform::CloudEvent warranty_event(const std::string& type, const Line& line,
                                    const json::object& data) {
  return platform::testing::test_event(std::string(contracts::kWarrantyTopic), line.session_id,
                                       type, std::string(contracts::kWarrantySource),
                                       json::serialize(data));
}

// contracts/events/examples/WarrantySelected.json for this line: plan `plan_id` of `kind` for
// `quantity` units at `unit_price` each.
platform::CloudEvent selected(const Line& line, std::int64_t version, const std::string& plan_id,
                              const std::string& kind, std::int64_t unit_price,
                              std::int64_t quantity) {
  auto data = example("WarrantySelected");
  data["session_id"] = line.session_id;
  data["user_id"] = line.user_id;
  data["version"] = version;
  data["item_id"] = line.item_id;
  data["sku"] = line.sku;
  data["plan_id"] = plan_id;
  data["kind"] = kind;
  data["plan_name"] = "Plan " + plan_id;
  data["unit_price"] = money(unit_price);
  data["quantity"] = quantity;
  data["price"] = money(unit_price * quantity);
  return warranty_event(std::string(contracts::event_type::kWarrantySelected), line, data);
}

// contracts/events/examples/WarrantyRemoved.json for this line.
platform::CloudEvent removed(const Line& line, std::int64_t version, const std::string& plan_id,
                             const std::string& kind, const std::string& reason) {
  auto data = example("WarrantyRemoved");
  data["session_id"] = line.session_id;
  data["user_id"] = line.user_id;
  data["version"] = version;
  data["item_id"] = line.item_id;
  data["plan_id"] = plan_id;
  data["kind"] = kind;
  data["reason"] = reason;
  return warranty_event(std::string(contracts::event_type::kWarrantyRemoved), line, data);
}

class CartWarrantyTest : public CartServiceTest {
 protected:
  void SetUp() override {
    user_ = "user-" + platform::new_uuid();
    const auto tag = platform::random_hex(3);  // a sku of its own for each test
    tv_ = unique("WTV-" + tag);
    cable_ = unique("WHDMI-" + tag);
    // The Cart also follows promotion-events: the main product is one no promotion applies to by
    // itself and the carts stay under 300 zł (the shipped rules' lowest threshold) while their
    // stored view is compared, so a Promotion instance running beside these tests publishes
    // nothing that writes it.
    put_product(product(tv_, 9999, "furniture"));
    put_product(product(cable_, 5999, "accessory"));
  }

  json::object add(const std::string& user, const std::string& sku, int quantity,
                   const std::string& type = "offer", const std::string& parent = {}) {
    json::object body{{"type", type}, {"sku", sku}, {"quantity", quantity}};
    if (!parent.empty()) body["parent_item_id"] = parent;
    auto response = call(user, "POST", "/cart/items", json::serialize(body));
    EXPECT_EQ(response.status, 201) << response.body;
    return json_of(response.body);
  }

  // The line just added, as the Warranty learns it from cart-events.
  Line line_of(const std::string& user, const json::object& added) {
    const auto& line = added.at("line").as_object();
    return Line{user, std::string(view(user).at("session_id").as_string()),
                std::string(line.at("item_id").as_string()),
                std::string(line.at("sku").as_string())};
  }

  json::object view(const std::string& user) {
    auto response = call(user, "GET", "/cart");
    EXPECT_EQ(response.status, 200) << response.body;
    return json_of(response.body);
  }

  static const json::object* line_in(const json::object& cart, const std::string& item_id) {
    for (const auto& line : cart.at("lines").as_array()) {
      if (line.at("item_id").as_string() == item_id) return &line.as_object();
    }
    return nullptr;
  }

  // The warranty ids shown under a line, in order ("-" when the cart has no such line).
  std::vector<std::string> warranties_of(const std::string& user, const std::string& item_id) {
    const auto cart = view(user);
    const auto* line = line_in(cart, item_id);
    if (line == nullptr) return {"-"};
    std::vector<std::string> ids;
    for (const auto& warranty : line->at("warranties").as_array()) {
      ids.emplace_back(warranty.at("warranty_id").as_string());
    }
    return ids;
  }

  void send(const platform::CloudEvent& event) {
    EXPECT_TRUE(validates(event)) << event.data;
    publish(event);
  }

  // Waits until the Cart applied the user's warranty event `version`.
  void wait_applied(const std::string& user, std::int64_t version) {
    ASSERT_TRUE(eventually([&] { return view(user).at("warranty_version").as_int64() >= version; }))
        << json::serialize(view(user)) << service_->log_tail();
  }

  // Waits until enrichment has caught up with every line, so the view stops changing on its own.
  void wait_settled(const std::string& user) {
    ASSERT_TRUE(eventually([&] {
      const auto cart = view(user);
      for (const auto& line : cart.at("lines").as_array()) {
        if (line.at("enrichment").as_string() != "enriched") return false;
      }
      return true;
    })) << json::serialize(view(user));
  }

  std::string key(const std::string& prefix) const { return prefix + "{" + user_ + "}"; }

  std::string user_, tv_, cable_;
};

TEST_F(CartWarrantyTest, ChosenPlansAreShownUnderTheirLineAndNothingElseMoves) {
  const auto tv = line_of(user_, add(user_, tv_, 2));
  const auto cable = line_of(user_, add(user_, cable_, 1, "accessory", tv.item_id));
  wait_settled(user_);
  const auto before = view(user_);
  EXPECT_EQ(before.at("warranty_version").as_int64(), 0);
  EXPECT_TRUE(line_in(before, tv.item_id)->at("warranties").as_array().empty());
  // Its two CartItemAdded (enrichment finds both in stock at the catalog's price: no news).
  ASSERT_TRUE(eventually([&] { return cart_events_of(user_).size() == 2; }));

  send(selected(tv, 1, "ext_36m", "extended", 39900, 2));
  wait_applied(user_, 1);
  auto cart = view(user_);
  const auto& shown = line_in(cart, tv.item_id)->at("warranties").as_array();
  ASSERT_EQ(shown.size(), 1U) << json::serialize(cart);
  EXPECT_EQ(json::serialize(shown.at(0)),
            R"({"warranty_id":"ext_36m","kind":"extended","name":"Plan ext_36m",)"
            R"("duration_months":36,"unit_price":{"amount":39900,"currency":"PLN"},)"
            R"("quantity":2,"price":{"amount":79800,"currency":"PLN"}})");
  EXPECT_TRUE(line_in(cart, cable.item_id)->at("warranties").as_array().empty());
  // A display only: no cart version, no totals, no cart event.
  for (const auto* field : {"version", "subtotal", "item_count", "cart_hash", "session_id"}) {
    EXPECT_EQ(cart.at(field), before.at(field)) << field;
  }

  // Another kind beside it; then the extended plan repriced and another one replacing it.
  send(selected(tv, 2, "theft_24m", "theft", 9900, 2));
  send(selected(tv, 3, "acc_24m", "accidental_damage", 19900, 2));
  wait_applied(user_, 3);
  EXPECT_EQ(warranties_of(user_, tv.item_id),
            (std::vector<std::string>{"ext_36m", "acc_24m", "theft_24m"}));
  ASSERT_EQ(call(user_, "PATCH", "/cart/items/" + tv.item_id, R"({"quantity":3})").status, 200);
  send(selected(tv, 4, "ext_36m", "extended", 39900, 3));
  wait_applied(user_, 4);
  cart = view(user_);
  const auto& repriced = line_in(cart, tv.item_id)->at("warranties").as_array().at(0);
  EXPECT_EQ(repriced.at("quantity").as_int64(), 3);
  EXPECT_EQ(repriced.at("price").at("amount").as_int64(), 119700);
  send(selected(tv, 5, "ext_60m", "extended", 59900, 3));
  wait_applied(user_, 5);
  EXPECT_EQ(warranties_of(user_, tv.item_id),
            (std::vector<std::string>{"ext_60m", "acc_24m", "theft_24m"}));

  // Removed.
  send(removed(tv, 6, "theft_24m", "theft", "removed_by_customer"));
  wait_applied(user_, 6);
  EXPECT_EQ(warranties_of(user_, tv.item_id), (std::vector<std::string>{"ext_60m", "acc_24m"}));

  EXPECT_EQ(view(user_).at("version").as_int64(), before.at("version").as_int64() + 1)
      << "only the customer's quantity change";
  ASSERT_TRUE(eventually([&] { return cart_events_of(user_).size() >= 3; }));
  const auto events = cart_events_of(user_);
  EXPECT_EQ(events.size(), 3U);
  EXPECT_EQ(events.back().type, contracts::event_type::kCartItemQuantityChanged);
}

TEST_F(CartWarrantyTest, DuplicatesAndOlderEventsChangeNothing) {
  const auto tv = line_of(user_, add(user_, tv_, 1));
  wait_settled(user_);
  const auto first = selected(tv, 1, "ext_36m", "extended", 39900, 1);
  const auto second = removed(tv, 2, "ext_36m", "extended", "removed_by_customer");
  const auto third = selected(tv, 3, "acc_24m", "accidental_damage", 19900, 1);
  for (const auto* event : {&first, &second, &third}) send(*event);
  wait_applied(user_, 3);
  EXPECT_EQ(warranties_of(user_, tv.item_id), (std::vector<std::string>{"acc_24m"}));
  const auto stored = redis({"GET", key("cart:view:")}).as_string();
  const auto stream = redis({"XLEN", key("cart:events:")}).as_integer();

  // Redelivered: the same events again, the newest too, keyed like this session. A marker the
  // Cart handles after them (one key's events are handled in order): another user's event with
  // the same key.
  publish(first);
  publish(third);
  publish(second);
  const auto other = "user-" + platform::new_uuid();
  auto marker_line = line_of(other, add(other, cable_, 1, "accessory"));
  auto marker = selected(marker_line, 1, "ext_12m", "extended", 990, 1);
  marker.key = tv.session_id;
  send(marker);
  wait_applied(other, 1);

  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), stored) << "not even written again";
  EXPECT_EQ(redis({"XLEN", key("cart:events:")}).as_integer(), stream);
  EXPECT_EQ(warranties_of(other, marker_line.item_id), (std::vector<std::string>{"ext_12m"}));
}

TEST_F(CartWarrantyTest, RemovingALineDropsItsWarrantiesAndTheirLateEventsMoveNoLine) {
  const auto tv = line_of(user_, add(user_, tv_, 1));
  const auto cable = line_of(user_, add(user_, cable_, 1, "accessory", tv.item_id));
  send(selected(tv, 1, "ext_36m", "extended", 39900, 1));
  send(selected(cable, 2, "ext_12m", "extended", 990, 1));
  wait_applied(user_, 2);
  EXPECT_EQ(warranties_of(user_, cable.item_id), (std::vector<std::string>{"ext_12m"}));

  ASSERT_EQ(call(user_, "DELETE", "/cart/items/" + tv.item_id).status, 200);
  EXPECT_EQ(warranties_of(user_, tv.item_id), (std::vector<std::string>{"-"}));
  EXPECT_EQ(warranties_of(user_, cable.item_id), (std::vector<std::string>{"-"}));

  // The Warranty learns of the removal from cart-events and ends the plans; and a late selection
  // for a line that is gone: the Cart only moves its version.
  send(removed(tv, 3, "ext_36m", "extended", "parent_removed"));
  send(selected(tv, 4, "acc_24m", "accidental_damage", 19900, 1));
  wait_applied(user_, 4);
  const auto tv_again = line_of(user_, add(user_, tv_, 1));
  EXPECT_TRUE(line_in(view(user_), tv_again.item_id)->at("warranties").as_array().empty());
}

TEST_F(CartWarrantyTest, AnotherSessionsEventChangesNothing) {
  const auto tv = line_of(user_, add(user_, tv_, 1));
  wait_settled(user_);
  const auto stored = redis({"GET", key("cart:view:")}).as_string();
  auto stranger = tv;
  stranger.session_id = "cs-" + platform::new_uuid();
  auto event = selected(stranger, 7, "ext_36m", "extended", 39900, 1);
  event.key = tv.session_id;
  send(event);
  const auto other = "user-" + platform::new_uuid();
  auto marker_line = line_of(other, add(other, cable_, 1, "accessory"));
  auto marker = selected(marker_line, 1, "ext_12m", "extended", 990, 1);
  marker.key = tv.session_id;
  send(marker);
  wait_applied(other, 1);
  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), stored);
}

TEST_F(CartWarrantyTest, AWarrantyEventThatBreaksTheContractGoesToTheDeadLetterTopic) {
  const auto tv = line_of(user_, add(user_, tv_, 1));
  wait_settled(user_);
  const auto stored = redis({"GET", key("cart:view:")}).as_string();
  platform::testing::EventProbe dead_letters({std::string(contracts::kWarrantyTopic) + ".dlq"});
  auto event = selected(tv, 1, "ext_36m", "extended", 39900, 1);
  auto data = json_of(event.data);
  data["kind"] = "fire";
  event.data = json::serialize(data);
  EXPECT_FALSE(validates(event)) << "the contract refuses it too";
  publish(event);
  const auto dead = [&] {
    return dead_letters.matching([&](const auto& e) { return e.id == event.id; });
  };
  ASSERT_TRUE(eventually([&] { return !dead().empty(); })) << service_->log_tail();
  const auto letter = dead().front();
  std::string reason;
  for (const auto& [name, value] : letter.extra_headers) {
    if (name == "dlq_error") reason = value;
  }
  EXPECT_NE(reason.find("'kind'"), std::string::npos) << reason;
  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), stored);
}

}  // namespace
}  // namespace cart::testing
