#include "platform/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

namespace config = platform::config;

TEST(Config, UsesTheDefaultWhenUnset) {
  ::unsetenv("CHECKOUT_TEST_UNSET");
  EXPECT_EQ(config::get_int("CHECKOUT_TEST_UNSET", 7, 0, 10), 7);
  EXPECT_EQ(config::get_string("CHECKOUT_TEST_UNSET", "x"), "x");
  EXPECT_TRUE(config::get_bool("CHECKOUT_TEST_UNSET", true));
}

TEST(Config, ParsesAndRangeChecks) {
  ::setenv("CHECKOUT_TEST_INT", "42", 1);
  EXPECT_EQ(config::get_int("CHECKOUT_TEST_INT", 0, 0, 100), 42);
  EXPECT_THROW(config::get_int("CHECKOUT_TEST_INT", 0, 0, 10), std::invalid_argument);
  ::setenv("CHECKOUT_TEST_INT", "4x", 1);
  EXPECT_THROW(config::get_int("CHECKOUT_TEST_INT", 0, 0, 100), std::invalid_argument);
  ::setenv("CHECKOUT_TEST_BOOL", "maybe", 1);
  EXPECT_THROW(config::get_bool("CHECKOUT_TEST_BOOL", false), std::invalid_argument);
}
