// The Cart shows on each line the promotions that touch it with the 30-day lowest price (the EU
// Omnibus rule), read-only, from the Promotion service's events (promotion-events, consumer group
// cart-promotion): the real cart_service binary, events built from the contract examples as the
// Promotion would publish them for a real cart.
#include <optional>

#include "cart_service_fixture.hpp"
#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/ids.hpp"
#include "platform/testing/contract_events.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"

namespace cart::testing {
namespace {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::testing::contract_example;
using platform::testing::eventually;

json::object money(std::int64_t amount) {
  return json::object{{"amount", amount}, {"currency", "PLN"}};
}

// What the Promotion knows of a customer's session and of a line of it.
struct Session {
  std::string user_id;
  std::string session_id;
  std::string cart_hash;
};
struct Line {
  std::string item_id;
  std::string sku;
};

// A promotion's part on a line: the discount and the lowest price in 30 days (nullopt: null).
struct Part {
  Line line;
  std::int64_t amount = 0;
  std::optional<std::int64_t> lowest_30d;
};

json::object header(const std::string& type, const Session& session, std::int64_t version) {
  auto data = contract_example(type);
  data["session_id"] = session.session_id;
  data["user_id"] = session.user_id;
  data["version"] = version;
  data["occurred_at"] = platform::testing::now_rfc3339();
  return data;
}

platform::CloudEvent promotion_event(const std::string& type, const Session& session,
                                     const json::object& data) {
  return platform::testing::test_event(std::string(contracts::kPromotionTopic), session.session_id,
                                       type, std::string(contracts::kPromotionSource),
                                       json::serialize(data));
}

// The fields PromotionApplied and PromoCodeApplied share: the discount, the lines and their parts.
void put_parts(json::object& data, const Session& session, const std::string& promotion_id,
               const std::vector<Part>& parts) {
  data["cart_hash"] = session.cart_hash;
  data["promotion_id"] = promotion_id;
  std::int64_t discount = 0;
  json::array item_ids;
  json::array allocations;
  for (const auto& part : parts) {
    discount += part.amount;
    item_ids.emplace_back(part.line.item_id);
    allocations.emplace_back(
        json::object{{"item_id", part.line.item_id},
                     {"sku", part.line.sku},
                     {"amount", money(part.amount)},
                     {"lowest_price_30d", part.lowest_30d ? json::value(money(*part.lowest_30d))
                                                          : json::value(nullptr)}});
  }
  data["discount"] = money(discount);
  data["item_ids"] = std::move(item_ids);
  data["allocations"] = std::move(allocations);
  data["free_delivery"] = false;
}

// contracts/events/examples/PromotionApplied.json for this session.
platform::CloudEvent applied(const Session& session, std::int64_t version,
                             const std::string& promotion_id, const std::string& name,
                             const std::vector<Part>& parts) {
  const std::string type(et::kPromotionApplied);
  auto data = header(type, session, version);
  put_parts(data, session, promotion_id, parts);
  data["name"] = name;
  return promotion_event(type, session, data);
}

// contracts/events/examples/PromoCodeApplied.json for this session.
platform::CloudEvent code_applied(const Session& session, std::int64_t version,
                                  const std::string& promotion_id, const std::string& code,
                                  const std::vector<Part>& parts) {
  const std::string type(et::kPromoCodeApplied);
  auto data = header(type, session, version);
  put_parts(data, session, promotion_id, parts);
  data["code"] = code;
  return promotion_event(type, session, data);
}

// contracts/events/examples/PromotionRemoved.json for this session.
platform::CloudEvent removed(const Session& session, std::int64_t version,
                             const std::string& promotion_id,
                             const std::optional<std::string>& code = std::nullopt) {
  const std::string type(et::kPromotionRemoved);
  auto data = header(type, session, version);
  data["promotion_id"] = promotion_id;
  data["code"] = code ? json::value(*code) : json::value(nullptr);
  return promotion_event(type, session, data);
}

// contracts/events/examples/PromoCodeInvalid.json for this session.
platform::CloudEvent code_invalid(const Session& session, std::int64_t version) {
  const std::string type(et::kPromoCodeInvalid);
  return promotion_event(type, session, header(type, session, version));
}

class CartPromotionTest : public CartServiceTest {
 protected:
  void SetUp() override {
    user_ = "user-" + platform::new_uuid();
    const auto tag = platform::random_hex(3);  // a sku of its own for each test
    chair_ = unique("PCH-" + tag);
    cable_ = unique("PHDMI-" + tag);
    // Carts under 300 zł of products no promotion applies to by itself (the shipped rules'
    // lowest threshold, free delivery, is 300 zł; furniture and accessories are theirs only with
    // a code or an opt-in, as in the Promotion's test rules): a Promotion instance running beside
    // these tests publishes nothing for these carts.
    put_product(product(chair_, 9999, "furniture"));
    put_product(product(cable_, 5999, "accessory"));
  }

