// The notification schedule (P24 resends after 3, 5, 15, 30, 60, 150 and 450 minutes until
// verify), the held notifications of the reorder fault and the page's form (the faults' parsing:
// tools/gateway_sim).
#include "notification_queue.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "hosted_page.hpp"

namespace p24_sim {
namespace {
using namespace std::chrono_literals;

const platform::TimePoint kPaid = platform::TimePoint{} + 1000h;

bool never_settled(const std::string& /*session*/) {
  return false;
}

TEST(NotificationQueue, ResendsOnP24sSchedule) {
  NotificationQueue queue;
  queue.schedule_payment("s1", "http://shop/n", "{}", kPaid);
  EXPECT_TRUE(queue.take_due(kPaid - 1s, never_settled).empty());
  auto due = queue.take_due(kPaid, never_settled);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].attempt, 0);
  EXPECT_TRUE(queue.take_due(kPaid + 2min, never_settled).empty());
  due = queue.take_due(kPaid + 3min, never_settled);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].attempt, 1);
  // A jump past 15 and 30 minutes: one delivery, counted as the latest.
  due = queue.take_due(kPaid + 31min, never_settled);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].attempt, 4);
  due = queue.take_due(kPaid + 1000min, never_settled);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].attempt, 7);
  EXPECT_EQ(queue.scheduled(), 0U);
}

TEST(NotificationQueue, StopsOnceVerified) {
  NotificationQueue queue;
  queue.schedule_payment("s1", "http://shop/n", "{}", kPaid);
  queue.schedule_payment("s2", "http://shop/n", "{}", kPaid);
  ASSERT_EQ(queue.take_due(kPaid, never_settled).size(), 2U);
  const auto s1_settled = [](const std::string& session) {
    return session == "s1";
  };
  const auto due = queue.take_due(kPaid + 3min, s1_settled);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].session_id, "s2");
  EXPECT_EQ(queue.scheduled(), 1U);
}

TEST(NotificationQueue, RefundsAreSentOnce) {
  NotificationQueue queue;
  queue.schedule_refund("s1", "http://shop/n", "{}", kPaid);
  const auto all_settled = [](const std::string&) {
    return true;
  };
  const auto due = queue.take_due(kPaid, all_settled);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_TRUE(due[0].refund);
  EXPECT_EQ(queue.scheduled(), 0U);
}

TEST(NotificationQueue, HeldComeBackNewestFirst) {
  NotificationQueue queue;
  queue.hold(Delivery{"u", "a", "s1", false, 0});
  queue.hold(Delivery{"u", "b", "s2", false, 0});
  EXPECT_EQ(queue.held(), 2U);
  const auto held = queue.take_held();
  ASSERT_EQ(held.size(), 2U);
  EXPECT_EQ(held[0].body, "b");
  EXPECT_EQ(held[1].body, "a");
  EXPECT_EQ(queue.held(), 0U);
}

TEST(HostedPage, ReadsFormValues) {
  EXPECT_EQ(form_value("action=pay", "action"), "pay");
  EXPECT_EQ(form_value("x=1&action=fail&y=2", "action"), "fail");
  EXPECT_EQ(form_value("note=Zap%C5%82a%C4%87+teraz", "note"), "Zapłać teraz");
  EXPECT_FALSE(form_value("x=1", "action"));
  EXPECT_FALSE(form_value("action=%G1", "action"));
  EXPECT_FALSE(form_value("action=%4", "action"));
}

TEST(HostedPage, EscapesWhatTheMerchantSent) {
  Transaction transaction;
  transaction.token = "ABC-1";
  transaction.order.description = "<script>alert('x')</script> & co";
  transaction.order.amount = 12999;
  transaction.order.currency = "PLN";
  const auto page = payment_page(transaction);
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"),
            std::string::npos);
  EXPECT_NE(page.find("129,99 PLN"), std::string::npos);
  EXPECT_NE(page.find("/trnRequest/ABC-1?action=pay"), std::string::npos);
}

}  // namespace
}  // namespace p24_sim
