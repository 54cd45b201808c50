#include "platform/rules/identifier.hpp"

#include <gtest/gtest.h>

#include <string>

using platform::rules::is_identifier;

static_assert(is_identifier("sunday_delivery"));
static_assert(!is_identifier("Sunday"));

TEST(RulesIdentifier, ALowercaseLetterThenLettersDigitsOrUnderscores) {
  for (const std::string good : {"a", "courier", "two_person", "x2", "a_", "s51"}) {
    EXPECT_TRUE(is_identifier(good)) << good;
  }
  for (const std::string bad : {"", "Courier", "2courier", "_a", "sunday-delivery", "carry in",
                                "zażółć", "a.b", "SRV-SMS"}) {
    EXPECT_FALSE(is_identifier(bad)) << bad;
  }
}

TEST(RulesIdentifier, AtMost64Characters) {
  EXPECT_TRUE(is_identifier("c" + std::string(63, '_')));
  EXPECT_FALSE(is_identifier("c" + std::string(64, '_')));
}
