// The resend schedule and the notification faults as the queue applies them (the fault
// configuration's parsing: tools/gateway_sim).
#include "deliveries.hpp"

#include <gtest/gtest.h>

#include "gateway_sim/fault_config.hpp"

namespace {
using namespace payu_sim;
using namespace std::chrono_literals;

const platform::TimePoint kStart{std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}};

Notice notice(const std::string& what) {
  return Notice{"http://shop/notify", "{}", "sig", what};
}

std::vector<std::string> whats(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> out;
  out.reserve(deliveries.size());
  for (const auto& delivery : deliveries) out.push_back(delivery.notice.what);
  return out;
}

TEST(ResendSchedule, PayUsDocumentedDelays) {
  EXPECT_EQ(resend_delay(1), 1min);
  EXPECT_EQ(resend_delay(2), 2min);
  EXPECT_EQ(resend_delay(3), 5min);
  EXPECT_EQ(resend_delay(4), 10min);
  EXPECT_EQ(resend_delay(5), 30min);
  EXPECT_EQ(resend_delay(6), 1h);
  EXPECT_EQ(resend_delay(15), 24h);
  EXPECT_EQ(resend_delay(19), 72h);
  EXPECT_EQ(resend_delay(20), std::nullopt);
  EXPECT_EQ(resend_delay(0), std::nullopt);
}

TEST(DeliveryQueue, ResendsUntil200) {
  DeliveryQueue queue;
  queue.add(notice("A:PENDING"), kStart, {});
  auto due = queue.take_due(kStart);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_TRUE(queue.take_due(kStart).empty());  // in flight
  queue.report(due[0].id, 500, kStart);
  EXPECT_TRUE(queue.take_due(kStart + 59s).empty());
  due = queue.take_due(kStart + 60s);
  ASSERT_EQ(due.size(), 1U);
  queue.report(due[0].id, 0, kStart + 60s);  // no answer
  EXPECT_TRUE(queue.take_due(kStart + 60s + 119s).empty());
  due = queue.take_due(kStart + 180s);
  ASSERT_EQ(due.size(), 1U);
  queue.report(due[0].id, 200, kStart + 180s);
  EXPECT_EQ(queue.pending(), 0U);
  const auto state = queue.state();
  EXPECT_EQ(state.at("delivered").as_array()[0].at("attempts").as_int64(), 3);
}

TEST(DeliveryQueue, GivesUpAfterTwentyAttempts) {
  DeliveryQueue queue;
  queue.add(notice("A:PENDING"), kStart, {});
  auto now = kStart;
  for (int attempt = 1; attempt <= 20; ++attempt) {
    const auto due = queue.take_due(now + 100h);
    ASSERT_EQ(due.size(), 1U) << attempt;
    queue.report(due[0].id, 503, now);
  }
  EXPECT_EQ(queue.pending(), 0U);
  EXPECT_EQ(queue.state().at("abandoned").as_int64(), 1);
}

TEST(DeliveryQueue, Faults) {
  DeliveryQueue queue;
  gateway_sim::FaultConfig duplicates;
  duplicates.duplicate_notifications = 2;
  queue.add(notice("A:PENDING"), kStart, duplicates);
  EXPECT_EQ(whats(queue.take_due(kStart)),
            (std::vector<std::string>{"A:PENDING", "A:PENDING", "A:PENDING"}));

  DeliveryQueue reordered;
  gateway_sim::FaultConfig reorder;
  reorder.reorder_notifications = true;
  reordered.add(notice("A:PENDING"), kStart, reorder);
  reordered.add(notice("A:COMPLETED"), kStart, reorder);
  EXPECT_TRUE(reordered.take_due(kStart).empty());
  EXPECT_EQ(reordered.state().at("held").as_int64(), 2);
  reordered.flush(kStart);
  EXPECT_EQ(whats(reordered.take_due(kStart)),
            (std::vector<std::string>{"A:COMPLETED", "A:PENDING"}));

  DeliveryQueue dropped;
  gateway_sim::FaultConfig drop;
  drop.drop_notifications = true;
  dropped.add(notice("A:PENDING"), kStart, drop);
  EXPECT_TRUE(dropped.take_due(kStart).empty());
  EXPECT_EQ(dropped.state().at("dropped").as_int64(), 1);
}

}  // namespace
