// The Warranty service through its HTTP API and Kafka: the real warranty_service binary against
// the test Redis and Kafka, fed cart and checkout events built from their contracts' examples, its
// warranty-events recorded by a probe and checked against their JSON Schemas.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "contracts/cart_feed.hpp"
#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/testing/contract_events.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/service_process.hpp"

namespace {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::testing::contract_example;
using platform::testing::eventually;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kWarrantyTopic(contracts::kWarrantyTopic);
using Line = contracts::testing::FeedLine;
using TestCart = contracts::testing::CartFeed;

class WarrantyServiceTest : public ::testing::Test {
 protected:
  struct Suite {
    std::string rules_file;
    std::unique_ptr<platform::testing::ServiceProcess> service;
    std::unique_ptr<platform::testing::EventProbe> probe;
  };
  static Suite& suite() {
    static Suite shared;
    return shared;
  }

  static void SetUpTestSuite() {
    platform::app::ensure_topics({kCartTopic, kCheckoutTopic, kWarrantyTopic});
    suite().probe =
        std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kWarrantyTopic});
    // A copy of the shipped rules the reload test may edit.
    suite().rules_file = (std::filesystem::temp_directory_path() /
                          ("warranty_rules-" + platform::new_uuid() + ".yaml"))
                             .string();
    std::filesystem::copy_file(
        std::string(CHECKOUT_SOURCE_DIR) + "/services/warranty/config/warranty_rules.yaml",
        suite().rules_file);
    suite().service = std::make_unique<platform::testing::ServiceProcess>(
        WARRANTY_SERVICE_BINARY,
        platform::testing::Env{{"WARRANTY_RULES_FILE", suite().rules_file}});
    ASSERT_NO_THROW(suite().service->start());
  }

  static void TearDownTestSuite() {
    suite().service.reset();
    suite().probe.reset();
    std::filesystem::remove(suite().rules_file);
  }

  static void publish(const platform::CloudEvent& event) {
    auto status = platform::testing::publish_event(event);
    ASSERT_TRUE(status) << status.error().message;
  }

  static platform::CloudEvent order_created(const TestCart& cart) {
    auto data = contract_example(et::kOrderCreated);
    data["session_id"] = cart.session();
    data["user_id"] = cart.user();
    data["occurred_at"] = platform::testing::now_rfc3339();
    return platform::testing::test_event(kCheckoutTopic, cart.session(),
                                         std::string(et::kOrderCreated), "/checkout/test",
                                         json::serialize(data));
  }

  // The session's warranty events (type, data), in order, each checked against its schema.
  static std::vector<std::pair<std::string, json::object>> published(const TestCart& cart) {
    std::vector<std::pair<std::string, json::object>> events;
    for (const auto& event : suite().probe->matching(
             [&](const platform::CloudEvent& e) { return e.key == cart.session(); })) {
      if (auto violation = platform::testing::contract_violation(event)) {
        ADD_FAILURE() << event.type << ": " << *violation;
      }
      events.emplace_back(event.type, json::parse(event.data).as_object());
    }
    return events;
  }
  // Waits for the session's n-th event (1-based) and returns it.
  static std::pair<std::string, json::object> nth_event(const TestCart& cart, std::size_t n) {
    std::vector<std::pair<std::string, json::object>> events;
    EXPECT_TRUE(eventually([&] {
      events = published(cart);
      return events.size() >= n;
    })) << "no event #"
        << n << " for " << cart.session() << "\n"
        << suite().service->log_tail();
    return events.size() >= n ? events[n - 1] : std::pair<std::string, json::object>{};
  }

  static platform::testing::HttpResult call(const std::string& user, const std::string& method,
                                            const std::string& target,
                                            const std::string& body = "") {
    return suite().service->call(user, method, target, body);
  }
  static json::object expect(const platform::testing::HttpResult& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
    return json::parse(response.body).as_object();
  }
  // GET /warranty/available once the service has the line with `quantity` units.
  static json::object available(const TestCart& cart, const std::string& item_id,
                                std::int64_t quantity = 1) {
    json::object doc;
    EXPECT_TRUE(eventually([&] {
      auto response = call(cart.user(), "GET", "/warranty/available?item_id=" + item_id);
      if (response.status != 200) return false;
      doc = json::parse(response.body).as_object();
      return doc.at("quantity").as_int64() == quantity;
    })) << suite().service->log_tail();
    return doc;
  }
  static platform::testing::HttpResult select(const TestCart& cart, const std::string& item_id,
                                              const std::string& plan) {
    return call(cart.user(), "POST", "/warranty/select",
                json::serialize(json::object{{"item_id", item_id}, {"warranty_id", plan}}));
  }
  static const json::value* plan_in(const json::value& list, std::string_view id) {
    for (const auto& plan : list.as_array()) {
      if (plan.at("warranty_id").as_string() == id) return &plan;
    }
    return nullptr;
  }

  static std::string read_rules() {
    std::ifstream in(suite().rules_file);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void write_rules(const std::string& text) {
    std::ofstream(suite().rules_file, std::ios::trunc) << text;
  }

  std::string unique(const std::string& base) const { return base + "-" + platform::new_uuid(); }
};

