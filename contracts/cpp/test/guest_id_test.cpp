#include "contracts/guest_id.hpp"

#include <gtest/gtest.h>

namespace contracts {
namespace {

TEST(GuestIds, AreGuestDashAndSomething) {
  EXPECT_TRUE(is_guest_id("guest-0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(is_guest_id("guest-x"));
  EXPECT_FALSE(is_guest_id("guest-"));
  EXPECT_FALSE(is_guest_id("guest"));
  EXPECT_FALSE(is_guest_id("anna"));
  EXPECT_FALSE(is_guest_id("Guest-1"));
  EXPECT_FALSE(is_guest_id("xguest-1"));
  EXPECT_FALSE(is_guest_id(""));
}

}  // namespace
}  // namespace contracts
