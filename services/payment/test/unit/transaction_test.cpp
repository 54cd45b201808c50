// A payment attempt's moves: only forward, every gateway state from every attempt state, money
// for an attempt that no longer counts given back, the order's cancellation, refunds and the
// attempt's state after them.
#include "transaction.hpp"

#include <gtest/gtest.h>

#include "contracts/event_types.hpp"

namespace payment {
namespace {
namespace et = contracts::event_type;

constexpr TxState kAll[] = {TxState::registering,        TxState::initialized, TxState::pending,
                            TxState::succeeded,          TxState::failed,      TxState::cancelled,
                            TxState::partially_refunded, TxState::refunded};

// The order states move in: a move never goes to an earlier rank.
int rank(TxState state) {
  switch (state) {
    case TxState::registering:
      return 0;
    case TxState::initialized:
      return 1;
    case TxState::pending:
      return 2;
    case TxState::succeeded:
    case TxState::failed:
    case TxState::cancelled:
      return 3;
    case TxState::partially_refunded:
      return 4;
    case TxState::refunded:
      return 5;
  }
  return 0;
}

TEST(TransactionTest, NamesRoundTrip) {
  for (const auto state : kAll) EXPECT_EQ(tx_state_from(to_string(state)), state);
  EXPECT_EQ(tx_state_from("paid"), std::nullopt);
  for (const auto state : {RefundState::requested, RefundState::pending, RefundState::succeeded,
                           RefundState::failed}) {
    EXPECT_EQ(refund_state_from(to_string(state)), state);
  }
}

TEST(TransactionTest, ALiveAttemptIsPaidOnceAndPublishesOnce) {
  auto step = on_payment(TxState::initialized, GatewayState::succeeded, false);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->to, TxState::succeeded);
  EXPECT_EQ(step->event_type, et::kPaymentSucceeded);
  EXPECT_FALSE(step->refund_whole);
  // The same news again (a duplicate with another key, a status answer): nothing.
  EXPECT_EQ(on_payment(TxState::succeeded, GatewayState::succeeded, false), std::nullopt);
}

TEST(TransactionTest, PendingIsPublishedOnceAndNeverAfterTheEnd) {
  auto step = on_payment(TxState::initialized, GatewayState::pending, false);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->to, TxState::pending);
  EXPECT_EQ(step->event_type, et::kPaymentPending);
  EXPECT_EQ(on_payment(TxState::pending, GatewayState::pending, false), std::nullopt);
  // PayU's PENDING delivered after its COMPLETED: the payment stays paid.
  EXPECT_EQ(on_payment(TxState::succeeded, GatewayState::pending, false), std::nullopt);
  EXPECT_EQ(on_payment(TxState::failed, GatewayState::pending, false), std::nullopt);
}

TEST(TransactionTest, FailureEndsOnlyALiveAttempt) {
  for (const auto state : {TxState::registering, TxState::initialized, TxState::pending}) {
    auto step = on_payment(state, GatewayState::failed, false);
    ASSERT_TRUE(step) << to_string(state);
    EXPECT_EQ(step->to, TxState::failed);
    EXPECT_EQ(step->event_type, et::kPaymentFailed);
  }
  EXPECT_EQ(on_payment(TxState::succeeded, GatewayState::failed, false), std::nullopt);
  EXPECT_EQ(on_payment(TxState::refunded, GatewayState::failed, false), std::nullopt);
}

TEST(TransactionTest, MoneyForAnAttemptThatNoLongerCountsGoesBack) {
  // Another attempt of the order was paid first: recorded, not announced, refunded.
  auto second = on_payment(TxState::initialized, GatewayState::succeeded, true);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->to, TxState::succeeded);
  EXPECT_EQ(second->event_type, std::nullopt);
  EXPECT_TRUE(second->refund_whole);
  // Paid after we gave up on it: the state stays, the money goes back.
  for (const auto state : {TxState::failed, TxState::cancelled}) {
    auto late = on_payment(state, GatewayState::succeeded, false);
    ASSERT_TRUE(late) << to_string(state);
    EXPECT_EQ(late->to, state);
    EXPECT_EQ(late->event_type, std::nullopt);
    EXPECT_TRUE(late->refund_whole);
  }
}

TEST(TransactionTest, NoNotificationEverMovesAnAttemptBack) {
  for (const auto state : kAll) {
    for (const auto notified : {GatewayState::pending, GatewayState::succeeded,
                                GatewayState::failed, GatewayState::refund_pending,
                                GatewayState::refund_succeeded, GatewayState::refund_failed}) {
      for (const bool elsewhere : {false, true}) {
        const auto step = on_payment(state, notified, elsewhere);
        if (!step) continue;
        EXPECT_GE(rank(step->to), rank(state))
            << to_string(state) << " + " << gateway_state_name(notified);
      }
    }
    if (const auto cancel = on_order_cancelled(state)) {
      EXPECT_GE(rank(cancel->to), rank(state)) << to_string(state) << " + cancellation";
    }
  }
}

