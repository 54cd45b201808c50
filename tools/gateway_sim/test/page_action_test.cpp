// The three actions' names.
#include "gateway_sim/page_action.hpp"

#include <gtest/gtest.h>

namespace gateway_sim {
namespace {

TEST(PageAction, ReadsTheThreeNames) {
  EXPECT_EQ(page_action_from("pay"), PageAction::pay);
  EXPECT_EQ(page_action_from("fail"), PageAction::fail);
  EXPECT_EQ(page_action_from("abandon"), PageAction::abandon);
  EXPECT_EQ(page_action_from("Pay"), std::nullopt);
  EXPECT_EQ(page_action_from(""), std::nullopt);
}

}  // namespace
}  // namespace gateway_sim