TEST_F(WarrantyServiceTest, AChosenPlanIsPublishedAndShownWithTheOffers) {
  TestCart cart(unique("u"));
  publish(cart.put({.item_id = "it-phone"}));
  const auto offers = available(cart, "it-phone");
  EXPECT_EQ(offers.at("session_id").as_string(), cart.session());
  EXPECT_EQ(offers.at("manufacturer_warranty_months").as_int64(), 24);
  const auto* ext = plan_in(offers.at("offers"), "ext_24m");
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->at("unit_price").at("amount").as_int64(), 29988) << "12% of 2 499,00 zł";
  EXPECT_FALSE(ext->at("selected").as_bool());
  EXPECT_NE(plan_in(offers.at("offers"), "theft_12m"), nullptr);

  const auto chosen = expect(select(cart, "it-phone", "ext_24m"), 200);
  EXPECT_EQ(chosen.at("version").as_int64(), 1);
  ASSERT_EQ(chosen.at("selected").as_array().size(), 1U);
  const auto [type, data] = nth_event(cart, 1);
  EXPECT_EQ(type, et::kWarrantySelected);
  EXPECT_EQ(data.at("plan_id").as_string(), "ext_24m");
  EXPECT_EQ(data.at("price").at("amount").as_int64(), 29988);
  EXPECT_EQ(data.at("user_id").as_string(), cart.user());

  const auto after = expect(call(cart.user(), "GET", "/warranty/available?item_id=it-phone"), 200);
  EXPECT_TRUE(plan_in(after.at("offers"), "ext_24m")->at("selected").as_bool());
  EXPECT_EQ(after.at("selected").as_array().size(), 1U);
  // Choosing it again changes nothing and publishes nothing.
  expect(select(cart, "it-phone", "ext_24m"), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(published(cart).size(), 1U);
}

TEST_F(WarrantyServiceTest, PlansFollowTheirLineAndRepeatedOrOldEventsChangeNothing) {
  TestCart cart(unique("u"));
  Line phone{.item_id = "it-phone"};
  publish(cart.put(phone));
  available(cart, "it-phone");
  expect(select(cart, "it-phone", "ext_12m"), 200);
  expect(select(cart, "it-phone", "theft_12m"), 200);
  nth_event(cart, 2);

  phone.quantity = 3;
  auto stale = cart;  // a writer of versions the service already has
  const auto tripled = cart.put(phone, std::string(et::kCartItemQuantityChanged));
  publish(tripled);
  const auto [type, repriced] = nth_event(cart, 3);
  EXPECT_EQ(type, et::kWarrantySelected);
  EXPECT_EQ(repriced.at("quantity").as_int64(), 3);
  EXPECT_EQ(repriced.at("price").at("amount").as_int64(), 3 * 19992);
  EXPECT_EQ(nth_event(cart, 4).second.at("price").at("amount").as_int64(), 3 * 14900);

  publish(tripled);  // redelivered
  publish(stale.put(Line{.item_id = "it-phone", .quantity = 5},
                    std::string(et::kCartItemQuantityChanged)));  // an old version
  publish(cart.put(phone, std::string(et::kCartItemRemoved)));
  const auto [removed_type, removed] = nth_event(cart, 5);
  EXPECT_EQ(removed_type, et::kWarrantyRemoved);
  EXPECT_EQ(removed.at("reason").as_string(), "parent_removed");
  EXPECT_EQ(nth_event(cart, 6).second.at("reason").as_string(), "parent_removed");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto events = published(cart);
  EXPECT_EQ(events.size(), 6U);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].second.at("version").as_int64(), static_cast<std::int64_t>(i + 1));
  }
  expect(call(cart.user(), "GET", "/warranty/available?item_id=it-phone"), 404);
}

