// The PayU simulator's real binary driven by the real adapter (payment::payu::PayUClient): an
// order registered, paid, failed or abandoned on the hosted page; its signed notifications
// received by a webhook receiver in this test (the kit's HTTP server) and read by read_webhook;
// every fault of the control API; cancel, refunds, the breaker under 503s, and the token
// fetched again after a 401.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateway_sim/testing/simulator_process.hpp"
#include "gateway_sim/testing/webhook_receiver.hpp"
#include "payu_client.hpp"
#include "payu_protocol.hpp"
#include "platform/httpclient/client.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/run.hpp"

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using payment::GatewayState;
using payment::Notification;
using platform::Errc;
using platform::testing::HttpResult;

constexpr const char* kSecondKey = "test-second-key";
constexpr const char* kClientSecret = "test-client-secret";
constexpr const char* kReturnUrl = "http://shop.test/zamowienie/powrot";

payment::payu::PayUCredentials credentials() {
  payment::payu::PayUCredentials out;
  out.client_secret = kClientSecret;
  out.second_key = kSecondKey;
  return out;
}

// The simulator's binary with the POS's secrets; its notification counters from /control/state.
class Simulator : public gateway_sim::testing::SimulatorProcess {
 public:
  Simulator()
      : SimulatorProcess("payu_sim", PAYU_SIM_BINARY, "PAYU_SIM_PORT",
                         {{"PAYU_CLIENT_SECRET", kClientSecret}, {"PAYU_SECOND_KEY", kSecondKey}}) {
  }

  [[nodiscard]] json::object notifications() const {
    return state().at("notifications").as_object();
  }
};

// The shop's webhook endpoint: records every POST to /webhooks/payu and answers `answer(status)`.
using Receiver = gateway_sim::testing::WebhookReceiver;

std::unique_ptr<Simulator>& shared_simulator() {
  static std::unique_ptr<Simulator> simulator;
  return simulator;
}
std::unique_ptr<Receiver>& shared_receiver() {
  static std::unique_ptr<Receiver> receiver;
  return receiver;
}

class PayUSim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_simulator() = std::make_unique<Simulator>();
    shared_receiver() = std::make_unique<Receiver>("/webhooks/payu");
  }
  static void TearDownTestSuite() {
    shared_receiver().reset();
    shared_simulator().reset();
  }
  void SetUp() override {
    sim().control("/control/reset");
    receiver().clear();
    receiver().answer(200);
    platform::httpclient::ClientConfig config;
    config.name = "payu";
    config.base_url = "http://127.0.0.1:" + std::to_string(sim().port());
    config.request_timeout = 3s;
    config.max_retries = 0;
    config.breaker.minimum_number_of_calls = 4;
    config.breaker.sliding_window_size = 4;
    config.breaker.wait_duration_in_open_state = 60s;
    http_ = std::make_unique<platform::httpclient::HttpClient>(io_, config);
    client_ = std::make_unique<payment::payu::PayUClient>(*http_, credentials());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << sim().process().log_tail();
    client_.reset();
    http_.reset();
  }
  static Simulator& sim() { return *shared_simulator(); }
  static Receiver& receiver() { return *shared_receiver(); }
  payment::payu::PayUClient& client() { return *client_; }

  payment::PaymentRequest request(const std::string& transaction_id, std::int64_t amount = 12999) {
    payment::PaymentRequest out;
    out.transaction_id = transaction_id;
    out.order_id = "ORD-2026-000123";
    out.amount = amount;
    out.description = "Zamówienie ORD-2026-000123";
    out.email = "jan.kowalski@example.pl";
    out.customer_name = "Jan Kowalski";
    out.return_url = kReturnUrl;
    out.notify_url = receiver().url();
    return out;
  }

  payment::Registration registered(const std::string& transaction_id, std::int64_t amount = 12999) {
    auto registration =
        platform::testing::run(io(), client().register_payment(request(transaction_id, amount)));
    if (!registration) throw std::runtime_error(registration.error().message);
    return *registration;
  }

  static payment::AttemptRef attempt(const payment::Registration& registration,
                                     const std::string& transaction_id) {
    payment::AttemptRef out;
    out.transaction_id = transaction_id;
    out.registration_reference = registration.gateway_reference;
    out.amount = 12999;
    return out;
  }

  platform::Result<payment::GatewayStatus> status(const payment::Registration& registration) {
    return platform::testing::run(io(), client().status(attempt(registration, "")));
  }

  // The hosted page at redirect_url: shown, then `action` posted as its form does.
  HttpResult on_the_page(const payment::Registration& registration, const std::string& action) {
    const auto& url = registration.redirect_url.value();
    const auto base = "http://127.0.0.1:" + std::to_string(sim().port());
    EXPECT_EQ(url.rfind(base, 0), 0U) << url;
    const auto target = url.substr(base.size());
    const auto page = sim().call("GET", target);
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("Zapłać"), std::string::npos);
    EXPECT_NE(page.body.find("Odrzuć płatność"), std::string::npos);
    EXPECT_NE(page.body.find("Anuluj"), std::string::npos);
    EXPECT_NE(page.body.find("value=\"" + action + "\""), std::string::npos);
    return sim().call("POST", target, "action=" + action,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  [[nodiscard]] Notification read(const payment::WebhookRequest& webhook) const {
    const auto notification = client_->read_webhook(webhook, std::chrono::system_clock::now());
    if (!notification) throw std::runtime_error(notification.error().message);
    if (!*notification) throw std::runtime_error("nothing to act on");
    return **notification;
  }

  [[nodiscard]] std::vector<Notification> read_all() const {
    std::vector<Notification> out;
    for (const auto& webhook : receiver().received()) out.push_back(read(webhook));
    return out;
  }

  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<platform::httpclient::HttpClient> http_;
  std::unique_ptr<payment::payu::PayUClient> client_;
};

