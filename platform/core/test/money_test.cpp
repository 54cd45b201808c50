#include "platform/money.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

using platform::Money;
using platform::pln;

TEST(Money, AddsAndMultipliesInGrosze) {
  EXPECT_EQ(pln(199) + pln(1), pln(200));
  EXPECT_EQ(pln(1999) * 3, pln(5997));
  EXPECT_EQ(pln(100) - pln(250), pln(-150));
}

TEST(Money, RejectsMixedCurrencies) {
  EXPECT_THROW((void)(pln(1) + Money{1, "EUR"}), std::logic_error);
}

TEST(Money, RefusesToOverflow) {
  EXPECT_THROW((void)(pln(std::numeric_limits<std::int64_t>::max()) * 2), std::overflow_error);
  EXPECT_THROW((void)(pln(std::numeric_limits<std::int64_t>::max()) + pln(1)), std::overflow_error);
}

TEST(Money, FormatsForHumans) {
  EXPECT_EQ(platform::to_string(pln(329900)), "3299.00 PLN");
  EXPECT_EQ(platform::to_string(pln(5)), "0.05 PLN");
  EXPECT_EQ(platform::to_string(pln(-5)), "-0.05 PLN");
  EXPECT_EQ(platform::to_string(pln(-1234)), "-12.34 PLN");
}
