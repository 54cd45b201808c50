#pragma once
// The fixture of the Checkout's integration tests: the real checkout_service binary against the
// test Redis, Kafka and PostgreSQL, fed every other service's events built from their contracts'
// examples; its checkout-events recorded by a probe and checked against their JSON Schemas.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

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

namespace checkout::testing {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::testing::contract_example;
using platform::testing::eventually;
using Line = contracts::testing::FeedLine;
using TestCart = contracts::testing::CartFeed;

const std::string kCheckoutTopic(contracts::kCheckoutTopic);

inline std::vector<std::string> all_topics() {
  return {std::string(contracts::kCartTopic),      std::string(contracts::kWarrantyTopic),
          std::string(contracts::kShippingTopic),  std::string(contracts::kPaymentTopic),
          std::string(contracts::kPromotionTopic), kCheckoutTopic};
}

inline json::object money(std::int64_t grosze) {
  return json::object{{"amount", grosze}, {"currency", "PLN"}};
}

constexpr const char* kCompany =
    R"({"customer":{"email":"Anna.Kowalska@Example.PL","phone":"600 100 200",
  "first_name":"Anna","last_name":"Kowalska"},"invoice":{"type":"company",
  "company_name":"Kowalska Design Sp. z o.o.","nip":"526-025-02-74","street":"ul. Prosta",
  "building_number":"20","apartment_number":null,"postal_code":"00-850","city":"Warszawa",
  "country_code":"PL"}})";

// The Checkout's real binary for one test suite, with `Settings::env()` added to its environment,
// a probe on checkout-events, and the helpers every test of it uses.
template <class Settings>
class CheckoutSuite : public ::testing::Test {
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

  static platform::testing::Env with_settings(platform::testing::Env env) {
    for (auto& setting : Settings::env()) env.push_back(std::move(setting));
    return env;
  }

  static void SetUpTestSuite() {
    platform::app::ensure_topics(all_topics());
    suite().probe =
        std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kCheckoutTopic});
    suite().rules_file = (std::filesystem::temp_directory_path() /
                          ("checkout_rules-" + platform::new_uuid() + ".yaml"))
                             .string();
    std::filesystem::copy_file(
        std::string(CHECKOUT_SOURCE_DIR) + "/services/checkout/config/checkout_rules.yaml",
        suite().rules_file);
    suite().service = std::make_unique<platform::testing::ServiceProcess>(
        CHECKOUT_SERVICE_BINARY, with_settings({{"CHECKOUT_RULES_FILE", suite().rules_file},
                                                {"CHECKOUT_STREAM_HEARTBEAT_MS", "500"}}));
    ASSERT_NO_THROW(suite().service->start());
    // A new consumer group starts at the topics' beginning: every event other tests of this run
    // published comes first (poison ones with their retries). Wait until a fresh session shows.
    // The topics a test session needs are caught up when a fresh session's events on them show.
    TestCart warm_up("user-" + platform::new_uuid());
    publish(warm_up.put(Line{.item_id = "it-warm-up"}));
    namespace t = contracts;
    publish(event_of(warm_up, t::kShippingTopic, et::kShippingMethodSelected, 1));
    publish(event_of(warm_up, t::kPaymentTopic, et::kPaymentMethodSelected, 1));
    const std::string expected = R"("versions":{"cart":1,"warranty":0,"shipping":1,"payment":1,)";
    const bool caught_up = eventually(
        [&] {
          auto doc = suite().service->call(warm_up.user(), "GET", "/checkout/summary");
          return doc.status == 200 && doc.body.find(expected) != std::string::npos;
        },
        std::chrono::seconds(240));
    ASSERT_TRUE(caught_up) << suite().service->log_tail();
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

  // Another service's event of `type` for the cart's session, from its contract's example with
  // the session, the user, `version` and `fields` put in.
  static platform::CloudEvent event_of(const TestCart& cart, std::string_view topic,
                                       std::string_view type, std::int64_t version,
                                       const json::object& fields = {}) {
    auto data = contract_example(type);
    data["session_id"] = cart.session();
    data["user_id"] = cart.user();
    data["version"] = version;
    data["occurred_at"] = platform::testing::now_rfc3339();
    for (const auto& [key, value] : fields) data[key] = value;
    return platform::testing::test_event(std::string(topic), cart.session(), std::string(type),
                                         "/checkout/test", json::serialize(data));
  }

  static platform::testing::HttpResult call(const std::string& user, const std::string& method,
                                            const std::string& target, const std::string& body = "",
                                            platform::testing::Headers headers = {}) {
    return suite().service->call(user, method, target, body, std::move(headers));
  }
  static json::object expect(const platform::testing::HttpResult& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
    json::error_code ec;
    auto parsed = json::parse(response.body, ec);
    return !ec && parsed.is_object() ? parsed.as_object() : json::object{};
  }
  // The summary once it includes cart version `cart_version` (read-your-writes).
  static json::object summary_at(const TestCart& cart, const std::string& extra = "") {
    auto doc = expect(call(cart.user(), "GET",
                           "/checkout/summary?wait_ms=10000&cart_version=" +
                               std::to_string(cart.version()) + extra),
                      200);
    EXPECT_TRUE(doc["freshness"].at("complete").as_bool())
        << json::serialize(doc) << suite().service->log_tail();
    return doc;
  }
  static std::int64_t amount(const json::object& summary, std::string_view total) {
    return summary.at("totals").at(total).at("amount").as_int64();
  }
  static std::vector<std::string> readiness(const json::object& summary) {
    std::vector<std::string> codes;
    for (const auto& b : summary.at("readiness").as_array()) {
      codes.emplace_back(b.at("code").as_string());
    }
    return codes;
  }
  // The session's checkout events (type, data), each checked against its schema.
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

  // A cart with a TV (329 900), its carrying-in (4 900) and two cables (2 × 5 999).
  static void fill(TestCart& cart) {
    publish(
        cart.put(Line{.item_id = "it-tv", .sku = "TV-1", .category = "tv", .unit_price = 329900}));
    publish(cart.put(Line{.item_id = "it-carry",
                          .sku = "SVC-CARRY-IN",
                          .category = "service",
                          .unit_price = 4900,
                          .type = "service",
                          .parent = "it-tv"}));
    publish(cart.put(Line{.item_id = "it-hdmi",
                          .sku = "ACC-HDMI",
                          .category = "accessory",
                          .unit_price = 5999,
                          .quantity = 2,
                          .type = "accessory"}));
  }
};

}  // namespace checkout::testing