TEST_F(PayUSim, PaidOnThePage) {
  const auto registration = registered("tx-paid");
  EXPECT_FALSE(registration.gateway_reference.empty());
  ASSERT_TRUE(registration.redirect_url);
  EXPECT_NE(registration.redirect_url->find("/pay/?orderId=" + registration.gateway_reference),
            std::string::npos);
  EXPECT_EQ(status(registration)->state, GatewayState::pending);  // NEW

  const auto back = on_the_page(registration, "pay");
  EXPECT_EQ(back.status, 303);
  EXPECT_EQ(back.header("location"), kReturnUrl);

  ASSERT_TRUE(receiver().wait_for(2));
  const auto webhooks = receiver().received();
  ASSERT_EQ(webhooks.size(), 2U);
  EXPECT_TRUE(webhooks[0].header("openpayu-signature"));
  EXPECT_EQ(webhooks[0].header("openpayu-signature"), webhooks[0].header("x-openpayu-signature"));
  EXPECT_NE(webhooks[0].header("openpayu-signature")->find("algorithm=MD5"), std::string::npos);
  const auto pending = read(webhooks[0]);
  const auto completed = read(webhooks[1]);
  EXPECT_EQ(pending.state, GatewayState::pending);
  EXPECT_EQ(pending.event_key, registration.gateway_reference + ":PENDING");
  EXPECT_EQ(completed.state, GatewayState::succeeded);
  EXPECT_EQ(completed.event_key, registration.gateway_reference + ":COMPLETED");
  EXPECT_EQ(completed.transaction_id, "tx-paid");
  EXPECT_EQ(completed.gateway_reference, registration.gateway_reference);
  EXPECT_EQ(completed.amount, 12999);
  EXPECT_EQ(completed.currency, "PLN");
  EXPECT_TRUE(platform::testing::run(io(), client().confirm(completed)));

  const auto final_status = status(registration);
  ASSERT_TRUE(final_status) << final_status.error().message;
  EXPECT_EQ(final_status->state, GatewayState::succeeded);
  EXPECT_EQ(final_status->amount, 12999);
  EXPECT_EQ(final_status->gateway_reference, registration.gateway_reference);

  // Paid is final: the page refuses another go.
  EXPECT_EQ(on_the_page(registration, "fail").status, 409);
}

TEST_F(PayUSim, FailedOnThePage) {
  const auto registration = registered("tx-failed");
  EXPECT_EQ(on_the_page(registration, "fail").status, 303);
  ASSERT_TRUE(receiver().wait_for(2));
  const auto notifications = read_all();
  EXPECT_EQ(notifications[0].state, GatewayState::pending);
  EXPECT_EQ(notifications[1].state, GatewayState::failed);
  EXPECT_EQ(notifications[1].event_key, registration.gateway_reference + ":CANCELED");
  EXPECT_EQ(status(registration)->state, GatewayState::failed);
}

TEST_F(PayUSim, AbandonedChangesNothing) {
  const auto registration = registered("tx-abandoned");
  const auto back = on_the_page(registration, "abandon");
  EXPECT_EQ(back.status, 303);
  EXPECT_EQ(back.header("location"), kReturnUrl);
  // Acting is synchronous: nothing queued means nothing will be sent.
  const auto notifications = sim().notifications();
  EXPECT_TRUE(notifications.at("pending").as_array().empty());
  EXPECT_TRUE(notifications.at("delivered").as_array().empty());
  EXPECT_EQ(status(registration)->state, GatewayState::pending);
  EXPECT_EQ(sim().state().at("orders").as_array()[0].at("status").as_string(), "NEW");
}

