// The Cart and the Shipping together, as a customer drives them: the real binaries against the
// test Redis and Kafka, the Shipping following the Cart's own events (no event built by hand).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "contracts/catalog_product.hpp"
#include "contracts/test_product.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/service_process.hpp"

namespace {
namespace json = boost::json;
using platform::testing::eventually;
using platform::testing::ServiceProcess;

class CartAndShipping : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    platform::app::ensure_topics(
        {std::string(contracts::kCartTopic), std::string(contracts::kCatalogTopic),
         std::string(contracts::kCheckoutTopic), std::string(contracts::kShippingTopic)});
    const int carrier_port = platform::testing::free_port();
    carrier() = std::make_unique<platform::testing::ChildProcess>(
        CARRIER_SIM_BINARY, std::vector<std::string>{},
        std::vector<std::pair<std::string, std::string>>{
            {"CARRIER_SIM_PORT", std::to_string(carrier_port)}},
        (std::filesystem::temp_directory_path() / ("e2e-carrier-" + platform::new_uuid() + ".log"))
            .string());
    carrier()->start();
    cart() = std::make_unique<ServiceProcess>(CART_SERVICE_BINARY);
    shipping() = std::make_unique<ServiceProcess>(
        SHIPPING_SERVICE_BINARY,
        platform::testing::Env{
            {"CARRIER_URL", "http://127.0.0.1:" + std::to_string(carrier_port)}});
    ASSERT_NO_THROW(cart()->start());
    ASSERT_NO_THROW(shipping()->start());
  }

  static void TearDownTestSuite() {
    shipping().reset();
    cart().reset();
    carrier().reset();
  }

  static std::unique_ptr<ServiceProcess>& cart() {
    static std::unique_ptr<ServiceProcess> process;
    return process;
  }
  static std::unique_ptr<ServiceProcess>& shipping() {
    static std::unique_ptr<ServiceProcess> process;
    return process;
  }
  static std::unique_ptr<platform::testing::ChildProcess>& carrier() {
    static std::unique_ptr<platform::testing::ChildProcess> process;
    return process;
  }

  static std::string product(const std::string& base, const std::string& category,
                             std::int64_t price, std::int64_t weight_g, contracts::Dimensions size,
                             std::vector<std::string> flags) {
    auto product = contracts::testing::test_product(base + "-" + cart()->suffix(), category, price,
                                                    50, std::move(flags));
    std::transform(product.sku.begin(), product.sku.end(), product.sku.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    product.weight_g = weight_g;
    product.dimensions_mm = size;
    platform::testing::redis_command({"SET", contracts::catalog_product_key(product.sku),
                                      json::serialize(contracts::product_to_json(product))});
    return product.sku;
  }

  static json::object json_of(const std::string& text) { return json::parse(text).as_object(); }

  // The Shipping's answer once it has followed the Cart to the cart hash the Cart shows.
  json::object available_when_caught_up() {
    json::object available;
    const bool caught_up = eventually([&] {
      const auto view = json_of(cart()->call(user_, "GET", "/cart").body);
      auto answer = shipping()->call(user_, "GET", "/shipping/available");
      if (answer.status != 200) return false;
      available = json_of(answer.body);
      return available.at("cart_hash") == view.at("cart_hash");
    });
    EXPECT_TRUE(caught_up) << shipping()->log_tail();
    return available;
  }

  static const json::value& method(const json::object& available, std::string_view id) {
    for (const auto& m : available.at("methods").as_array()) {
      if (m.at("id").as_string() == id) return m;
    }
    throw std::runtime_error("no method " + std::string(id));
  }

  std::string user_ = "e2e-" + platform::new_uuid();
};

TEST_F(CartAndShipping, TheShippingFollowsTheCartsOwnEvents) {
  const auto phone = product("E2E-PHONE", "phone", 14900, 450, {80, 170, 10}, {});
  const auto fridge =
      product("E2E-FRIDGE", "fridge", 249900, 70000, {600, 1850, 650}, {"large_appliance"});

  auto added = cart()->call(user_, "POST", "/cart/items",
                            R"({"type":"offer","sku":")" + phone + R"(","quantity":1})");
  ASSERT_EQ(added.status, 201) << added.body;
  auto available = available_when_caught_up();
  EXPECT_EQ(method(available, "courier").at("price").at("amount").as_int64(), 1499);
  auto chosen =
      shipping()->call(user_, "POST", "/shipping/select", R"({"method":"parcel_locker"})");
  ASSERT_EQ(chosen.status, 200) << chosen.body;

  // A fridge in the cart: no parcel locker any more; the choice is cleared by the Shipping.
  added = cart()->call(user_, "POST", "/cart/items",
                       R"({"type":"offer","sku":")" + fridge + R"(","quantity":1})");
  ASSERT_EQ(added.status, 201) << added.body;
  available = available_when_caught_up();
  EXPECT_FALSE(method(available, "parcel_locker").at("available").as_bool());
  EXPECT_TRUE(method(available, "two_person").at("available").as_bool());
  EXPECT_TRUE(available.at("selected_method").is_null());

  // Removing the fridge brings the locker back; three phones make the courier free.
  const auto fridge_line = std::string(json_of(added.body).at("line").at("item_id").as_string());
  const auto phone_line = std::string(json_of(cart()->call(user_, "GET", "/cart").body)
                                          .at("lines")
                                          .at(0)
                                          .at("item_id")
                                          .as_string());
  ASSERT_EQ(cart()->call(user_, "DELETE", "/cart/items/" + fridge_line).status, 200);
  available = available_when_caught_up();
  EXPECT_TRUE(method(available, "parcel_locker").at("available").as_bool());
  chosen = shipping()->call(user_, "POST", "/shipping/select", R"({"method":"courier"})");
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(json_of(chosen.body).at("method").at("price").at("amount").as_int64(), 1499);

  ASSERT_EQ(cart()->call(user_, "PATCH", "/cart/items/" + phone_line, R"({"quantity":3})").status,
            200);
  available_when_caught_up();
  const auto selection = json_of(shipping()->call(user_, "GET", "/shipping/selection").body);
  EXPECT_EQ(selection.at("method").at("id").as_string(), "courier");
  EXPECT_EQ(selection.at("method").at("price").at("amount").as_int64(), 0)
      << "447 zł is above the courier's free-delivery threshold";
}
}  // namespace
