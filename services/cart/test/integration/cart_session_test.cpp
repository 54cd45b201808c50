// The Cart ends a checkout session on OrderCreated (checkout-events, consumer group cart-session):
// the real cart_service binary, its Redis keys and the events it publishes.
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

// contracts/events/examples/OrderCreated.json as the Checkout would publish it for this user's
// session.
platform::CloudEvent order_created(const std::string& user_id, const std::string& session_id) {
  std::ifstream file(std::string(CHECKOUT_SOURCE_DIR) +
                     "/contracts/events/examples/OrderCreated.json");
  std::stringstream example;
  example << file.rdbuf();
  auto data = json::parse(example.str()).as_object();
  data["session_id"] = session_id;
  data["user_id"] = user_id;
  return platform::testing::test_event(std::string(contracts::kCheckoutTopic), session_id,
                                       std::string(contracts::event_type::kOrderCreated),
                                       std::string(contracts::kCheckoutSource),
                                       json::serialize(data));
}

class CartSessionTest : public CartServiceTest {
 protected:
  void SetUp() override {
    user_ = "user-" + platform::new_uuid();
    tv_ = unique("SESSION-TV-" + std::to_string(++counter_));
    cable_ = unique("SESSION-HDMI-" + std::to_string(counter_));
    put_product(product(tv_, 329900));
    put_product(product(cable_, 5999, "accessory"));
  }

  json::object add(const std::string& user, const std::string& sku, int quantity) {
    auto response = call(
        user, "POST", "/cart/items",
        json::serialize(json::object{{"type", "offer"}, {"sku", sku}, {"quantity", quantity}}));
    EXPECT_EQ(response.status, 201) << response.body;
    return json_of(response.body);
  }

  json::object view(const std::string& user) {
    auto response = call(user, "GET", "/cart");
    EXPECT_EQ(response.status, 200) << response.body;
    return json_of(response.body);
  }

  static std::string session_of(const json::object& cart) {
    const auto& session = cart.at("session_id");
    return session.is_string() ? std::string(session.as_string()) : std::string();
  }

  // Publishes the order and waits until the user's session is over.
  void end_with(const platform::CloudEvent& order, const std::string& user) {
    EXPECT_TRUE(validates(order));
    publish(order);
    ASSERT_TRUE(eventually([&] { return session_of(view(user)).empty(); }))
        << json::serialize(view(user)) << service_->log_tail();
  }

  // Waits until enrichment has caught up with every line, so the view stops changing.
  void wait_settled() {
    ASSERT_TRUE(eventually([&] {
      const auto cart = view(user_);
      for (const auto& line : cart.at("lines").as_array()) {
        if (line.at("enrichment").as_string() != "enriched") return false;
      }
      return true;
    })) << json::serialize(view(user_));
  }

  std::string key(const std::string& prefix) const { return prefix + "{" + user_ + "}"; }

  static inline int counter_ = 0;
  std::string user_, tv_, cable_;
};

TEST_F(CartSessionTest, OrderCreatedEndsTheSessionAndTheNextChangeOpensANewOne) {
  add(user_, tv_, 1);
  add(user_, cable_, 2);
  const auto session = session_of(view(user_));
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(redis({"SISMEMBER", "cart:holders:{" + tv_ + "}", user_}).as_integer(), 1);

  end_with(order_created(user_, session), user_);

  const auto cart = view(user_);
  EXPECT_TRUE(cart.at("session_id").is_null());
  EXPECT_EQ(cart.at("version").as_int64(), 0);
  EXPECT_EQ(cart.at("item_count").as_int64(), 0);
  EXPECT_TRUE(cart.at("lines").as_array().empty());
  EXPECT_EQ(redis({"GET", key("cart:counter:")}).as_integer(), 0);
  EXPECT_GT(redis({"PTTL", key("cart:counter:")}).as_integer(), 0) << "it still expires";
  EXPECT_GT(redis({"PTTL", key("cart:view:")}).as_integer(), 0);
  EXPECT_EQ(redis({"EXISTS", key("cart:events:")}).as_integer(), 0);
  for (const auto& sku : {tv_, cable_}) {
    EXPECT_EQ(redis({"SISMEMBER", "cart:holders:{" + sku + "}", user_}).as_integer(), 0) << sku;
  }

  // The next change opens a new session, from version 0 again.
  const auto added = add(user_, tv_, 1);
  EXPECT_EQ(added.at("cart_version").as_int64(), 1);
  const auto next_session = session_of(view(user_));
  ASSERT_FALSE(next_session.empty());
  EXPECT_NE(next_session, session);
  EXPECT_GE(redis({"XLEN", key("cart:events:")}).as_integer(), 1);
  EXPECT_EQ(redis({"SISMEMBER", "cart:holders:{" + tv_ + "}", user_}).as_integer(), 1);

  const auto added_in = [&](const std::string& in_session) {
    for (const auto& e : cart_events_of(user_)) {
      if (e.type == contracts::event_type::kCartItemAdded && e.key == in_session) return e;
    }
    return platform::CloudEvent{};
  };
  ASSERT_TRUE(eventually([&] { return !added_in(next_session).id.empty(); }));
  const auto event = added_in(next_session);
  EXPECT_TRUE(validates(event));
  const auto data = json_of(event.data);
  EXPECT_EQ(data.at("session_id").as_string(), next_session);
  EXPECT_EQ(data.at("version").as_int64(), 1);
  EXPECT_EQ(data.at("line").at("sku").as_string(), tv_);

  // The end of a session publishes nothing: every service ends its own state on OrderCreated.
  for (const auto& e : cart_events_of(user_)) {
    EXPECT_NE(e.type, contracts::event_type::kCartItemRemoved) << e.data;
  }
}

