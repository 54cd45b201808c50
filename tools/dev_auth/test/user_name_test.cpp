// The dev sign-in's name rule and guest ids.
#include "user_name.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "contracts/guest_id.hpp"
#include "platform/http/auth.hpp"

namespace {
using dev_auth::check_user_name;

TEST(UserName, TakesLowercaseLettersDigitsDotDashUnderscore) {
  for (const char* name :
       {"anna", "a", "0", "anna.kowalska", "jan_nowak-2", "9lives", "a.", "b-"}) {
    EXPECT_TRUE(check_user_name(name)) << name;
  }
  EXPECT_TRUE(check_user_name(std::string(64, 'x')));
}

TEST(UserName, RefusesOtherNamesWithThePolishRuleForTheField) {
  for (const std::string& name :
       {std::string(), std::string(65, 'x'), std::string("Anna"), std::string(".anna"),
        std::string("-anna"), std::string("_anna"), std::string("anna kowalska"),
        std::string("anna@example.pl"), std::string("żaneta"), std::string("a{b}"),
        std::string("a/b"), std::string("a\nb"), std::string("anna\0x", 6)}) {
    const auto status = check_user_name(name);
    ASSERT_FALSE(status) << name;
    EXPECT_EQ(status.error().code, platform::Errc::invalid);
    EXPECT_EQ(status.error().reason, "invalid_user_name");
    EXPECT_NE(status.error().message.find("1–64 znaki"), std::string::npos);
    ASSERT_EQ(status.error().fields.size(), 1U);
    EXPECT_EQ(status.error().fields[0].field, "user");
  }
}

TEST(UserName, RefusesTheGuestPrefixSoNoOneSignsInAsAGuest) {
  for (const char* name : {"guest-", "guest-0123456789abcdef0123456789abcdef", "guest-anna"}) {
    const auto status = check_user_name(name);
    ASSERT_FALSE(status) << name;
    EXPECT_NE(status.error().message.find("guest-"), std::string::npos);
  }
  EXPECT_TRUE(check_user_name("guest"));
  EXPECT_TRUE(check_user_name("guests"));
  EXPECT_TRUE(check_user_name("guest_anna"));
}

TEST(GuestId, IsThePrefixAnd32LowercaseHexDigitsEachTimeNew) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = dev_auth::new_guest_id();
    ASSERT_EQ(id.size(), 38U) << id;
    EXPECT_TRUE(id.starts_with("guest-")) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 6), std::string::npos) << id;
    EXPECT_TRUE(platform::http::valid_user_id(id)) << id;
    EXPECT_TRUE(contracts::is_guest_id(id)) << "the Cart must take it for a guest's: " << id;
    EXPECT_FALSE(check_user_name(id)) << "a guest id is no name to sign in with: " << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

}  // namespace
