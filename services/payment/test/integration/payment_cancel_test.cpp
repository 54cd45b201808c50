// OrderCancelled (checkout-events) through the real service and the gateway simulators: the live
// attempt stops counting (and is stopped at a gateway that can cancel), money paid for the order
// (before or after the cancellation) goes back in full once, initialize refuses the order, and an
// order cancelled before its OrderCreated starts no payment.
#include <gtest/gtest.h>

#include "contracts/event_types.hpp"
#include "payment_harness.hpp"
#include "platform/ids.hpp"
#include "platform/testing/eventually.hpp"

namespace payment::testing {
namespace {
namespace et = contracts::event_type;
using platform::testing::eventually;

constexpr std::int64_t kTotal = 189900;
constexpr std::string_view kRefundReason = "Zwrot: zamówienie anulowane";

std::string order_body(const std::string& order_id) {
  return json::serialize(json::object{{"order_id", order_id}});
}

// An order whose payment the service started by itself: its attempt's id.
std::string started(Customer& customer, const std::string& method, std::string& order_id) {
  customer.available();
  order_id = customer.place_order(method, kTotal);
  wait_events(customer.session(), std::string(et::kPaymentInitialized));
  return std::string(customer.started_attempt(order_id).at("transaction_id").as_string());
}

// Waits until initialize refuses the order as cancelled (the service took its OrderCancelled).
void wait_cancelled(Customer& customer, const std::string& order_id) {
  HttpResult answer;
  EXPECT_TRUE(eventually([&] {
    answer = customer.call("POST", "/payment/initialize", order_body(order_id));
    return answer.status == 409;
  })) << answer.status
      << " " << answer.body << "\n"
      << suite().service->log_tail();
  EXPECT_NE(answer.body.find("order_cancelled"), std::string::npos) << answer.body;
}

// Everything before this point of the session's checkout-events has been handled: a BLIK-by-code
// order (which starts nothing by itself) is placed and cancelled after them, and waited for.
void wait_handled(Customer& customer) {
  const auto marker = customer.place_order("blik_code", 1000);
  customer.cancel_order(marker);
  wait_cancelled(customer, marker);
}

// The session's PaymentRefunded events: each must be a full refund with the cancellation's reason.
std::size_t full_refunds(const std::string& session, const std::string& transaction_id) {
  std::size_t n = 0;
  for (const auto& [type, data] : published(session)) {
    if (type != et::kPaymentRefunded) continue;
    EXPECT_EQ(data.at("transaction_id").as_string(), transaction_id);
    EXPECT_EQ(data.at("amount").at("amount").as_int64(), kTotal);
    EXPECT_TRUE(data.at("full_refund").as_bool());
    EXPECT_EQ(data.at("reason"), json::value(kRefundReason));
    ++n;
  }
  return n;
}

TEST(PaymentCancelTest, TheLiveAttemptStopsCountingAndALatePaymentGoesBackInFull) {
  Customer customer;
  std::string order_id;
  const auto id = started(customer, "przelewy24", order_id);
  customer.cancel_order(order_id);
  const auto cancelled = customer.wait_state(id, "cancelled");
  EXPECT_NE(cancelled.at("history").as_array().back().at("cause").as_string().find(
                "order cancelled: hold_expired"),
            std::string::npos)
      << json::serialize(cancelled);

  // Przelewy24 cannot cancel: the customer still pays on its page, the money goes back.
  ASSERT_EQ(suite().p24->act(id, "pay").status, 200);
  json::object doc;
  EXPECT_TRUE(eventually([&] {
    doc = body_of(customer.call("GET", "/payment/status/" + id));
    return doc.at("refunded").at("amount").as_int64() == kTotal;
  })) << json::serialize(doc)
      << "\n"
      << suite().service->log_tail();
  EXPECT_EQ(doc.at("state").as_string(), "cancelled");
  ASSERT_EQ(doc.at("refunds").as_array().size(), 1U) << json::serialize(doc);
  EXPECT_EQ(doc.at("refunds").as_array().front().at("reason"), json::value(kRefundReason));
  wait_events(customer.session(), std::string(et::kPaymentRefunded));
  EXPECT_EQ(full_refunds(customer.session(), id), 1U);
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 0U);
}

TEST(PaymentCancelTest, AGatewayThatCanCancelStopsTheLiveAttempt) {
  Customer customer;
  std::string order_id;
  const auto id = started(customer, "payu_transfer", order_id);
  customer.cancel_order(order_id);
  customer.wait_state(id, "cancelled");
  std::string status;
  EXPECT_TRUE(eventually([&] {
    const auto state = body_of(suite().payu->control("GET", "/control/state"));
    for (const auto& order : state.at("orders").as_array()) {
      if (order.at("extOrderId").as_string() == id) status = order.at("status").as_string();
    }
    return status == "CANCELED";
  })) << status
      << "\n"
      << suite().service->log_tail();
  EXPECT_EQ(suite().payu->act(id, "pay").status, 409);  // the page takes no payment any more
}

TEST(PaymentCancelTest, APaidOrderThatIsCancelledIsRefundedInFull) {
  Customer customer;
  std::string order_id;
  const auto id = started(customer, "stripe_card", order_id);
  ASSERT_EQ(suite().stripe->act(id, "pay").status, 200);
  customer.wait_state(id, "succeeded");

  customer.cancel_order(order_id, "paid_after_hold");
  const auto refunded = customer.wait_state(id, "refunded");
  EXPECT_EQ(refunded.at("refunded").at("amount").as_int64(), kTotal);
  ASSERT_EQ(refunded.at("refunds").as_array().size(), 1U) << json::serialize(refunded);
  EXPECT_EQ(refunded.at("refunds").as_array().front().at("reason"), json::value(kRefundReason));
  wait_events(customer.session(), std::string(et::kPaymentRefunded));
  EXPECT_EQ(full_refunds(customer.session(), id), 1U);
  wait_cancelled(customer, order_id);
}

TEST(PaymentCancelTest, ARedeliveredCancellationRefundsOnce) {
  Customer customer;
  std::string order_id;
  const auto id = started(customer, "payu_card", order_id);
  ASSERT_EQ(suite().payu->act(id, "pay").status, 200);
  customer.wait_state(id, "succeeded");

  customer.cancel_order(order_id, "paid_after_hold");
  customer.cancel_order(order_id, "paid_after_hold");
  customer.wait_state(id, "refunded");
  wait_events(customer.session(), std::string(et::kPaymentRefunded));
  wait_handled(customer);  // the second OrderCancelled too: a refund of it would be recorded now
  const auto doc = body_of(customer.call("GET", "/payment/status/" + id));
  EXPECT_EQ(doc.at("refunds").as_array().size(), 1U) << json::serialize(doc);
  EXPECT_EQ(doc.at("refunded").at("amount").as_int64(), kTotal);
  EXPECT_EQ(full_refunds(customer.session(), id), 1U);
}

TEST(PaymentCancelTest, InitializeRefusesACancelledOrder) {
  Customer customer;
  customer.available();
  const auto order_id = customer.place_order("blik_code", kTotal);
  customer.cancel_order(order_id);
  wait_cancelled(customer, order_id);
  // Another method or a BLIK code changes nothing; the order never got an attempt.
  const auto with_code = R"({"order_id":")" + order_id + R"(","blik_code":"777123"})";
  EXPECT_EQ(customer.call("POST", "/payment/initialize", with_code).status, 409);
  const auto other = R"({"order_id":")" + order_id + R"(","method":"przelewy24"})";
  EXPECT_EQ(customer.call("POST", "/payment/initialize", other).status, 409);
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentInitialized)), 0U);
}

TEST(PaymentCancelTest, AnOrderCancelledBeforeItsOrderCreatedStartsNoPayment) {
  Customer customer;
  customer.available();
  const auto order_id = "ORD-" + platform::random_hex(6);
  customer.cancel_order(order_id);
  wait_cancelled(customer, order_id);  // the tombstone: known, and cancelled
  // Its OrderCreated (say, sent back from the dead-letter topic) with an online method.
  customer.place_order("przelewy24", kTotal, order_id);
  wait_handled(customer);
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentInitialized)), 0U);
  wait_cancelled(customer, order_id);
}

}  // namespace
}  // namespace payment::testing