TEST_F(PayUSim, ResentAfterTheShopAnswers500) {
  receiver().answer(500);
  registered("tx-resent");
  sim().control("/control/payments/tx-resent/pay");
  ASSERT_TRUE(receiver().wait_for(2));
  ASSERT_TRUE(platform::testing::eventually([] {
    const auto pending = sim().notifications().at("pending").as_array();
    return pending.size() == 2 && pending[0].at("attempts").as_int64() == 1 &&
           pending[1].at("attempts").as_int64() == 1;
  }));
  EXPECT_EQ(receiver().received().size(), 2U);  // the next attempt is a minute away

  receiver().answer(200);
  sim().advance(60);
  ASSERT_TRUE(receiver().wait_for(4));
  ASSERT_TRUE(platform::testing::eventually(
      [] { return sim().notifications().at("delivered").as_array().size() == 2; }));
  const auto delivered = sim().notifications().at("delivered").as_array();
  EXPECT_EQ(delivered[0].at("attempts").as_int64(), 2);
  const auto notifications = read_all();
  EXPECT_EQ(notifications[2].event_key, notifications[0].event_key);  // the same, resent
}

TEST_F(PayUSim, DuplicatedAndReorderedNotifications) {
  sim().faults(R"({"duplicate_notifications": 1})");
  const auto registration = registered("tx-duplicated");
  sim().control("/control/payments/tx-duplicated/pay");
  ASSERT_TRUE(receiver().wait_for(4));
  auto notifications = read_all();
  ASSERT_EQ(notifications.size(), 4U);
  EXPECT_EQ(notifications[0].event_key, notifications[1].event_key);
  EXPECT_EQ(notifications[2].event_key, notifications[3].event_key);
  EXPECT_EQ(notifications[3].state, GatewayState::succeeded);

  receiver().clear();
  sim().faults(R"({"reorder_notifications": true})");
  registered("tx-reordered");
  sim().control("/control/payments/tx-reordered/pay");
  EXPECT_EQ(sim().notifications().at("held").as_int64(), 2);
  EXPECT_TRUE(receiver().received().empty());
  sim().control("/control/flush");
  ASSERT_TRUE(receiver().wait_for(2));
  notifications = read_all();
  EXPECT_EQ(notifications[0].state, GatewayState::succeeded);  // COMPLETED first
  EXPECT_EQ(notifications[1].state, GatewayState::pending);
  EXPECT_EQ(notifications[0].transaction_id, "tx-reordered");
}

TEST_F(PayUSim, DroppedNotificationsAndStatusRecovers) {
  sim().faults(R"({"drop_notifications": true})");
  const auto registration = registered("tx-dropped");
  sim().control("/control/payments/tx-dropped/pay");
  EXPECT_EQ(sim().notifications().at("dropped").as_int64(), 2);
  EXPECT_TRUE(sim().notifications().at("pending").as_array().empty());
  EXPECT_TRUE(receiver().received().empty());
  const auto recovered = status(registration);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(recovered->state, GatewayState::succeeded);
}

TEST_F(PayUSim, BadSignatureIsRefused) {
  sim().faults(R"({"bad_signature": true})");
  registered("tx-forged");
  sim().control("/control/payments/tx-forged/pay");
  ASSERT_TRUE(receiver().wait_for(2));
  for (const auto& webhook : receiver().received()) {
    const auto result = client().read_webhook(webhook, std::chrono::system_clock::now());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::unauthenticated);
  }
}

TEST_F(PayUSim, AmountDeltaIsSignedButWrong) {
  sim().faults(R"({"amount_delta": 1})");
  registered("tx-delta", 5000);
  sim().control("/control/payments/tx-delta/pay");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto notifications = read_all();
  EXPECT_EQ(notifications[1].state, GatewayState::succeeded);
  EXPECT_EQ(notifications[1].amount, 5001);
}

TEST_F(PayUSim, Cancel) {
  const auto open = registered("tx-cancel");
  EXPECT_TRUE(platform::testing::run(io(), client().cancel(attempt(open, "tx-cancel"))));
  EXPECT_EQ(status(open)->state, GatewayState::failed);
  ASSERT_TRUE(receiver().wait_for(1));
  EXPECT_EQ(read_all()[0].event_key, open.gateway_reference + ":CANCELED");
  // Cancelling again is fine.
  EXPECT_TRUE(platform::testing::run(io(), client().cancel(attempt(open, "tx-cancel"))));

  const auto paid = registered("tx-cancel-paid");
  sim().control("/control/payments/tx-cancel-paid/pay");
  const auto refused = platform::testing::run(io(), client().cancel(attempt(paid, "")));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::conflict);
}

