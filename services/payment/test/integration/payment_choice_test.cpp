// The customer's side of the Payment: the methods offered for the cart and the delivery method
// (cash on delivery follows the shipping choice through events), the choice and its clearing,
// initialize (Idempotency-Key, another user's order, another method replacing the live attempt,
// a payment of the replaced attempt given back), a gateway that goes down and comes back, and
// failures reported by the gateways.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <thread>

#include "contracts/event_types.hpp"
#include "payment_harness.hpp"
#include "platform/testing/eventually.hpp"

namespace payment::testing {
namespace {
namespace et = contracts::event_type;
using namespace std::chrono_literals;
using platform::testing::eventually;

const json::object* method_in(const json::object& doc, std::string_view list, std::string_view id) {
  for (const auto& method : doc.at(list).as_array()) {
    if (method.at("id").as_string() == id) return &method.as_object();
  }
  return nullptr;
}

std::string order_body(const std::string& order_id, const std::string& method = "") {
  json::object body{{"order_id", order_id}};
  if (!method.empty()) body["method"] = method;
  return json::serialize(body);
}

TEST(PaymentChoiceTest, CashOnDeliveryFollowsTheShippingChoice) {
  Customer customer;
  auto doc = customer.available();
  const auto* cod = method_in(doc, "unavailable", "cash_on_delivery");
  ASSERT_NE(cod, nullptr) << json::serialize(doc);
  EXPECT_EQ(cod->at("reason").at("code").as_string(), "no_shipping_method");

  customer.choose_shipping("courier", true, 1);
  ASSERT_TRUE(eventually([&] {
    doc = customer.available();
    return method_in(doc, "methods", "cash_on_delivery") != nullptr;
  })) << json::serialize(doc);
  EXPECT_EQ(method_in(doc, "methods", "cash_on_delivery")->at("fee").at("amount").as_int64(), 500);

  auto chosen = customer.call("POST", "/payment/select", R"({"method":"cash_on_delivery"})");
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(body_of(chosen).at("selected").at("id").as_string(), "cash_on_delivery");
  wait_events(customer.session(), std::string(et::kPaymentMethodSelected));

  // The customer switches to a parcel locker: the choice goes, with the reason.
  customer.choose_shipping("parcel_locker", false, 2);
  wait_events(customer.session(), std::string(et::kPaymentMethodCleared));
  for (const auto& [type, data] : published(customer.session())) {
    if (type == et::kPaymentMethodCleared) {
      EXPECT_EQ(data.at("method_id").as_string(), "cash_on_delivery");
      EXPECT_EQ(data.at("reason").at("code").as_string(),
                "shipping_method_excludes_cash_on_delivery");
    }
  }
  // A late, older shipping event changes nothing.
  customer.choose_shipping("courier", true, 1);
  std::this_thread::sleep_for(500ms);
  doc = customer.available();
  EXPECT_EQ(method_in(doc, "methods", "cash_on_delivery"), nullptr);
  EXPECT_TRUE(doc.at("selected").is_null());
}

TEST(PaymentChoiceTest, BadChoicesAreRefusedAndChangeNothing) {
  Customer customer;
  customer.available();
  EXPECT_EQ(customer.call("POST", "/payment/select", R"({"method":"bitcoin"})").status, 404);
  EXPECT_EQ(customer.call("POST", "/payment/select", R"({"method":7})").status, 422);
  EXPECT_EQ(customer.call("POST", "/payment/select", R"({"method":"x","extra":1})").status, 422);
  EXPECT_EQ(customer.call("POST", "/payment/select", "[1]").status, 400);
  // Cash on delivery without a delivery method: 422 with the customer's reason.
  auto cod = customer.call("POST", "/payment/select", R"({"method":"cash_on_delivery"})");
  EXPECT_EQ(cod.status, 422) << cod.body;
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentMethodSelected)), 0U);
  // Another user has no session: nothing of this one's.
  Customer other;
  auto theirs = suite().service->call("nobody-" + other.user(), "GET", "/payment/available");
  ASSERT_EQ(theirs.status, 200);
  EXPECT_TRUE(body_of(theirs).at("session_id").is_null());
}

TEST(PaymentChoiceTest, InitializeIsIdempotentAndBoundToTheOrdersOwner) {
  Customer customer;
  customer.available();
  const auto order_id = customer.place_order("blik_code", 129900);
  // BLIK typed on the shop's page waits for the code: nothing starts by itself.
  auto no_code = customer.initialize(order_body(order_id));
  EXPECT_EQ(no_code.status, 422) << no_code.body;

  const platform::testing::Headers key{{"Idempotency-Key", "init-" + order_id}};
  const auto body = R"({"order_id":")" + order_id + R"(","blik_code":"777123"})";
  auto first = customer.initialize(body, key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = customer.call("POST", "/payment/initialize", body, key);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(body_of(again).at("transaction_id"), body_of(first).at("transaction_id"));
  EXPECT_TRUE(body_of(first).at("redirect_url").is_null());  // level 0: no redirect
  const std::string id(body_of(first).at("transaction_id").as_string());
  customer.wait_state(id, "succeeded");  // the simulator's 777xxx codes are accepted

  // Another user: not their order, not their payment.
  const auto stranger = "stranger-" + customer.user();
  EXPECT_EQ(suite().service->call(stranger, "GET", "/payment/status/" + id).status, 403);
  EXPECT_EQ(suite()
                .service
                ->call(stranger, "POST", "/payment/initialize", order_body(order_id),
                       {{"Content-Type", "application/json"}})
                .status,
            403);
  // A paid order takes no new payment.
  EXPECT_EQ(customer
                .call("POST", "/payment/initialize",
                      R"({"order_id":")" + order_id + R"(","method":"payu_card"})")
                .status,
            409);
  EXPECT_EQ(customer.call("GET", "/payment/status/txn_unknown").status, 404);
}

TEST(PaymentChoiceTest, AnotherMethodReplacesTheLiveAttemptAndALatePaymentOfItGoesBack) {
  Customer customer;
  customer.available();
  const auto order_id = customer.place_order("przelewy24", 249900);
  wait_events(customer.session(), std::string(et::kPaymentInitialized));
  const std::string first(customer.started_attempt(order_id).at("transaction_id").as_string());

  auto second = customer.call("POST", "/payment/initialize", order_body(order_id, "payu_card"));
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string second_id(body_of(second).at("transaction_id").as_string());
  EXPECT_NE(second_id, first);
  customer.wait_state(first, "cancelled");

  // The customer still pays the first one in an old tab: the money goes back by itself.
  ASSERT_EQ(suite().p24->act(first, "pay").status, 200);
  EXPECT_TRUE(eventually([&] {
    auto doc = body_of(customer.call("GET", "/payment/status/" + first));
    return doc.at("refunded").at("amount").as_int64() == 249900;
  })) << suite().service->log_tail();
  EXPECT_EQ(customer.wait_state(first, "cancelled").at("state").as_string(), "cancelled");

  ASSERT_EQ(suite().payu->act(second_id, "pay").status, 200);
  customer.wait_state(second_id, "succeeded");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count_events(customer.session(), std::string(et::kPaymentSucceeded)), 1U);
}