TEST(TransactionTest, CancellingTheOrderStopsItsLiveAttempt) {
  for (const auto state : {TxState::registering, TxState::initialized, TxState::pending}) {
    const auto step = on_order_cancelled(state);
    ASSERT_TRUE(step) << to_string(state);
    EXPECT_EQ(step->to, TxState::cancelled);
    EXPECT_FALSE(step->refund_rest);
    EXPECT_FALSE(is_live(step->to));
  }
}

TEST(TransactionTest, CancellingTheOrderRefundsWhatWasPaidForIt) {
  // Paid, or paid and refunded in part by the back office: the state stays, the rest goes back
  // (the refunds' success then moves it to refunded: after_refunds).
  for (const auto state : {TxState::succeeded, TxState::partially_refunded}) {
    const auto step = on_order_cancelled(state);
    ASSERT_TRUE(step) << to_string(state);
    EXPECT_EQ(step->to, state);
    EXPECT_TRUE(step->refund_rest);
  }
}

TEST(TransactionTest, CancellingTheOrderLeavesEndedAttemptsAlone) {
  // Nothing counted, or all given back already; a late payment of a failed or cancelled attempt
  // was refunded when it arrived.
  for (const auto state : {TxState::failed, TxState::cancelled, TxState::refunded}) {
    EXPECT_EQ(on_order_cancelled(state), std::nullopt) << to_string(state);
  }
  // A redelivered OrderCancelled finds every attempt where the first one left it.
  for (const auto state : kAll) {
    const auto first = on_order_cancelled(state);
    if (!first || first->to == state) continue;
    EXPECT_EQ(on_order_cancelled(first->to), std::nullopt) << to_string(state);
  }
}

TEST(TransactionTest, MoneyForAnAttemptOfACancelledOrderGoesBack) {
  // Its live attempt was cancelled with the order: paid anyway on the gateway's page, refunded.
  const auto cancelled = on_order_cancelled(TxState::initialized);
  ASSERT_TRUE(cancelled);
  const auto late = on_payment(cancelled->to, GatewayState::succeeded, true);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->to, TxState::cancelled);
  EXPECT_EQ(late->event_type, std::nullopt);
  EXPECT_TRUE(late->refund_whole);
  // A live attempt of a closed order (never left by the use cases, but never kept either):
  // recorded as paid, not announced, refunded.
  const auto live = on_payment(TxState::pending, GatewayState::succeeded, true);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->event_type, std::nullopt);
  EXPECT_TRUE(live->refund_whole);
}

TEST(TransactionTest, RefundStatesMoveForward) {
  EXPECT_EQ(on_refund(RefundState::requested, GatewayState::refund_pending), RefundState::pending);
  EXPECT_EQ(on_refund(RefundState::requested, GatewayState::refund_succeeded),
            RefundState::succeeded);
  EXPECT_EQ(on_refund(RefundState::pending, GatewayState::refund_succeeded),
            RefundState::succeeded);
  EXPECT_EQ(on_refund(RefundState::pending, GatewayState::refund_failed), RefundState::failed);
  // Late or repeated news after the end changes nothing.
  EXPECT_EQ(on_refund(RefundState::pending, GatewayState::refund_pending), std::nullopt);
  EXPECT_EQ(on_refund(RefundState::succeeded, GatewayState::refund_pending), std::nullopt);
  EXPECT_EQ(on_refund(RefundState::succeeded, GatewayState::refund_failed), std::nullopt);
  EXPECT_EQ(on_refund(RefundState::failed, GatewayState::refund_succeeded), std::nullopt);
  EXPECT_EQ(on_refund(RefundState::pending, GatewayState::succeeded), std::nullopt);
}

TEST(TransactionTest, StateAfterRefunds) {
  EXPECT_EQ(after_refunds(329900, 0), TxState::succeeded);
  EXPECT_EQ(after_refunds(329900, 1), TxState::partially_refunded);
  EXPECT_EQ(after_refunds(329900, 329899), TxState::partially_refunded);
  EXPECT_EQ(after_refunds(329900, 329900), TxState::refunded);
}

TEST(TransactionTest, LiveAndPaid) {
  EXPECT_TRUE(is_live(TxState::registering));
  EXPECT_TRUE(is_live(TxState::pending));
  EXPECT_FALSE(is_live(TxState::cancelled));
  EXPECT_TRUE(is_paid(TxState::partially_refunded));
  EXPECT_FALSE(is_paid(TxState::failed));
}

}  // namespace
}  // namespace payment
