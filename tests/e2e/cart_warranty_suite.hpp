#pragma once
// The Cart and the Warranty, started once per test suite: the real binaries against the test
// Redis and Kafka, the Warranty following the Cart's own events and the Cart showing its plans
// (no event built by hand). The suite of the e2e tests of the two together; each test's fixture
// adds its own helpers.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "contracts/catalog_product.hpp"
#include "contracts/test_product.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/service_process.hpp"

namespace e2e_testing {
namespace json = boost::json;
using platform::testing::eventually;
using platform::testing::ServiceProcess;

inline json::object json_of(const std::string& text) {
  return json::parse(text).as_object();
}

class CartWarrantySuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    platform::app::ensure_topics(
        {std::string(contracts::kCartTopic), std::string(contracts::kCatalogTopic),
         std::string(contracts::kCheckoutTopic), std::string(contracts::kServicesTopic),
         std::string(contracts::kWarrantyTopic), std::string(contracts::kPromotionTopic)});
    cart() = std::make_unique<ServiceProcess>(CART_SERVICE_BINARY);
    warranty() = std::make_unique<ServiceProcess>(WARRANTY_SERVICE_BINARY);
    ASSERT_NO_THROW(cart()->start());
    ASSERT_NO_THROW(warranty()->start());
    // A fresh consumer group reads the topics from the start: wait until the Warranty has worked
    // through what earlier tests left there and follows a new cart.
    const auto warm_up = "e2e-warm-up-" + platform::new_uuid();
    const auto added =
        cart()->call(warm_up, "POST", "/cart/items",
                     R"({"type":"offer","sku":")" + product("phone", 99900) + R"(","quantity":1})");
    ASSERT_EQ(added.status, 201) << added.body;
    const std::string item(json_of(added.body).at("line").at("item_id").as_string());
    ASSERT_TRUE(eventually(
        [&] {
          return warranty()->call(warm_up, "GET", "/warranty/available?item_id=" + item).status ==
                 200;
        },
        std::chrono::seconds(180)))
        << warranty()->log_tail();
  }

  static void TearDownTestSuite() {
    warranty().reset();
    cart().reset();
  }

  static std::unique_ptr<ServiceProcess>& cart() {
    static std::unique_ptr<ServiceProcess> process;
    return process;
  }
  static std::unique_ptr<ServiceProcess>& warranty() {
    static std::unique_ptr<ServiceProcess> process;
    return process;
  }

  // A product of its own sku in the catalog; returns the sku.
  static std::string product(const std::string& category, std::int64_t price) {
    auto suffix = platform::new_uuid().substr(0, 8);
    std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const auto item = contracts::testing::test_product("E2E-WR-" + suffix, category, price, 50);
    platform::testing::redis_command({"SET", contracts::catalog_product_key(item.sku),
                                      json::serialize(contracts::product_to_json(item))});
    return item.sku;
  }
};

}  // namespace e2e_testing
