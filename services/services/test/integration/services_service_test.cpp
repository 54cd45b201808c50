// The Services service through its HTTP API and Kafka: the real services_service binary against
// the test Redis and Kafka, fed cart, shipping and checkout events built from their contracts'
// examples, its services-events recorded by a probe and checked against their JSON Schema.
#include "platform/app/service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "contracts/cart_feed.hpp"
#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/ids.hpp"
#include "platform/testing/contract_events.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/service_process.hpp"

namespace {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::testing::eventually;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kShippingTopic(contracts::kShippingTopic);
const std::string kServicesTopic(contracts::kServicesTopic);

using platform::testing::contract_example;
using platform::testing::now_rfc3339;

using Line = contracts::testing::FeedLine;
using TestCart = contracts::testing::CartFeed;

Line washer() {
  return Line{.item_id = "it-washer",
              .sku = "WASHER-1",
              .category = "washing_machine",
              .unit_price = 199900,
              .flags = {"large_appliance", "needs_installation"},
              .weight_g = 70000};
}

Line service(std::string item_id, std::string sku, std::string parent, std::int64_t price) {
  return Line{.item_id = std::move(item_id),
              .sku = std::move(sku),
              .category = "service",
              .unit_price = price,
              .type = "service",
              .parent = std::move(parent),
              .validated = false};
}

class ServicesServiceTest : public ::testing::Test {
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
    platform::app::ensure_topics({kCartTopic, kCheckoutTopic, kShippingTopic, kServicesTopic});
    suite().probe =
        std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kServicesTopic});
    // A copy of the shipped rules the reload test may edit.
    suite().rules_file = (std::filesystem::temp_directory_path() /
                          ("services_rules-" + platform::new_uuid() + ".yaml"))
                             .string();
    std::filesystem::copy_file(
        std::string(CHECKOUT_SOURCE_DIR) + "/services/services/config/services_rules.yaml",
        suite().rules_file);
    suite().service = std::make_unique<platform::testing::ServiceProcess>(
        SERVICES_SERVICE_BINARY,
        platform::testing::Env{{"SERVICES_RULES_FILE", suite().rules_file}});
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

  static platform::CloudEvent session_event(const std::string& topic, const std::string& type,
                                            const TestCart& cart, std::int64_t version,
                                            json::object fields) {
    auto data = contract_example(type);
    data["session_id"] = cart.session();
    data["user_id"] = cart.user();
    data["version"] = version;
    data["occurred_at"] = now_rfc3339();
    for (auto& [key, value] : fields) data[key] = value;
    return platform::testing::test_event(topic, cart.session(), type, "/checkout/test",
                                         json::serialize(data));
  }
  static platform::CloudEvent method_selected(const TestCart& cart, std::int64_t version,
                                              const std::string& method) {
    return session_event(kShippingTopic, std::string(et::kShippingMethodSelected), cart, version,
                         {{"method_id", method}});
  }
  static platform::CloudEvent method_cleared(const TestCart& cart, std::int64_t version) {
    return session_event(kShippingTopic, std::string(et::kShippingMethodCleared), cart, version,
                         {});
  }
  static platform::CloudEvent order_created(const TestCart& cart) {
    return session_event(kCheckoutTopic, std::string(et::kOrderCreated), cart, 1, {});
  }

  // The session's ServiceAvailabilityCalculated events, in order.
  static std::vector<json::object> published(const TestCart& cart) {
    std::vector<json::object> data;
    for (const auto& event : suite().probe->matching(
             [&](const platform::CloudEvent& e) { return e.key == cart.session(); })) {
      if (auto violation = platform::testing::contract_violation(event)) {
        ADD_FAILURE() << event.type << ": " << *violation;
      }
      data.push_back(json::parse(event.data).as_object());
    }
    return data;
  }
  // Waits for the session's n-th event (1-based) and returns it.
  static json::object nth_event(const TestCart& cart, std::size_t n) {
    std::vector<json::object> events;
    EXPECT_TRUE(eventually([&] {
      events = published(cart);
      return events.size() >= n;
    })) << "no event #"
        << n << " for " << cart.session() << "\n"
        << suite().service->log_tail();
    return events.size() >= n ? events[n - 1] : json::object{};
  }

  static json::object get(const std::string& user, const std::string& target, int status = 200) {
    auto response = suite().service->call(user, "GET", target);
    EXPECT_EQ(response.status, status) << target << ": " << response.body;
    return json::parse(response.body).as_object();
  }

  // GET /services/available once the service followed `cart` to its version.
  static json::object available(const TestCart& cart) {
    json::object doc;
    EXPECT_TRUE(eventually([&] {
      doc = get(cart.user(), "/services/available");
      return doc.at("cart_hash") == json::value(cart.hash(cart.version()));
    })) << suite().service->log_tail();
    return doc;
  }

  static const json::value* offer(const json::value& services, std::string_view sku) {
    for (const auto& s : services.as_array()) {
      if (s.at("sku").as_string() == sku) return &s;
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
  static std::string replace_once(std::string text, std::string_view from, std::string_view to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  std::string unique(const std::string& base) const { return base + "-" + platform::new_uuid(); }

  Line washer_ = washer();
};

TEST_F(ServicesServiceTest, ACartChangePublishesTheServicesWithReasonsAndTheApiShowsThem) {
  TestCart cart(unique("u"));
  publish(cart.put(washer_));
  const auto event = nth_event(cart, 1);
  EXPECT_EQ(event.at("cart_version").as_int64(), 1);
  EXPECT_TRUE(event.at("delivery_method").is_null());
  const auto& line = event.at("items").at(0);
  EXPECT_EQ(line.at("item_id").as_string(), "it-washer");
  EXPECT_NE(offer(line.at("services"), "SRV-INSTALL-WASHER"), nullptr);
  const auto* assembly = offer(line.at("unavailable"), "SRV-ASSEMBLY");
  ASSERT_NE(assembly, nullptr);
  EXPECT_EQ(assembly->at("reason").at("code").as_string(), "not_applicable");

  const auto doc = available(cart);
  EXPECT_EQ(doc.at("session_id").as_string(), cart.session());
  const auto* install = offer(doc.at("items").at(0).at("services"), "SRV-INSTALL-WASHER");
  ASSERT_NE(install, nullptr);
  EXPECT_TRUE(install->at("available").as_bool());
  EXPECT_EQ(install->at("price").at("amount").as_int64(), 12900);
  EXPECT_EQ(install->at("max_quantity").as_int64(), 1);
  EXPECT_FALSE(
      offer(doc.at("items").at(0).at("services"), "SRV-ASSEMBLY")->at("available").as_bool());
  EXPECT_EQ(get(cart.user(), "/services/for-item/it-washer").at("item_id").as_string(),
            "it-washer");
  EXPECT_EQ(get(cart.user(), "/services/standalone").at("standalone").as_array().size(),
            doc.at("standalone").as_array().size());

  // Another customer sees none of it, and cannot reach the line.
  const auto stranger = unique("stranger");
  EXPECT_TRUE(get(stranger, "/services/available").at("session_id").is_null());
  get(stranger, "/services/for-item/it-washer", 404);
  get(cart.user(), "/services/for-item/no-such-line", 404);
}

TEST_F(ServicesServiceTest, AServiceLineGetsItsVerdictAndRepeatedOrOldEventsChangeNothing) {
  TestCart cart(unique("u"));
  publish(cart.put(washer_));
  auto install = service("it-install", "SRV-INSTALL-WASHER", "it-washer", 15000);
  install.quantity = 2;
  publish(cart.put(install));
  const auto second = nth_event(cart, 2);
  ASSERT_EQ(second.at("service_lines").as_array().size(), 1U);
  const auto& verdict = second.at("service_lines").at(0);
  EXPECT_TRUE(verdict.at("allowed").as_bool());
  EXPECT_EQ(verdict.at("unit_price").at("amount").as_int64(), 12900) << "the rules' price";
  EXPECT_EQ(verdict.at("quantity").as_int64(), 1) << "one installation per washing machine";
  EXPECT_EQ(verdict.at("reason").at("code").as_string(), "quantity_reduced");

  // The Cart applies it: the line validated, cut, repriced. The verdict no longer needs a reason
  // (one more event); then nothing waits any more, and an unchanged availability says nothing.
  install.quantity = 1;
  install.unit_price = 12900;
  install.validated = true;
  publish(cart.put(install, std::string(et::kCartItemValidated)));
  auto stale = cart;  // a second writer of the same versions
  const auto repriced = cart.put(washer_, std::string(et::kCartItemPriceChanged));
  publish(repriced);
  available(cart);
  const auto validated = nth_event(cart, 3);
  EXPECT_TRUE(validated.at("service_lines").at(0).at("reason").is_null());
  // Redelivered, and an event of a version the copy already has.
  publish(repriced);
  publish(stale.put(service("it-other", "SRV-ASSEMBLY", "it-washer", 14900)));
  publish(cart.put(washer_, std::string(et::kCartItemPriceChanged)));
  available(cart);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(published(cart).size(), 3U);
  EXPECT_EQ(get(cart.user(), "/services/available").at("service_lines").as_array().size(), 1U)
      << "the stale line was never applied";
}

TEST_F(ServicesServiceTest,
       TheDeliveryMethodRefusesCarryInWithAParcelLockerAndTheClearBringsItBack) {
  TestCart cart(unique("u"));
  publish(cart.put(washer_));
  publish(cart.put(service("it-carry", "SRV-CARRY-IN", "it-washer", 9900)));
  nth_event(cart, 2);
  publish(method_selected(cart, 1, "parcel_locker"));
  const auto refused = nth_event(cart, 3);
  EXPECT_EQ(refused.at("delivery_method").as_string(), "parcel_locker");
  EXPECT_FALSE(refused.at("service_lines").at(0).at("allowed").as_bool());
  EXPECT_EQ(refused.at("service_lines").at(0).at("reason").at("code").as_string(),
            "method_excluded");
  // An older shipping event after a newer one changes nothing; the clear (newer) brings it back.
  publish(method_selected(cart, 1, "courier"));
  publish(method_cleared(cart, 2));
  const auto back = nth_event(cart, 4);
  EXPECT_TRUE(back.at("delivery_method").is_null());
  EXPECT_TRUE(back.at("service_lines").at(0).at("allowed").as_bool());
  EXPECT_EQ(published(cart).size(), 4U);
}

TEST_F(ServicesServiceTest, OrderCreatedEndsTheSession) {
  TestCart cart(unique("u"));
  publish(cart.put(washer_));
  available(cart);
  publish(order_created(cart));
  EXPECT_TRUE(eventually(
      [&] { return get(cart.user(), "/services/available").at("session_id").is_null(); }));
  publish(cart.put(service("it-late", "SRV-INSTALL-WASHER", "it-washer", 12900)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(published(cart).size(), 1U) << "a late event of an ended session publishes nothing";
  EXPECT_TRUE(get(cart.user(), "/services/available").at("session_id").is_null());
}

TEST_F(ServicesServiceTest, RulesReloadOnSighupAndABadFileKeepsTheOldOnes) {
  TestCart cart(unique("u"));
  publish(cart.put(washer_));
  auto price_of_install = [&] {
    return offer(get(cart.user(), "/services/for-item/it-washer").at("services"),
                 "SRV-INSTALL-WASHER")
        ->at("price")
        .at("amount")
        .as_int64();
  };
  available(cart);
  ASSERT_EQ(price_of_install(), 12900);
  const auto original = read_rules();
  write_rules(replace_once(original, "price: 12900", "price: 13900"));
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] { return price_of_install() == 13900; }))
      << suite().service->log_tail();
  write_rules(replace_once(original, "kind: standalone", "kind: sometimes"));
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] {
    return suite().service->metric(R"(rules_reload_total{rules="services",result="invalid"})") >= 1;
  })) << suite().service->log_tail();
  EXPECT_EQ(price_of_install(), 13900) << "the bad file is rejected, the last good rules stay";
  write_rules(original);
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] { return price_of_install() == 12900; }));
}

}  // namespace