TEST_F(PayUSim, RefundsPartialAndFull) {
  const auto registration = registered("tx-refund", 1000);
  payment::RefundRequest refund;
  refund.attempt = attempt(registration, "tx-refund");
  refund.refund_id = "0b7d6a0e-5a1c-4f5e-9d6f-000000000001";
  refund.amount = 300;
  refund.reason = "Zwrot towaru";
  const auto too_early = platform::testing::run(io(), client().refund(refund));
  ASSERT_FALSE(too_early);  // not paid yet
  EXPECT_EQ(too_early.error().code, Errc::invalid);

  sim().control("/control/payments/tx-refund/pay");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto partial = platform::testing::run(io(), client().refund(refund));
  ASSERT_TRUE(partial) << partial.error().message;
  ASSERT_TRUE(partial->gateway_refund_id);
  EXPECT_EQ(partial->state, GatewayState::refund_pending);
  // The same request again: the same refund.
  const auto again = platform::testing::run(io(), client().refund(refund));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->gateway_refund_id, partial->gateway_refund_id);

  auto rest = refund;
  rest.refund_id = "0b7d6a0e-5a1c-4f5e-9d6f-000000000002";
  rest.amount = 800;  // only 700 left
  const auto too_much = platform::testing::run(io(), client().refund(rest));
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().code, Errc::invalid);
  rest.amount = 700;
  const auto full = platform::testing::run(io(), client().refund(rest));
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_NE(full->gateway_refund_id, partial->gateway_refund_id);

  ASSERT_TRUE(receiver().wait_for(4));
  const auto notifications = read_all();
  ASSERT_EQ(notifications.size(), 4U);
  EXPECT_EQ(notifications[2].state, GatewayState::refund_succeeded);
  EXPECT_EQ(notifications[2].gateway_refund_id, partial->gateway_refund_id);
  EXPECT_EQ(notifications[2].event_key,
            registration.gateway_reference + ":" + *partial->gateway_refund_id + ":FINALIZED");
  EXPECT_EQ(notifications[2].amount, 300);
  EXPECT_EQ(notifications[2].transaction_id, "tx-refund");
  EXPECT_EQ(notifications[3].amount, 700);
}

TEST_F(PayUSim, DuplicateExtOrderIdIsRefused) {
  registered("tx-twice");
  const auto second = platform::testing::run(io(), client().register_payment(request("tx-twice")));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::invalid);
  EXPECT_NE(second.error().message.find("ERROR_ORDER_NOT_UNIQUE"), std::string::npos);
}

TEST_F(PayUSim, UnavailableUntilTheBreakerOpens) {
  sim().faults(R"({"api_status": 503})");
  for (int call = 0; call < 4; ++call) {
    const auto answer = platform::testing::run(
        io(), client().register_payment(request("tx-503-" + std::to_string(call))));
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, Errc::unavailable) << answer.error().message;
  }
  EXPECT_FALSE(client().available());
  const auto fast = platform::testing::run(io(), client().register_payment(request("tx-503-x")));
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().reason, "circuit_open");
}

TEST_F(PayUSim, TokenFetchedAgainAfter401) {
  const auto registration = registered("tx-token");
  EXPECT_EQ(sim().state().at("tokens").as_int64(), 1);
  EXPECT_TRUE(status(registration));
  EXPECT_EQ(sim().state().at("tokens").as_int64(), 1);  // cached
  sim().advance(43200);  // the token has expired for PayU, not yet for our cache
  const auto after = status(registration);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(sim().state().at("tokens").as_int64(), 2);
}

TEST_F(PayUSim, OAuthWantsAForm) {
  const auto json_body =
      sim().call("POST", std::string(payment::payu::kTokenPath),
                 R"({"grant_type":"client_credentials"})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_body.status, 401);
  const auto wrong_secret = sim().call("POST", std::string(payment::payu::kTokenPath),
                                       payment::payu::token_request_body("300746", "wrong"),
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(wrong_secret.status, 401);
  EXPECT_EQ(json::parse(wrong_secret.body).at("error").as_string(), "invalid_client");
  EXPECT_EQ(
      sim().call("POST", "/api/v2_1/orders", "{}", {{"Content-Type", "application/json"}}).status,
      401);
}

}  // namespace
