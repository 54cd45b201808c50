// The Cart and the Services together, as a customer drives them: the real binaries against the
// test Redis and Kafka, the Services following the Cart's own events and the Cart applying the
// Services' verdicts on its service lines (no event built by hand).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "contracts/catalog_product.hpp"
#include "contracts/test_product.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/service_process.hpp"

namespace {
namespace json = boost::json;
using platform::testing::eventually;
using platform::testing::ServiceProcess;

class CartAndServices : public ::testing::Test {
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

  json::object view() { return json_of(cart()->call(user_, "GET", "/cart").body); }
  static const json::value* line(const json::object& view, std::string_view item_id) {
    for (const auto& l : view.at("lines").as_array()) {
      if (l.at("item_id").as_string() == item_id) return &l;
    }
    return nullptr;
  }
  // The cart once `done` holds for it (the Services answered and the Cart applied it).
  json::object view_when(const std::function<bool(const json::object&)>& done) {
    json::object last;
    EXPECT_TRUE(eventually([&] {
      last = view();
      return done(last);
    })) << json::serialize(last)
        << "\n"
        << services()->log_tail();
    return last;
  }

  std::string add(const std::string& body, int status = 201) {
    auto added = cart()->call(user_, "POST", "/cart/items", body);
    EXPECT_EQ(added.status, status) << added.body;
    if (added.status != 201) return added.body;
    return std::string(json_of(added.body).at("line").at("item_id").as_string());
  }
  std::string add_service(const std::string& sku, const std::string& parent,
                          std::int64_t quantity = 1, int status = 201) {
    return add(R"({"type":"service","sku":")" + sku + R"(","quantity":)" +
                   std::to_string(quantity) + R"(,"parent_item_id":")" + parent + R"("})",
               status);
  }

  std::string user_ = "e2e-" + platform::new_uuid();
};

TEST_F(CartAndServices, AServiceLineIsValidatedAtTheRulesPriceAndCutToWhatTheRulesAllow) {
  const auto washer_line = add(R"({"type":"offer","sku":")" + washer() + R"(","quantity":1})");
  const auto install = add_service("SRV-INSTALL-WASHER", washer_line, 2);
  EXPECT_EQ(line(view(), install)->at("validation").as_string(), "not_yet_validated");
  const auto after = view_when([&](const json::object& v) {
    const auto* l = line(v, install);
    return l != nullptr && l->at("validation").as_string() == "validated";
  });
  const auto& held = *line(after, install);
  EXPECT_EQ(held.at("unit_price").at("amount").as_int64(), 12900) << "the rules' price";
  EXPECT_EQ(held.at("quantity").as_int64(), 1) << "one installation per washing machine";
  EXPECT_EQ(held.at("price_change").at("old_unit_price").at("amount").as_int64(), 15000)
      << "the customer sees the change from the catalog's price";

  // Two washers, two installations; one washer again: its installations follow at once.
  ASSERT_EQ(cart()->call(user_, "PATCH", "/cart/items/" + washer_line, R"({"quantity":2})").status,
            200);
  ASSERT_EQ(cart()->call(user_, "PATCH", "/cart/items/" + install, R"({"quantity":2})").status,
            200);
  view_when([&](const json::object& v) {
    const auto* l = line(v, install);
    return l->at("validation").as_string() == "validated" && l->at("quantity").as_int64() == 2;
  });
  auto reduced = cart()->call(user_, "PATCH", "/cart/items/" + washer_line, R"({"quantity":1})");
  ASSERT_EQ(reduced.status, 200);
  EXPECT_EQ(line(view(), install)->at("quantity").as_int64(), 1) << "in the same change";

  // Removing the washer removes its installation with it.
  ASSERT_EQ(cart()->call(user_, "DELETE", "/cart/items/" + washer_line).status, 200);
  EXPECT_TRUE(view().at("lines").as_array().empty());
}

TEST_F(CartAndServices, AServiceTheRulesRefuseIsRemovedWithItsReasonAndThenRefusedAtOnce) {
  const auto washer_line = add(R"({"type":"offer","sku":")" + washer() + R"(","quantity":1})");
  const auto assembly = add_service("SRV-ASSEMBLY", washer_line);
  const auto after = view_when([&](const json::object& v) { return line(v, assembly) == nullptr; });
  ASSERT_EQ(after.at("notices").as_array().size(), 1U);
  const auto& notice = after.at("notices").at(0);
  EXPECT_EQ(notice.at("item_id").as_string(), assembly);
  EXPECT_EQ(notice.at("reason").at("code").as_string(), "not_applicable");
  EXPECT_FALSE(notice.at("reason").at("message").as_string().empty());

  const auto refused = add_service("SRV-ASSEMBLY", washer_line, 1, 422);
  EXPECT_NE(refused.find("not_applicable"), std::string::npos) << refused;
  EXPECT_EQ(view().at("lines").as_array().size(), 1U) << "the refusal changes nothing";

  // A standalone service is validated at the rules' price.
  const auto sms = add(R"({"type":"service","sku":"SRV-SMS","quantity":1})");
  view_when([&](const json::object& v) {
    const auto* l = line(v, sms);
    return l != nullptr && l->at("validation").as_string() == "validated";
  });
}

}  // namespace
