#pragma once
// The Cart and the Services, started once per test suite: the real binaries against the test
// Redis and Kafka, the Services following the Cart's own events (no event built by hand). The
// suite of the e2e tests of the two together; each test's fixture adds its own helpers.
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

class CartServicesSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    platform::app::ensure_topics(
        {std::string(contracts::kCartTopic), std::string(contracts::kCatalogTopic),
         std::string(contracts::kCheckoutTopic), std::string(contracts::kShippingTopic),
         std::string(contracts::kServicesTopic)});
    // The services as the catalog sells them (their prices there may differ from the rules').
    catalog(service_product("SRV-INSTALL-WASHER", 15000, {}));
    catalog(service_product("SRV-ASSEMBLY", 14900, {}));
    catalog(service_product("SRV-SMS", 99, {"standalone"}));
    cart() = std::make_unique<ServiceProcess>(CART_SERVICE_BINARY);
    services() = std::make_unique<ServiceProcess>(SERVICES_SERVICE_BINARY);
    ASSERT_NO_THROW(cart()->start());
    ASSERT_NO_THROW(services()->start());
    // A fresh consumer group reads the topics from the start: wait until the Services have
    // worked through what earlier tests left there and follow a new cart.
    const auto warm_up = "e2e-warm-up-" + platform::new_uuid();
    ASSERT_EQ(cart()
                  ->call(warm_up, "POST", "/cart/items",
                         R"({"type":"service","sku":"SRV-SMS","quantity":1})")
                  .status,
              201);
    ASSERT_TRUE(eventually(
        [&] {
          const auto answer = services()->call(warm_up, "GET", "/services/available");
          return answer.status == 200 && !json_of(answer.body).at("session_id").is_null();
        },
        std::chrono::seconds(180)))
        << services()->log_tail();
  }

  static void TearDownTestSuite() {
    services().reset();
    cart().reset();
  }

  static std::unique_ptr<ServiceProcess>& cart() {
    static std::unique_ptr<ServiceProcess> process;
    return process;
  }
  static std::unique_ptr<ServiceProcess>& services() {
    static std::unique_ptr<ServiceProcess> process;
    return process;
  }

  static contracts::Product service_product(std::string sku, std::int64_t price,
                                            std::vector<std::string> flags) {
    auto product = contracts::testing::test_product(std::move(sku), "service", price, 100000,
                                                    std::move(flags));
    product.weight_g = 0;
    product.dimensions_mm = {0, 0, 0};
    return product;
  }
  static void catalog(const contracts::Product& product) {
    platform::testing::redis_command({"SET", contracts::catalog_product_key(product.sku),
                                      json::serialize(contracts::product_to_json(product))});
  }
  static std::string washer() {
    auto suffix = platform::new_uuid().substr(0, 8);
    std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    auto product =
        contracts::testing::test_product("E2E-WASHER-" + suffix, "washing_machine", 199900, 50,
                                         {"large_appliance", "needs_installation"});
    catalog(product);
    return product.sku;
  }

  static json::object json_of(const std::string& text) { return json::parse(text).as_object(); }
};

}  // namespace e2e_testing
