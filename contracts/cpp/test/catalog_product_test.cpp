#include "contracts/catalog_product.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contracts/test_product.hpp"

namespace contracts {
namespace {

boost::json::object with_sku(std::string sku) {
  auto json = product_to_json(testing::test_product("TV-OK-1", "tv", 199900, 5));
  json["sku"] = std::move(sku);
  return json;
}

TEST(ProductFromJson, RoundTripsAProduct) {
  const auto product =
      testing::test_product("FR-SAM-RB38", "fridge", 349900, 3, {"large_appliance"});
  auto parsed = product_from_json(boost::json::value(product_to_json(product)));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, product);
}

TEST(ProductFromJson, SkuMustBeThreeToFortyUpperCaseLettersDigitsOrDashes) {
  for (const auto* good : {"ABC", "TV-LG-OLED55C3", "0123456789012345678901234567890123456789"}) {
    EXPECT_TRUE(product_from_json(boost::json::value(with_sku(good)))) << good;
  }
  for (const auto* bad :
       {"AB", "tv-lg", "TV LG", "TV_LG", "TV-Ł", "01234567890123456789012345678901234567890"}) {
    auto parsed = product_from_json(boost::json::value(with_sku(bad)));
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("'sku'"), std::string::npos) << parsed.error().message;
  }
}

TEST(ProductFromJson, RejectsUnknownCategoryAndNonPositivePrice) {
  auto json = with_sku("TV-OK-2");
  json["category"] = "toaster";
  EXPECT_FALSE(product_from_json(boost::json::value(json)));
  json = with_sku("TV-OK-3");
  json["price"] = 0;
  EXPECT_FALSE(product_from_json(boost::json::value(json)));
}

}  // namespace
}  // namespace contracts
