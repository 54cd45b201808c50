// Whole payments through each gateway's simulator: the order starts the payment by itself, the
// customer pays on the gateway's page, the gateway's signed notifications reach the service
// (duplicated, reordered, lost, forged, with the wrong amount), refunds go back through the
// gateway. The service's state is read through its HTTP API, its events from payment-events.
#include <gtest/gtest.h>

#include <thread>

#include "contracts/event_types.hpp"
#include "payment_harness.hpp"
#include "platform/testing/eventually.hpp"

namespace payment::testing {
namespace {
namespace et = contracts::event_type;
using namespace std::chrono_literals;
using platform::testing::eventually;

constexpr std::int64_t kTotal = 329900;

struct GatewayCase {
  std::string gateway;
  std::string method;
};

std::string case_name(const ::testing::TestParamInfo<GatewayCase>& info) {
  return info.param.gateway;
}

class PaymentFlowTest : public ::testing::TestWithParam<GatewayCase> {
 protected:
  void TearDown() override { sim().clear_faults(); }

  const Simulator& sim() const { return simulator(GetParam().gateway); }

  // An order whose payment the service started by itself: its attempt.
  json::object started(Customer& customer, std::string& order_id) {
    customer.available();
    order_id = customer.place_order(GetParam().method, kTotal);
    wait_events(customer.session(), std::string(et::kPaymentInitialized));
    return customer.started_attempt(order_id);
  }

  double webhooks(const std::string& outcome) const {
    return suite().service->metric("payment_webhooks_total{gateway=\"" + GetParam().gateway +
                                   "\",outcome=\"" + outcome + "\"}");
  }
};

TEST_P(PaymentFlowTest, TheOrderStartsThePaymentAndTheGatewayConfirmsIt) {
  Customer customer;
  std::string order_id;
  const auto attempt = started(customer, order_id);
  EXPECT_EQ(attempt.at("gateway").as_string(), GetParam().gateway);
  EXPECT_EQ(attempt.at("method_id").as_string(), GetParam().method);
  EXPECT_EQ(attempt.at("amount").at("amount").as_int64(), kTotal);
  ASSERT_TRUE(attempt.at("redirect_url").is_string());
  EXPECT_TRUE(attempt.at("redirect_url").as_string().starts_with(sim().url()))
      << attempt.at("redirect_url");
  const std::string id(attempt.at("transaction_id").as_string());

  ASSERT_EQ(sim().act(id, "pay").status, 200);
  const auto paid = customer.wait_state(id, "succeeded");
  EXPECT_EQ(paid.at("history").as_array().back().at("to").as_string(), "succeeded");
  wait_events(customer.session(), std::string(et::kPaymentSucceeded));

  const auto events = published(customer.session());
  std::int64_t last_version = 0;
  for (const auto& [type, data] : events) {
    EXPECT_GT(data.at("version").as_int64(), last_version) << type;
    last_version = data.at("version").as_int64();
    if (type == et::kPaymentSucceeded || type == et::kPaymentInitialized) {
      EXPECT_EQ(data.at("transaction_id").as_string(), id);
      EXPECT_EQ(data.at("order_id").as_string(), order_id);
      EXPECT_EQ(data.at("amount").at("amount").as_int64(), kTotal);
    }
  }
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 1U);
}

TEST_P(PaymentFlowTest, DuplicatedNotificationsApplyOnce) {
  sim().faults(R"({"duplicate_notifications": 2})");
  Customer customer;
  std::string order_id;
  const std::string id(started(customer, order_id).at("transaction_id").as_string());
  const auto duplicates_before = webhooks("duplicate") + webhooks("unchanged");
  ASSERT_EQ(sim().act(id, "pay").status, 200);
  customer.wait_state(id, "succeeded");
  EXPECT_TRUE(eventually(
      [&] { return webhooks("duplicate") + webhooks("unchanged") > duplicates_before; }));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 1U);
}

TEST_P(PaymentFlowTest, ReorderedNotificationsNeverMoveBack) {
  sim().faults(R"({"reorder_notifications": true})");
  Customer customer;
  std::string order_id;
  const std::string id(started(customer, order_id).at("transaction_id").as_string());
  ASSERT_EQ(sim().act(id, "pay").status, 200);
  // The simulator holds a notification when its sender picks it up: flush until it went.
  EXPECT_TRUE(eventually([&] {
    if (sim().control("POST", "/control/flush").status != 200) return false;
    const auto doc = body_of(customer.call("GET", "/payment/status/" + id));
    return doc.contains("state") && doc.at("state").as_string() == "succeeded";
  })) << suite().service->log_tail();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(customer.wait_state(id, "succeeded").at("state").as_string(), "succeeded");
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 1U);
}

