// The simulated POS without HTTP: tokens, order validation, the lifecycle and what it notifies
// (signed with the second key), cancel, refunds and their idempotency.
#include "simulator.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "payu_protocol.hpp"

namespace {
namespace json = boost::json;
using namespace payu_sim;
using platform::Errc;

constexpr const char* kOrder =
    R"({"notifyUrl":"http://shop/notify","continueUrl":"http://shop/back","customerIp":"127.0.0.1",
        "merchantPosId":"300746","description":"Zamówienie","currencyCode":"PLN",
        "totalAmount":"1000","extOrderId":"tx-1",
        "products":[{"name":"Pralka","unitPrice":"1000","quantity":"1"}]})";

class SimulatorTest : public ::testing::Test {
 protected:
  SimulatorTest() : simulator_(config(), clock_) {}
  static SimConfig config() {
    SimConfig out;
    out.public_url = "http://127.0.0.1:8203";
    return out;
  }
  std::string create(std::string_view body = kOrder) {
    const auto created = simulator().create_order(body);
    EXPECT_TRUE(created) << created.error().message;
    return std::string(created->at("orderId").as_string());
  }
  std::vector<std::string> delivered_states() {
    std::vector<std::string> out;
    for (const auto& delivery : simulator().take_due()) {
      EXPECT_TRUE(payment::payu::verify_signature(delivery.notice.signature, delivery.notice.body,
                                                  config().second_key));
      out.push_back(delivery.notice.what.substr(delivery.notice.what.find(':') + 1));
      simulator().report(delivery.id, 200);
    }
    return out;
  }

  Simulator& simulator() { return simulator_; }
  gateway_sim::SimClock& clock() { return clock_; }

 private:
  gateway_sim::SimClock clock_;
  Simulator simulator_;
};

TEST_F(SimulatorTest, Tokens) {
  EXPECT_FALSE(simulator().authorized(std::nullopt));
  const auto token = simulator().issue_token(
      payment::payu::token_request_body("300746", "dev-payu-client-secret"));
  ASSERT_TRUE(token);
  EXPECT_EQ(token->at("expires_in").as_int64(), 43199);
  const std::string bearer = "Bearer " + std::string(token->at("access_token").as_string());
  EXPECT_TRUE(simulator().authorized(bearer));
  simulator().advance(std::chrono::seconds(43199));
  EXPECT_FALSE(simulator().authorized(bearer));
  EXPECT_FALSE(simulator().issue_token(payment::payu::token_request_body("300746", "nope")));
  EXPECT_FALSE(simulator().issue_token("grant_type=password&client_id=300746"));
  EXPECT_TRUE(simulator().authorized("Basic MzAwNzQ2OmRldi1wYXl1LXNlY29uZC1rZXk="));
}

TEST_F(SimulatorTest, ValidatesOrders) {
  auto refused_with = [this](std::string_view from, std::string_view to) {
    std::string body = kOrder;
    body.replace(body.find(from), from.size(), to);
    const auto result = simulator().create_order(body);
    return result ? std::string("accepted") : result.error().reason;
  };
  EXPECT_EQ(refused_with(R"("totalAmount":"1000",)", ""), "ERROR_VALUE_MISSING");
  EXPECT_EQ(refused_with(R"("totalAmount":"1000")", R"("totalAmount":"10.00")"),
            "ERROR_VALUE_INVALID");
  EXPECT_EQ(refused_with(R"("customerIp":"127.0.0.1")", R"("customerIp":"0.0.0.0")"),
            "ERROR_VALUE_INVALID");
  EXPECT_EQ(refused_with(R"("merchantPosId":"300746")", R"("merchantPosId":"1")"),
            "ERROR_VALUE_INVALID");
  EXPECT_EQ(refused_with(R"("quantity":"1")", R"("quantity":1)"), "ERROR_VALUE_INVALID");
  EXPECT_EQ(refused_with(R"("description":"Zamówienie",)", ""), "ERROR_VALUE_MISSING");
  EXPECT_EQ(simulator().create_order("nope").error().reason, "ERROR_SYNTAX");
  create();
  EXPECT_EQ(simulator().create_order(kOrder).error().reason, "ERROR_ORDER_NOT_UNIQUE");
}

TEST_F(SimulatorTest, PayNotifiesPendingThenCompleted) {
  const auto id = create();
  const auto created = simulator().get_order(id);
  EXPECT_EQ(created->at("orders").as_array()[0].at("status").as_string(), "NEW");
  EXPECT_FALSE(simulator().page(id, "wrong-token"));
  EXPECT_EQ(simulator().act_external("tx-1", gateway_sim::PageAction::abandon).value(),
            "http://shop/back");
  EXPECT_TRUE(delivered_states().empty());
  EXPECT_EQ(simulator().act_external("tx-1", gateway_sim::PageAction::pay).value(),
            "http://shop/back");
  EXPECT_EQ(delivered_states(), (std::vector<std::string>{"PENDING", "COMPLETED"}));
  EXPECT_EQ(simulator().act_external("tx-1", gateway_sim::PageAction::fail).error().code,
            Errc::conflict);
  EXPECT_EQ(simulator().cancel_order(id).error().reason, "ERROR_ORDER_NOT_CANCELABLE");
}

TEST_F(SimulatorTest, CancelNotifiesOnce) {
  const auto id = create();
  EXPECT_TRUE(simulator().cancel_order(id));
  EXPECT_TRUE(simulator().cancel_order(id));
  EXPECT_EQ(delivered_states(), (std::vector<std::string>{"CANCELED"}));
  EXPECT_EQ(simulator().cancel_order("nope").error().code, Errc::not_found);
}

TEST_F(SimulatorTest, Refunds) {
  const auto id = create();
  const std::string half =
      R"({"refund":{"description":"Zwrot","amount":"500","extRefundId":"r1"}})";
  EXPECT_EQ(simulator().create_refund(id, half).error().code, Errc::malformed);  // not paid
  ASSERT_TRUE(simulator().act_external("tx-1", gateway_sim::PageAction::pay));
  delivered_states();
  const auto first = simulator().create_refund(id, half);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->at("refund").at("status").as_string(), "PENDING");
  const auto replay = simulator().create_refund(id, half);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->at("refund").at("refundId"), first->at("refund").at("refundId"));
  EXPECT_FALSE(simulator().create_refund(
      id, R"({"refund":{"description":"Zwrot","amount":"400","extRefundId":"r1"}})"));
  EXPECT_FALSE(simulator().create_refund(
      id, R"({"refund":{"description":"Zwrot","amount":"501","extRefundId":"r2"}})"));
  // No amount: all that is left.
  const auto rest =
      simulator().create_refund(id, R"({"refund":{"description":"Reszta","extRefundId":"r3"}})");
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->at("refund").at("amount").as_string(), "500");
  EXPECT_EQ(
      delivered_states(),
      (std::vector<std::string>{
          first->at("refund").at("refundId").as_string().c_str() + std::string(":FINALIZED"),
          rest->at("refund").at("refundId").as_string().c_str() + std::string(":FINALIZED")}));
  EXPECT_EQ(simulator().get_refunds(id)->at("refunds").as_array().size(), 2U);
}

TEST_F(SimulatorTest, ResetForgetsEverything) {
  create();
  simulator().advance(std::chrono::seconds(100));
  simulator().reset();
  EXPECT_EQ(clock().offset().count(), 0);
  EXPECT_TRUE(simulator().state().at("orders").as_array().empty());
  create();  // the same extOrderId again
}

}  // namespace