// A guest's cart merged into a user's at sign-in, as the Cart publishes it: the user's session
// gets the line events and CartMerged, the guest's its removals (another partition: followed
// before or after the merge).
TEST_F(WarrantyServiceTest, AMergedGuestsPlansFollowItsLineIntoTheUsersSession) {
  TestCart guest(unique("guest"));
  TestCart user(unique("u"));
  publish(guest.put({.item_id = "it-guest-phone"}));
  available(guest, "it-guest-phone");
  expect(select(guest, "it-guest-phone", "ext_24m"), 200);
  expect(select(guest, "it-guest-phone", "theft_12m"), 200);
  nth_event(guest, 2);

  publish(user.put({.item_id = "it-user-phone", .quantity = 2}));
  const auto merged = user.merged(guest, {{"it-guest-phone", "it-user-phone"}});
  publish(merged);
  publish(guest.put({.item_id = "it-guest-phone"}, std::string(et::kCartItemRemoved)));

  const auto [type, extended] = nth_event(user, 1);
  EXPECT_EQ(type, et::kWarrantySelected);
  EXPECT_EQ(extended.at("item_id").as_string(), "it-user-phone");
  EXPECT_EQ(extended.at("plan_id").as_string(), "ext_24m");
  EXPECT_EQ(extended.at("quantity").as_int64(), 2) << "priced for the user's line";
  EXPECT_EQ(extended.at("price").at("amount").as_int64(), 2 * 29988);
  EXPECT_EQ(extended.at("version").as_int64(), 1);
  EXPECT_EQ(nth_event(user, 2).second.at("plan_id").as_string(), "theft_12m");
  EXPECT_EQ(nth_event(guest, 3).second.at("reason").as_string(), "parent_removed");
  EXPECT_EQ(nth_event(guest, 4).second.at("reason").as_string(), "parent_removed");

  publish(merged);  // redelivered
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(published(user).size(), 2U) << "a redelivered CartMerged publishes nothing";
  EXPECT_EQ(available(user, "it-user-phone", 2).at("selected").as_array().size(), 2U);
}