TEST_F(CartSessionTest, ARepeatedOrOldOrderCreatedChangesNothing) {
  add(user_, tv_, 1);
  const auto old_session = session_of(view(user_));
  const auto order = order_created(user_, old_session);
  end_with(order, user_);

  add(user_, cable_, 3);
  const auto session = session_of(view(user_));
  ASSERT_FALSE(session.empty());
  wait_settled();
  const auto view_before = redis({"GET", key("cart:view:")}).as_string();
  const auto stream_before = redis({"XLEN", key("cart:events:")}).as_integer();

  // The same event delivered again, and another order of the old session, after the new session
  // opened.
  publish(order);
  publish(order_created(user_, old_session));
  // A marker the Cart handles after both (one key's events are handled in order): another
  // user's order, keyed like the old session's.
  const auto other = "user-" + platform::new_uuid();
  add(other, tv_, 1);
  auto marker = order_created(other, session_of(view(other)));
  marker.key = old_session;
  end_with(marker, other);

  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), view_before);
  EXPECT_EQ(redis({"GET", key("cart:counter:")}).as_integer(), 3);
  EXPECT_EQ(redis({"XLEN", key("cart:events:")}).as_integer(), stream_before);
  EXPECT_EQ(session_of(view(user_)), session);
  EXPECT_EQ(redis({"SISMEMBER", "cart:holders:{" + cable_ + "}", user_}).as_integer(), 1);
}

TEST_F(CartSessionTest, AnotherSessionsOrderLeavesTheCartAsItIs) {
  add(user_, tv_, 2);
  wait_settled();
  const auto view_before = redis({"GET", key("cart:view:")}).as_string();
  // Keyed like this cart's session: handled before the marker below.
  const auto session = session_of(view(user_));
  auto stranger = order_created(user_, "cs-" + platform::new_uuid());
  stranger.key = session;
  publish(stranger);
  const auto other = "user-" + platform::new_uuid();
  add(other, cable_, 1);
  auto marker = order_created(other, session_of(view(other)));
  marker.key = session;
  end_with(marker, other);
  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), view_before);
}

TEST_F(CartSessionTest, AnOrderCreatedWithoutItsSessionGoesToTheDeadLetterTopic) {
  add(user_, tv_, 1);
  wait_settled();
  const auto before = redis({"GET", key("cart:view:")}).as_string();
  platform::testing::EventProbe dead_letters({std::string(contracts::kCheckoutTopic) + ".dlq"});
  auto order = order_created(user_, session_of(view(user_)));
  auto data = json_of(order.data);
  data.erase("session_id");
  order.data = json::serialize(data);
  publish(order);
  const auto dead = [&] {
    return dead_letters.matching([&](const auto& e) { return e.id == order.id; });
  };
  ASSERT_TRUE(eventually([&] { return !dead().empty(); })) << service_->log_tail();
  const auto letter = dead().front();
  std::string reason;
  for (const auto& [name, value] : letter.extra_headers) {
    if (name == "dlq_error") reason = value;
  }
  EXPECT_NE(reason.find("session_id"), std::string::npos) << reason;
  EXPECT_EQ(redis({"GET", key("cart:view:")}).as_string(), before);
}

}  // namespace
}  // namespace cart::testing