TEST_P(PaymentFlowTest, ALostNotificationIsRecoveredByReconciliation) {
  sim().faults(R"({"drop_notifications": true})");
  Customer customer;
  std::string order_id;
  const std::string id(started(customer, order_id).at("transaction_id").as_string());
  ASSERT_EQ(sim().act(id, "pay").status, 200);
  const auto paid = customer.wait_state(id, "succeeded");
  EXPECT_NE(paid.at("history").as_array().back().at("cause").as_string().find("reconciliation"),
            std::string::npos)
      << json::serialize(paid);
  EXPECT_EQ(wait_events(customer.session(), std::string(et::kPaymentSucceeded)), 1U);
}

TEST_P(PaymentFlowTest, AForgedNotificationIsRejectedAndChangesNothing) {
  sim().faults(R"({"bad_signature": true})");
  Customer customer;
  std::string order_id;
  const std::string id(started(customer, order_id).at("transaction_id").as_string());
  const auto rejected_before = webhooks("rejected_signature");
  ASSERT_EQ(sim().act(id, "pay").status, 200);
  EXPECT_TRUE(eventually([&] { return webhooks("rejected_signature") > rejected_before; }))
      << suite().service->log_tail();
  const auto doc = body_of(customer.call("GET", "/payment/status/" + id));
  EXPECT_NE(doc.at("state").as_string(), "succeeded");
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 0U);
}

TEST_P(PaymentFlowTest, ANotificationWithTheWrongAmountIsRejectedAndAlerted) {
  sim().faults(R"({"amount_delta": 100})");
  Customer customer;
  std::string order_id;
  const std::string id(started(customer, order_id).at("transaction_id").as_string());
  const auto alerts_before = webhooks("amount_mismatch");
  ASSERT_EQ(sim().act(id, "pay").status, 200);
  EXPECT_TRUE(eventually([&] { return webhooks("amount_mismatch") > alerts_before; }))
      << suite().service->log_tail();
  const auto doc = body_of(customer.call("GET", "/payment/status/" + id));
  EXPECT_NE(doc.at("state").as_string(), "succeeded") << json::serialize(doc);
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 0U);
}

TEST_P(PaymentFlowTest, RefundsPartialThenTheRestThroughTheGateway) {
  Customer customer;
  std::string order_id;
  const std::string id(started(customer, order_id).at("transaction_id").as_string());
  ASSERT_EQ(sim().act(id, "pay").status, 200);
  customer.wait_state(id, "succeeded");

  EXPECT_EQ(admin("POST", "/payment/admin/refunds",
                  R"({"transaction_id":")" + id + R"(","amount":10000,"reason":"Zwrot"})", "")
                .status,
            401);
  auto partial = admin("POST", "/payment/admin/refunds",
                       R"({"transaction_id":")" + id + R"(","amount":10000,"reason":"Zwrot"})");
  ASSERT_EQ(partial.status, 201) << partial.body;
  const auto after_partial = customer.wait_state(id, "partially_refunded");
  EXPECT_EQ(after_partial.at("refunded").at("amount").as_int64(), 10000);
  wait_events(customer.session(), std::string(et::kPaymentRefunded));

  auto too_much = admin("POST", "/payment/admin/refunds",
                        R"({"transaction_id":")" + id + R"(","amount":)" + std::to_string(kTotal) +
                            R"(,"reason":"Zwrot"})");
  EXPECT_EQ(too_much.status, 422) << too_much.body;
  auto rest = admin("POST", "/payment/admin/refunds",
                    R"({"transaction_id":")" + id + R"(","reason":"Zwrot reszty"})");
  ASSERT_EQ(rest.status, 201) << rest.body;
  const auto refunded = customer.wait_state(id, "refunded");
  EXPECT_EQ(refunded.at("refunded").at("amount").as_int64(), kTotal);
  wait_events(customer.session(), std::string(et::kPaymentRefunded), 2);
  bool full = false;
  for (const auto& [type, data] : published(customer.session())) {
    if (type == et::kPaymentRefunded && data.at("full_refund").as_bool()) full = true;
  }
  EXPECT_TRUE(full);
  EXPECT_EQ(admin("POST", "/payment/admin/refunds",
                  R"({"transaction_id":")" + id + R"(","reason":"Jeszcze raz"})")
                .status,
            409);
}

INSTANTIATE_TEST_SUITE_P(Gateways, PaymentFlowTest,
                         ::testing::Values(GatewayCase{"przelewy24", "przelewy24"},
                                           GatewayCase{"payu", "payu_transfer"},
                                           GatewayCase{"stripe", "stripe_card"}),
                         case_name);

}  // namespace
}  // namespace payment::testing
