#include "platform/polish_format.hpp"

#include <gtest/gtest.h>

namespace {
using platform::pln;
using platform::polish_characters;
using platform::polish_price;
using platform::polish_weight;

TEST(PolishFormat, Weights) {
  EXPECT_EQ(polish_weight(62400), "62,4 kg");
  EXPECT_EQ(polish_weight(25000), "25 kg");
  EXPECT_EQ(polish_weight(31500), "31,5 kg");
  EXPECT_EQ(polish_weight(25001), "25,1 kg") << "rounded up, never down to a limit";
  EXPECT_EQ(polish_weight(450), "0,5 kg");
  EXPECT_EQ(polish_weight(0), "0 kg");
  EXPECT_EQ(polish_weight(1234500), "1 234,5 kg");
}

TEST(PolishFormat, CharacterCounts) {
  EXPECT_EQ(polish_characters(1), "1 znak");
  EXPECT_EQ(polish_characters(2), "2 znaki");
  EXPECT_EQ(polish_characters(5), "5 znaków");
  EXPECT_EQ(polish_characters(12), "12 znaków");
  EXPECT_EQ(polish_characters(22), "22 znaki");
  EXPECT_EQ(polish_characters(100), "100 znaków");
  EXPECT_EQ(polish_characters(112), "112 znaków");
}

TEST(PolishFormat, Prices) {
  EXPECT_EQ(polish_price(pln(123450)), "1 234,50 zł");
  EXPECT_EQ(polish_price(pln(1499)), "14,99 zł");
  EXPECT_EQ(polish_price(pln(5)), "0,05 zł");
  EXPECT_EQ(polish_price(pln(0)), "0,00 zł");
  EXPECT_EQ(polish_price(pln(100000000)), "1 000 000,00 zł");
  EXPECT_EQ(polish_price(pln(-2999)), "-29,99 zł");
  EXPECT_EQ(polish_price(platform::Money{1000, "EUR"}), "10,00 EUR");
}

}  // namespace