TEST(PaymentChoiceTest, AFailedPaymentCanBePaidAgainWithAnotherMethod) {
  Customer customer;
  customer.available();
  const auto order_id = customer.place_order("payu_transfer", 99900);
  wait_events(customer.session(), std::string(et::kPaymentInitialized));
  const std::string id(customer.started_attempt(order_id).at("transaction_id").as_string());
  ASSERT_EQ(suite().payu->act(id, "fail").status, 200);
  customer.wait_state(id, "failed");
  wait_events(customer.session(), std::string(et::kPaymentFailed));

  auto retry = customer.call("POST", "/payment/initialize", order_body(order_id, "stripe_card"));
  ASSERT_EQ(retry.status, 201) << retry.body;
  const std::string retry_id(body_of(retry).at("transaction_id").as_string());
  ASSERT_EQ(suite().stripe->act(retry_id, "pay").status, 200);
  customer.wait_state(retry_id, "succeeded");
}

TEST(PaymentChoiceTest, AGatewayThatIsDownDisappearsAndComesBack) {
  Customer buyer;
  buyer.available();
  Customer browsing;  // still choosing: sees what /payment/available offers
  browsing.available();
  suite().payu->faults(R"({"api_status": 503})");
  // Every call fails until the front half's breaker opens (4 calls in the test's settings). The
  // orders are BLIK-by-code ones, which the service does not start by itself.
  for (int i = 0; i < 6; ++i) {
    const auto order_id = buyer.place_order("blik_code", 59900);
    auto answer = buyer.initialize(order_body(order_id, "payu_card"));
    EXPECT_EQ(answer.status, 503) << answer.body;
    EXPECT_FALSE(answer.header("retry-after").empty());
  }
  auto doc = browsing.available();
  const auto* payu = method_in(doc, "unavailable", "payu_card");
  ASSERT_NE(payu, nullptr) << json::serialize(doc);
  EXPECT_EQ(payu->at("reason").at("code").as_string(), "gateway_unavailable");
  EXPECT_NE(method_in(doc, "methods", "przelewy24"), nullptr);
  auto refused = browsing.call("POST", "/payment/select", R"({"method":"payu_card"})");
  EXPECT_EQ(refused.status, 422) << refused.body;

  suite().payu->clear_faults();
  EXPECT_TRUE(eventually([&] {
    doc = browsing.available();
    return method_in(doc, "methods", "payu_card") != nullptr;
  })) << json::serialize(doc);
}

TEST(PaymentChoiceTest, RulesReloadOnSighupAndABadFileKeepsTheOldOnes) {
  const auto& rules_file = suite().rules_file;
  std::string original;
  {
    std::ifstream in(rules_file);
    original.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto write = [&](const std::string& text) {
    std::ofstream(rules_file, std::ios::trunc) << text;
    ::kill(suite().service->pid(), SIGHUP);
  };
  const auto cod_fee = [](const json::object& doc) -> std::int64_t {
    const auto* cod = method_in(doc, "methods", "cash_on_delivery");
    return cod != nullptr ? cod->at("fee").at("amount").as_int64() : -1;
  };
  Customer customer;
  customer.available();
  customer.choose_shipping("courier", true, 1);
  json::object doc;
  ASSERT_TRUE(eventually([&] { return cod_fee(doc = customer.available()) == 500; }));

  auto dearer = original;
  const auto at = dearer.find("fee: { fixed: 500 }");
  ASSERT_NE(at, std::string::npos) << "the shipped rules changed: adapt the test";
  dearer.replace(at, 19, "fee: { fixed: 900 }");
  write(dearer);
  EXPECT_TRUE(eventually([&] { return cod_fee(doc = customer.available()) == 900; }))
      << json::serialize(doc);

  const auto invalid_before =
      suite().service->metric(R"(rules_reload_total{rules="payment",result="invalid"})");
  write(dearer + "\n  - id: Not An Id\n");
  EXPECT_TRUE(eventually([&] {
    return suite().service->metric(R"(rules_reload_total{rules="payment",result="invalid"})") >
           invalid_before;
  })) << suite().service->log_tail();
  EXPECT_EQ(cod_fee(customer.available()), 900);

  write(original);
  EXPECT_TRUE(eventually([&] { return cod_fee(doc = customer.available()) == 500; }));
}

}  // namespace
}  // namespace payment::testing
