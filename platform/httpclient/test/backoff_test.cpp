#include "platform/httpclient/backoff.hpp"

#include <gtest/gtest.h>

#include "platform/httpclient/client.hpp"

namespace platform::httpclient {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, CeilingDoublesUpToMax) {
  Backoff backoff(100ms, 2s, 1);
  EXPECT_EQ(backoff.ceiling(0), 100ms);
  EXPECT_EQ(backoff.ceiling(1), 200ms);
  EXPECT_EQ(backoff.ceiling(4), 1600ms);
  EXPECT_EQ(backoff.ceiling(5), 2s);
  EXPECT_EQ(backoff.ceiling(1000), 2s);
}

TEST(Backoff, FullJitterStaysWithinCeilingAndSpreads) {
  Backoff backoff(100ms, 2s, 42);
  std::chrono::milliseconds low = 1h, high = 0ms;
  for (int i = 0; i < 1000; ++i) {
    const auto d = backoff.delay(3);
    ASSERT_GE(d, 0ms);
    ASSERT_LE(d, 800ms);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_LT(low, 100ms);
  EXPECT_GT(high, 700ms);
}

TEST(Backoff, SameSeedSameSequence) {
  Backoff a(100ms, 2s, 7), b(100ms, 2s, 7);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.delay(i % 6), b.delay(i % 6));
}

TEST(RetryAfter, ParsesDeltaSecondsOnly) {
  EXPECT_EQ(parse_retry_after("3"), std::chrono::milliseconds(3000));
  EXPECT_EQ(parse_retry_after(" 0 "), std::chrono::milliseconds(0));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1"), std::nullopt);
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
}

TEST(IdempotentMethods, AreTheSafeToRepeatOnes) {
  EXPECT_TRUE(is_idempotent_method("GET"));
  EXPECT_TRUE(is_idempotent_method("put"));
  EXPECT_TRUE(is_idempotent_method("DELETE"));
  EXPECT_FALSE(is_idempotent_method("POST"));
  EXPECT_FALSE(is_idempotent_method("PATCH"));
}

}  // namespace
}  // namespace platform::httpclient
