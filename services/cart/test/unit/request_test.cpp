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

}  // namespace
}  // namespace cart
