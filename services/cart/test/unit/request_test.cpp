#include <gtest/gtest.h>

#include "http_api.hpp"

namespace cart {
namespace {

TEST(ParseAddLine, AcceptsAFullRequest) {
  auto command =
      parse_add_line(R"({"type":"service","sku":"SRV-1","quantity":2,"parent_item_id":"p"})");
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(command->type, LineType::service);
  EXPECT_EQ(command->sku, "SRV-1");
  EXPECT_EQ(command->quantity, 2);
  EXPECT_EQ(command->parent_item_id, "p");
}

TEST(ParseAddLine, NullParentMeansNone) {
  auto command =
      parse_add_line(R"({"type":"offer","sku":"TV-1","quantity":1,"parent_item_id":null})");
  ASSERT_TRUE(command);
  EXPECT_FALSE(command->parent_item_id);
}

TEST(ParseAddLine, RejectsMalformedJsonAsMalformed) {
  for (const char* body : {"", "{", "[1]", "nope"}) {
    auto command = parse_add_line(body);
    ASSERT_FALSE(command) << body;
    EXPECT_EQ(command.error().code, platform::Errc::malformed) << body;
  }
}

TEST(ParseAddLine, RejectsBadFieldsAsInvalid) {
  for (const char* body :
       {R"({"sku":"A","quantity":1})", R"({"type":"gift","sku":"A","quantity":1})",
        R"({"type":"offer","quantity":1})", R"({"type":"offer","sku":"","quantity":1})",
        R"({"type":"offer","sku":"A"})", R"({"type":"offer","sku":"A","quantity":1.5})",
        R"({"type":"offer","sku":"A","quantity":"2"})",
        R"({"type":"offer","sku":"A","quantity":1,"price":1})",
        R"({"type":"offer","sku":"A","quantity":1,"parent_item_id":7})"}) {
    auto command = parse_add_line(body);
    ASSERT_FALSE(command) << body;
    EXPECT_EQ(command.error().code, platform::Errc::invalid) << body;
  }
}

TEST(ParseQuantityChange, NeedsOnlyAnIntegerQuantity) {
  EXPECT_EQ(*parse_quantity_change(R"({"quantity":5})"), 5);
  EXPECT_FALSE(parse_quantity_change(R"({"quantity":5,"x":1})"));
  EXPECT_FALSE(parse_quantity_change(R"({})"));
}

TEST(ParsePriceAcknowledgement, TakesOneToAHundredDistinctLineIds) {
  auto one = parse_price_acknowledgement(R"({"item_ids":["a"]})");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(*one, std::vector<std::string>{"a"});
  std::string hundred = R"({"item_ids":[)";
  for (int i = 0; i < 100; ++i) hundred += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  hundred += "]}";
  auto many = parse_price_acknowledgement(hundred);
  ASSERT_TRUE(many) << many.error().message;
  EXPECT_EQ(many->size(), 100U);
  EXPECT_EQ(many->back(), "99");
}

TEST(ParsePriceAcknowledgement, MalformedJsonIsMalformed) {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  for (const std::string& body :
       std::vector<std::string>{"", "hello", "{", R"({"item_ids":["a"]} x)", deep}) {
    auto parsed = parse_price_acknowledgement(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code, platform::Errc::malformed) << body;
  }
}

TEST(ParsePriceAcknowledgement, AnythingButTheObjectIsInvalid) {
  std::string hundred_and_one = R"({"item_ids":[)";
  for (int i = 0; i < 101; ++i) hundred_and_one += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  hundred_and_one += "]}";
  std::string nested = R"({"item_ids":)" + std::string(20, '[') + std::string(20, ']') + "}";
  for (const std::string& body : std::vector<std::string>{
           "[1,2]", "\"a\"", "7", "null", "{}", R"({"item_ids":[]})", R"({"item_ids":"a"})",
           R"({"item_ids":[1]})", R"({"item_ids":[""]})", R"({"item_ids":[null]})",
           R"({"item_ids":["a","a"]})", R"({"item_ids":["a"],"all":true})",
           R"({"item_ids":[")" + std::string(65, 'x') + R"("]})", hundred_and_one, nested}) {
    auto parsed = parse_price_acknowledgement(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code, platform::Errc::invalid) << body;
  }
  auto twice = parse_price_acknowledgement(R"({"item_ids":["a","b","a"]})");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("a more than once"), std::string::npos);
}

}  // namespace
}  // namespace cart