  Line add(const std::string& user, const std::string& sku, int quantity,
           const std::string& type = "offer", const std::string& parent = {}) {
    json::object body{{"type", type}, {"sku", sku}, {"quantity", quantity}};
    if (!parent.empty()) body["parent_item_id"] = parent;
    auto response = call(user, "POST", "/cart/items", json::serialize(body));
    EXPECT_EQ(response.status, 201) << response.body;
    const auto added = json_of(response.body);
    const auto& line = added.at("line").as_object();
    return Line{std::string(line.at("item_id").as_string()),
                std::string(line.at("sku").as_string())};
  }

  // The user's session as the Promotion learns it from cart-events.
  Session session_of(const std::string& user) {
    const auto cart = view(user);
    return Session{user, std::string(cart.at("session_id").as_string()),
                   std::string(cart.at("cart_hash").as_string())};
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

  // "promotion_id:discount" of each promotion shown on a line, in order ("-" when the cart has
  // no such line).
  std::vector<std::string> promotions_of(const std::string& user, const std::string& item_id) {
    const auto cart = view(user);
    const auto* line = line_in(cart, item_id);
    if (line == nullptr) return {"-"};
    std::vector<std::string> shown;
    for (const auto& promotion : line->at("promotions").as_array()) {
      shown.push_back(std::string(promotion.at("promotion_id").as_string()) + ":" +
                      std::to_string(promotion.at("discount").at("amount").as_int64()));
    }
    return shown;
  }

  void send(const platform::CloudEvent& event) {
    EXPECT_TRUE(validates(event)) << event.data;
    publish(event);
  }

  // Waits until the Cart applied the user's promotion event `version`.
  void wait_applied(const std::string& user, std::int64_t version) {
    ASSERT_TRUE(eventually([&] {
      return view(user).at("promotion_version").as_int64() >= version;
    })) << json::serialize(view(user))
        << service_->log_tail();
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

  // Another customer's cart whose promotion event the Cart handles after every event published
  // before it with the key `key` (one key's events are handled in order): when it shows, those
  // were handled.
  void handle_after(const std::string& key) {
    const auto other = "user-" + platform::new_uuid();
    const auto line = add(other, cable_, 1, "accessory");
    auto marker = applied(session_of(other), 1, "promo_marker", "Znacznik", {{line, 100, 5999}});
    marker.key = key;
    send(marker);
    wait_applied(other, 1);
    EXPECT_EQ(promotions_of(other, line.item_id), (std::vector<std::string>{"promo_marker:100"}));
  }

  [[nodiscard]] std::string key(const std::string& prefix) const {
    return prefix + "{" + user_ + "}";
  }

  std::string user_, chair_, cable_;
};

TEST_F(CartPromotionTest, PromotionsAreShownOnTheirLinesWithTheLowestPriceAndNothingElseMoves) {
  const auto chair = add(user_, chair_, 2);
  const auto cable = add(user_, cable_, 1, "accessory", chair.item_id);
  wait_settled(user_);
  const auto session = session_of(user_);
  const auto before = view(user_);
  EXPECT_EQ(before.at("promotion_version").as_int64(), 0);
  EXPECT_TRUE(line_in(before, chair.item_id)->at("promotions").as_array().empty());
  // Its two CartItemAdded (enrichment finds both in stock at the catalog's price: no news).
  ASSERT_TRUE(eventually([&] { return cart_events_of(user_).size() == 2; }));

  send(applied(session, 1, "promo_chair_half", "Drugie krzesło 50% taniej",
               {{chair, 5000, 8999}, {cable, 600, std::nullopt}}));
  wait_applied(user_, 1);
  auto cart = view(user_);
  EXPECT_EQ(json::serialize(line_in(cart, chair.item_id)->at("promotions")),
            R"([{"promotion_id":"promo_chair_half","name":"Drugie krzesło 50% taniej",)"
            R"("code":null,"discount":{"amount":5000,"currency":"PLN"},)"
            R"("lowest_price_30d":{"amount":8999,"currency":"PLN"}}])");
  EXPECT_EQ(json::serialize(line_in(cart, cable.item_id)->at("promotions")),
            R"([{"promotion_id":"promo_chair_half","name":"Drugie krzesło 50% taniej",)"
            R"("code":null,"discount":{"amount":600,"currency":"PLN"},"lowest_price_30d":null}])");
  // A display only: no cart version, no totals, no hash, no line price, no cart event.
  for (const auto* field : {"version", "subtotal", "item_count", "cart_hash", "session_id"}) {
    EXPECT_EQ(cart.at(field), before.at(field)) << field;
  }
  EXPECT_EQ(line_in(cart, chair.item_id)->at("line_total"),
            line_in(before, chair.item_id)->at("line_total"));

  // A code beside it: its code is its name.
  send(code_applied(session, 2, "promo_code_wiosna10", "WIOSNA10",
                    {{chair, 1000, 8999}, {cable, 60, 5999}}));
  wait_applied(user_, 2);
  cart = view(user_);
  const auto& code = line_in(cart, cable.item_id)->at("promotions").as_array().at(1);
  EXPECT_EQ(json::serialize(code),
            R"({"promotion_id":"promo_code_wiosna10","name":"WIOSNA10","code":"WIOSNA10",)"
            R"("discount":{"amount":60,"currency":"PLN"},)"
            R"("lowest_price_30d":{"amount":5999,"currency":"PLN"}})");
  EXPECT_EQ(promotions_of(user_, chair.item_id),
            (std::vector<std::string>{"promo_chair_half:5000", "promo_code_wiosna10:1000"}));

  // Repriced: the promotion's parts replaced as a whole, now on the cable only; it keeps its
  // place there.
  send(applied(session, 3, "promo_chair_half", "Drugie krzesło 50% taniej", {{cable, 900, 5999}}));
  wait_applied(user_, 3);
  EXPECT_EQ(promotions_of(user_, chair.item_id),
            (std::vector<std::string>{"promo_code_wiosna10:1000"}));
  EXPECT_EQ(promotions_of(user_, cable.item_id),
            (std::vector<std::string>{"promo_chair_half:900", "promo_code_wiosna10:60"}));

  // A rejected code changes no line; a removed promotion leaves every line.
  send(code_invalid(session, 4));
  wait_applied(user_, 4);
  EXPECT_EQ(promotions_of(user_, cable.item_id),
            (std::vector<std::string>{"promo_chair_half:900", "promo_code_wiosna10:60"}));
  send(removed(session, 5, "promo_code_wiosna10", "WIOSNA10"));
  wait_applied(user_, 5);
  EXPECT_TRUE(promotions_of(user_, chair.item_id).empty());
  EXPECT_EQ(promotions_of(user_, cable.item_id),
            (std::vector<std::string>{"promo_chair_half:900"}));

  cart = view(user_);
  EXPECT_EQ(cart.at("version"), before.at("version"));
  EXPECT_EQ(cart.at("cart_hash"), before.at("cart_hash"));
  handle_after(session.session_id);
  EXPECT_EQ(cart_events_of(user_).size(), 2U) << "nothing published on cart-events";
}

TEST_F(CartPromotionTest, DuplicatesAndOlderEventsChangeNothing) {
  const auto chair = add(user_, chair_, 1);
  wait_settled(user_);
  const auto session = session_of(user_);
  const auto first = applied(session, 1, "promo_a", "Promocja A", {{chair, 1000, 8999}});
  const auto second = removed(session, 2, "promo_a");
  const auto third = code_applied(session, 3, "promo_b", "KOD-B", {{chair, 2000, std::nullopt}});
  for (const auto* event : {&first, &second, &third}) send(*event);
  wait_applied(user_, 3);
  EXPECT_EQ(promotions_of(user_, chair.item_id), (std::vector<std::string>{"promo_b:2000"}));
  const auto stored = redis({"GET", key("cart:view:")}).as_string();
  const auto stream = redis({"XLEN", key("cart:events:")}).as_integer();

  // Redelivered: the same events again, the newest too, keyed like this session.
  publish(first);
  publish(third);
  publish(second);
  handle_after(session.session_id);

  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), stored) << "not even written again";
  EXPECT_EQ(redis({"XLEN", key("cart:events:")}).as_integer(), stream);
}

TEST_F(CartPromotionTest, RemovingALineDropsItsPromotionsAndTheirLateEventsMoveNoLine) {
  const auto chair = add(user_, chair_, 1);
  const auto cable = add(user_, cable_, 1, "accessory", chair.item_id);
  wait_settled(user_);
  const auto session = session_of(user_);
  send(applied(session, 1, "promo_set", "Zestaw taniej", {{chair, 500, 9999}, {cable, 100, 5999}}));
  wait_applied(user_, 1);
  EXPECT_EQ(promotions_of(user_, cable.item_id), (std::vector<std::string>{"promo_set:100"}));
  const auto version = view(user_).at("version").as_int64();

  ASSERT_EQ(call(user_, "DELETE", "/cart/items/" + chair.item_id).status, 200);
  EXPECT_EQ(promotions_of(user_, chair.item_id), (std::vector<std::string>{"-"}));
  EXPECT_EQ(promotions_of(user_, cable.item_id), (std::vector<std::string>{"-"}));
  EXPECT_EQ(view(user_).at("version").as_int64(), version + 2) << "the two removals only";

  // A late reprice still naming the removed lines: the Cart only moves its version; the line
  // added again is a new line with none.
  send(applied(session, 2, "promo_set", "Zestaw taniej", {{chair, 500, 9999}}));
  wait_applied(user_, 2);
  const auto again = add(user_, chair_, 1);
  EXPECT_TRUE(promotions_of(user_, again.item_id).empty());
}

TEST_F(CartPromotionTest, AnotherSessionsEventChangesNothing) {
  const auto chair = add(user_, chair_, 1);
  wait_settled(user_);
  const auto stored = redis({"GET", key("cart:view:")}).as_string();
  auto stranger = session_of(user_);
  const auto key_of_session = stranger.session_id;
  stranger.session_id = "cs-" + platform::new_uuid();
  auto event = applied(stranger, 7, "promo_a", "Promocja A", {{chair, 1000, 8999}});
  event.key = key_of_session;
  send(event);
  handle_after(key_of_session);
  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), stored);
}

TEST_F(CartPromotionTest, APromotionEventThatBreaksTheContractGoesToTheDeadLetterTopic) {
  const auto chair = add(user_, chair_, 1);
  wait_settled(user_);
  const auto stored = redis({"GET", key("cart:view:")}).as_string();
  platform::testing::EventProbe dead_letters({std::string(contracts::kPromotionTopic) + ".dlq"});
  auto event = applied(session_of(user_), 1, "promo_a", "Promocja A", {{chair, 1000, 8999}});
  auto data = json_of(event.data);
  data["allocations"].as_array().at(0).as_object()["sku"] = "pph-lower";
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
  EXPECT_NE(reason.find("allocations[0]: 'sku'"), std::string::npos) << reason;
  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), stored);
}

}  // namespace
}  // namespace cart::testing