TEST_F(WarrantyServiceTest, PlansFollowAMergeAlsoWhenTheGuestsLineLeftFirst) {
  TestCart guest(unique("guest"));
  TestCart user(unique("u"));
  publish(guest.put({.item_id = "it-guest-phone"}));
  available(guest, "it-guest-phone");
  expect(select(guest, "it-guest-phone", "ext_12m"), 200);
  publish(guest.put({.item_id = "it-guest-phone"}, std::string(et::kCartItemRemoved)));
  EXPECT_EQ(nth_event(guest, 2).first, et::kWarrantyRemoved);

  // The user already had the phone with a plan of the same kind: theirs stays.
  publish(user.put({.item_id = "it-user-phone"}));
  publish(
      user.put({.item_id = "it-user-tv", .sku = "SKU-2", .category = "tv", .unit_price = 329900}));
  available(user, "it-user-tv");
  expect(select(user, "it-user-phone", "ext_24m"), 200);
  nth_event(user, 1);
  publish(user.put({.item_id = "it-user-phone", .quantity = 2},
                   std::string(et::kCartItemQuantityChanged)));
  nth_event(user, 2);  // the user's own plan repriced for 2
  publish(user.merged(guest, {{"it-guest-phone", "it-user-phone"}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(published(user).size(), 2U) << "the line has an extended plan of the user's choice";

  // A second guest's plan for the TV (released already) goes to the user's TV line.
  TestCart second(unique("guest"));
  publish(second.put({.item_id = "it-guest-tv", .category = "tv", .unit_price = 329900}));
  available(second, "it-guest-tv");
  expect(select(second, "it-guest-tv", "ext_12m"), 200);
  publish(second.put({.item_id = "it-guest-tv", .category = "tv", .unit_price = 329900},
                     std::string(et::kCartItemRemoved)));
  nth_event(second, 2);
  publish(user.merged(second, {{"it-guest-tv", "it-user-tv"}}));
  const auto [type, carried] = nth_event(user, 3);
  EXPECT_EQ(type, et::kWarrantySelected);
  EXPECT_EQ(carried.at("item_id").as_string(), "it-user-tv");
  EXPECT_EQ(carried.at("plan_id").as_string(), "ext_12m");
}

TEST_F(WarrantyServiceTest, RefusalsChangeNothing) {
  TestCart cart(unique("u"));
  publish(cart.put({.item_id = "it-tv", .category = "tv", .unit_price = 329900}));
  publish(cart.put(
      {.item_id = "it-cable", .category = "accessory", .unit_price = 4900, .type = "accessory"}));
  available(cart, "it-cable");

  const auto theft = expect(select(cart, "it-tv", "theft_12m"), 422);
  EXPECT_NE(theft.at("type").as_string().find("not_eligible"), std::string::npos);
  expect(select(cart, "it-cable", "ext_12m"), 422);
  const auto unknown = expect(select(cart, "it-tv", "ext_99m"), 422);
  EXPECT_NE(unknown.at("type").as_string().find("unknown_warranty"), std::string::npos);
  expect(select(cart, "it-tv", "NOT A PLAN"), 422);
  expect(call(cart.user(), "POST", "/warranty/select", "{\"item_id\": 1"), 400);
  expect(call(cart.user(), "POST", "/warranty/select", R"({"item_id":"it-tv"})"), 422);
  expect(call(cart.user(), "GET", "/warranty/available"), 400);

  // Another customer reaches none of this cart's lines, with the same ids.
  TestCart other(unique("intruder"));
  expect(call(other.user(), "GET", "/warranty/available?item_id=it-tv"), 404);
  expect(select(other, "it-tv", "ext_12m"), 404);
  expect(call(other.user(), "DELETE", "/warranty/it-tv"), 404);
  expect(call("", "GET", "/warranty/available?item_id=it-tv"), 401);

  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(published(cart).empty());
  EXPECT_TRUE(available(cart, "it-tv").at("selected").as_array().empty());
}

TEST_F(WarrantyServiceTest, TheCustomerRemovesOnePlanOrAll) {
  TestCart cart(unique("u"));
  publish(cart.put({.item_id = "it-laptop", .category = "laptop", .unit_price = 459900}));
  available(cart, "it-laptop");
  expect(select(cart, "it-laptop", "ext_36m"), 200);
  expect(select(cart, "it-laptop", "accidental_24m"), 200);
  expect(select(cart, "it-laptop", "theft_12m"), 200);
  const auto one =
      expect(call(cart.user(), "DELETE", "/warranty/it-laptop?warranty_id=theft_12m"), 200);
  EXPECT_EQ(one.at("selected").as_array().size(), 2U);
  const auto [type, removed] = nth_event(cart, 4);
  EXPECT_EQ(type, et::kWarrantyRemoved);
  EXPECT_EQ(removed.at("plan_id").as_string(), "theft_12m");
  EXPECT_EQ(removed.at("reason").as_string(), "removed_by_customer");
  const auto all = expect(call(cart.user(), "DELETE", "/warranty/it-laptop"), 200);
  EXPECT_TRUE(all.at("selected").as_array().empty());
  nth_event(cart, 6);
  expect(call(cart.user(), "DELETE", "/warranty/it-laptop"), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(published(cart).size(), 6U) << "removing nothing publishes nothing";
}

TEST_F(WarrantyServiceTest, OrderCreatedEndsTheSession) {
  TestCart cart(unique("u"));
  publish(cart.put({.item_id = "it-phone"}));
  available(cart, "it-phone");
  expect(select(cart, "it-phone", "ext_12m"), 200);
  publish(order_created(cart));
  EXPECT_TRUE(eventually([&] {
    return call(cart.user(), "GET", "/warranty/available?item_id=it-phone").status == 404;
  }));
  expect(select(cart, "it-phone", "ext_24m"), 404);
  publish(
      cart.put({.item_id = "it-phone", .quantity = 2}, std::string(et::kCartItemQuantityChanged)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(published(cart).size(), 1U) << "a late event of an ended session publishes nothing";
}

TEST_F(WarrantyServiceTest, RulesReloadOnSighupAndABadFileKeepsTheOldOnes) {
  TestCart cart(unique("u"));
  publish(cart.put({.item_id = "it-phone"}));
  auto price_of_theft = [&] {
    const auto doc = expect(call(cart.user(), "GET", "/warranty/available?item_id=it-phone"), 200);
    return plan_in(doc.at("offers"), "theft_12m")->at("unit_price").at("amount").as_int64();
  };
  available(cart, "it-phone");
  ASSERT_EQ(price_of_theft(), 14900);
  const auto original = read_rules();
  auto cheaper = original;
  cheaper.replace(cheaper.find("fixed: 14900 }"), 12, "fixed: 12900");  // not the comment's
  write_rules(cheaper);
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] { return price_of_theft() == 12900; })) << suite().service->log_tail();
  auto broken = original;
  broken.replace(broken.find("kind: theft"), 11, "kind: burglary");
  write_rules(broken);
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] {
    return suite().service->metric(R"(rules_reload_total{rules="warranty",result="invalid"})") >= 1;
  })) << suite().service->log_tail();
  EXPECT_EQ(price_of_theft(), 12900) << "the bad file is rejected, the last good rules stay";
  write_rules(original);
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] { return price_of_theft() == 14900; }));
}

}  // namespace
