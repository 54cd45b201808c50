// The simulator's books: registering, paying, declining, verifying and refunding, with the
// refusals P24 gives.
#include "ledger.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace p24_sim {
namespace {
using namespace std::chrono_literals;
using platform::Errc;

const platform::TimePoint kNow = platform::TimePoint{} + 1000h;

RegisterOrder order(const std::string& session_id, std::int64_t amount = 10000) {
  RegisterOrder out;
  out.session_id = session_id;
  out.amount = amount;
  out.currency = "PLN";
  out.description = "Zamówienie";
  out.email = "a@b.pl";
  out.url_return = "http://shop/return";
  out.url_status = "http://shop/notify";
  out.time_limit_min = 15;
  return out;
}

TEST(Ledger, RegistersWithOrderIdsBeyond2To31AndUniqueSessions) {
  Ledger ledger;
  const auto first = ledger.register_transaction(order("s1"), kNow);
  ASSERT_TRUE(first);
  EXPECT_GT(first->order_id, std::int64_t{1} << 31);
  EXPECT_EQ(first->status, 0);
  const auto second = ledger.register_transaction(order("s2"), kNow);
  ASSERT_TRUE(second);
  EXPECT_NE(first->token, second->token);
  EXPECT_EQ(second->order_id, first->order_id + 1);
  EXPECT_EQ(ledger.register_transaction(order("s1"), kNow).error().code, Errc::conflict);
  EXPECT_EQ(ledger.by_token(first->token)->order.session_id, "s1");
  EXPECT_FALSE(ledger.by_session("s3"));
}

TEST(Ledger, PaysOnceWithinTheTimeLimit) {
  Ledger ledger;
  const auto registered = *ledger.register_transaction(order("s1"), kNow);
  EXPECT_EQ(ledger.pay(registered.token, 25, kNow + 16min).error().code, Errc::conflict);
  const auto paid = ledger.pay(registered.token, 25, kNow + 14min);
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->status, 1);
  EXPECT_EQ(paid->outcome, Outcome::paid);
  EXPECT_EQ(paid->statement.rfind("p24-", 0), 0U);
  EXPECT_EQ(ledger.pay(registered.token, 25, kNow).error().code, Errc::conflict);
  EXPECT_EQ(ledger.fail(registered.token).error().code, Errc::conflict);
  EXPECT_EQ(ledger.pay("nope", 25, kNow).error().code, Errc::not_found);
}

TEST(Ledger, DeclinedAndAbandoned) {
  Ledger ledger;
  const auto declined = *ledger.register_transaction(order("s1"), kNow);
  ASSERT_TRUE(ledger.fail(declined.token));
  EXPECT_EQ(ledger.by_session("s1")->outcome, Outcome::failed);
  EXPECT_EQ(ledger.by_session("s1")->status, 0);
  const auto abandoned = *ledger.register_transaction(order("s2"), kNow);
  ASSERT_TRUE(ledger.abandon(abandoned.token));
  EXPECT_EQ(ledger.by_session("s2")->outcome, Outcome::open);
  EXPECT_TRUE(ledger.pay(abandoned.token, 25, kNow));
}

TEST(Ledger, VerifiesOnlyWhatWasPaid) {
  Ledger ledger;
  const auto registered = *ledger.register_transaction(order("s1"), kNow);
  EXPECT_EQ(ledger.verify("s1", registered.order_id, 10000, "PLN").error().code, Errc::invalid);
  ASSERT_TRUE(ledger.pay(registered.token, 25, kNow));
  EXPECT_EQ(ledger.verify("s2", registered.order_id, 10000, "PLN").error().code, Errc::not_found);
  EXPECT_EQ(ledger.verify("s1", registered.order_id + 1, 10000, "PLN").error().code, Errc::invalid);
  EXPECT_EQ(ledger.verify("s1", registered.order_id, 9900, "PLN").error().code, Errc::invalid);
  EXPECT_EQ(ledger.verify("s1", registered.order_id, 10000, "EUR").error().code, Errc::invalid);
  EXPECT_FALSE(ledger.settled("s1"));
  ASSERT_TRUE(ledger.verify("s1", registered.order_id, 10000, "PLN"));
  EXPECT_EQ(ledger.by_session("s1")->status, 2);
  EXPECT_TRUE(ledger.settled("s1"));
  EXPECT_TRUE(ledger.verify("s1", registered.order_id, 10000, "PLN"));
}

RefundOrder refund_of(const Transaction& transaction, const std::string& request_id,
                      std::int64_t amount) {
  RefundOrder out;
  out.request_id = request_id;
  out.refunds_uuid = request_id;
  out.refunds.push_back(
      RefundItem{transaction.order_id, transaction.order.session_id, amount, "Zwrot"});
  return out;
}

TEST(Ledger, RefundsVerifiedPaymentsUpToTheirAmount) {
  Ledger ledger;
  const auto registered = *ledger.register_transaction(order("s1"), kNow);
  ASSERT_TRUE(ledger.pay(registered.token, 25, kNow));
  EXPECT_EQ(ledger.refund(refund_of(registered, "r0", 100), kNow).error().code, Errc::invalid);
  ASSERT_TRUE(ledger.verify("s1", registered.order_id, 10000, "PLN"));

  ASSERT_TRUE(ledger.refund(refund_of(registered, "r1", 4000), kNow));
  EXPECT_EQ(ledger.by_session("s1")->status, 2);
  EXPECT_EQ(ledger.refund(refund_of(registered, "r1", 1000), kNow).error().code, Errc::conflict);
  EXPECT_EQ(ledger.refund(refund_of(registered, "r2", 6001), kNow).error().code, Errc::invalid);
  auto unknown = refund_of(registered, "r3", 100);
  unknown.refunds[0].order_id += 1;
  EXPECT_EQ(ledger.refund(unknown, kNow).error().code, Errc::not_found);
  // Two refunds of one request count together.
  auto twice = refund_of(registered, "r4", 3001);
  twice.refunds.push_back(twice.refunds[0]);
  EXPECT_EQ(ledger.refund(twice, kNow).error().code, Errc::invalid);

  const auto rest = ledger.refund(refund_of(registered, "r5", 6000), kNow);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->currency, "PLN");
  EXPECT_EQ(ledger.by_session("s1")->status, 3);
  EXPECT_EQ(ledger.by_session("s1")->refunded, 10000);
  EXPECT_EQ(ledger.refunds().size(), 2U);

  ledger.clear();
  EXPECT_TRUE(ledger.transactions().empty());
  EXPECT_TRUE(ledger.refunds().empty());
}

}  // namespace
}  // namespace p24_sim
