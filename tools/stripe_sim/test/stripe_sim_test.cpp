// The Stripe simulator's real binary driven by the real StripeClient: a Checkout Session paid,
// declined, abandoned and expired on its hosted page; the signed events read by the adapter as
// they reach a webhook receiver inside the test; retries after a 500 on the simulator's clock;
// duplicates, reordering, drops, bad and stale signatures, a rotated secret, a shifted amount;
// refunds; the Idempotency-Key store; an API answering 503 until the breaker opens.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateway_sim/testing/simulator_process.hpp"
#include "gateway_sim/testing/webhook_receiver.hpp"
#include "platform/httpclient/client.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/run.hpp"
#include "stripe_client.hpp"
#include "stripe_form.hpp"
#include "stripe_protocol.hpp"

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using payment::GatewayState;
using platform::Errc;
using platform::testing::HttpResult;

constexpr const char* kKey = "sk_test_integration";
constexpr const char* kSecret = "whsec_integration_secret";
constexpr const char* kReturnUrl = "http://shop.local/payment/return";

// The shop's webhook endpoint: records every POST to /payment/webhook/stripe and answers
// `answer(status)`.
using Receiver = gateway_sim::testing::WebhookReceiver;

// The simulator's binary with the test's keys, sending its events to `webhook_url`; its delivery
// counters from /control/state.
class Simulator : public gateway_sim::testing::SimulatorProcess {
 public:
  explicit Simulator(const std::string& webhook_url)
      : SimulatorProcess("stripe_sim", STRIPE_SIM_BINARY, "STRIPE_SIM_PORT",
                         {{"STRIPE_SECRET_KEY", kKey},
                          {"STRIPE_WEBHOOK_SECRET", std::string(kSecret) + ",whsec_ignored"},
                          {"STRIPE_WEBHOOK_URL", webhook_url}}) {}

  [[nodiscard]] std::int64_t count(const char* stage) const {
    return state().at("counts").at(stage).as_int64();
  }
};

std::unique_ptr<Receiver>& shared_receiver() {
  static std::unique_ptr<Receiver> receiver;
  return receiver;
}
std::unique_ptr<Simulator>& shared_simulator() {
  static std::unique_ptr<Simulator> simulator;
  return simulator;
}

class StripeSim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_receiver() = std::make_unique<Receiver>("/payment/webhook/stripe");
    shared_simulator() = std::make_unique<Simulator>(shared_receiver()->url());
  }
  static void TearDownTestSuite() {
    shared_simulator().reset();
    shared_receiver().reset();
  }
  void SetUp() override {
    sim().control("/control/reset");
    receiver().answer(200);
    receiver().clear();
    platform::httpclient::ClientConfig config;
    config.name = "stripe_sim_test";
    config.base_url = "http://127.0.0.1:" + std::to_string(sim().port());
    config.max_retries = 1;
    config.backoff_initial = 1ms;
    config.backoff_max = 5ms;
    config.breaker.sliding_window_size = 4;
    config.breaker.minimum_number_of_calls = 4;
    config.breaker.failure_rate_threshold = 50;
    config.breaker.wait_duration_in_open_state = 60s;
    http_ = std::make_unique<platform::httpclient::HttpClient>(io_, config);
    client_ = std::make_unique<payment::stripe::StripeClient>(*http_, credentials({kSecret}));
    transaction_ = "tx-" + platform::testing::unique_suffix();
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << sim().process().log_tail();
  }

  static Simulator& sim() { return *shared_simulator(); }
  static Receiver& receiver() { return *shared_receiver(); }
  static payment::stripe::StripeCredentials credentials(std::vector<std::string> secrets) {
    payment::stripe::StripeCredentials out;
    out.secret_key = kKey;
    out.webhook_secrets = std::move(secrets);
    return out;
  }

  [[nodiscard]] payment::PaymentRequest payment(std::int64_t amount = 1000) const {
    payment::PaymentRequest request;
    request.transaction_id = transaction_;
    request.order_id = "ORD-2026-000123";
    request.amount = amount;
    request.description = "Zamówienie ORD-2026-000123";
    request.email = "jan.kowalski@example.pl";
    request.return_url = kReturnUrl;
    return request;
  }
  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return platform::testing::run(io_, std::move(task));
  }
  payment::Registration registered(std::int64_t amount = 1000) {
    auto registration = run(client_->register_payment(payment(amount)));
    if (!registration) throw std::runtime_error(registration.error().message);
    return *registration;
  }
  [[nodiscard]] payment::AttemptRef attempt(const payment::Registration& registration,
                                            std::string intent = {}) const {
    return payment::AttemptRef{transaction_, registration.gateway_reference, std::move(intent),
                               1000, "PLN"};
  }
  void page(const payment::Registration& registration, const std::string& action) const {
    const auto path = registration.redirect_url->substr(registration.redirect_url->find("/c/pay/"));
    const auto answer = sim().call("POST", path, "action=" + action,
                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(answer.status, 303) << answer.body;
    EXPECT_EQ(answer.header("location"), kReturnUrl);
  }
  // Every received webhook read by `client`, in arrival order.
  std::vector<platform::Result<std::optional<payment::Notification>>> read_all(
      const payment::stripe::StripeClient& client) const {
    std::vector<platform::Result<std::optional<payment::Notification>>> out;
    for (const auto& webhook : receiver().received()) {
      out.push_back(client.read_webhook(webhook, std::chrono::system_clock::now()));
    }
    return out;
  }
  std::vector<payment::Notification> notifications() const {
    std::vector<payment::Notification> out;
    for (auto& read : read_all(*client_)) {
      if (!read) throw std::runtime_error("webhook refused: " + read.error().message);
      if (*read) out.push_back(**read);
    }
    return out;
  }
  static std::string type_of(const payment::WebhookRequest& webhook) {
    return std::string(json::parse(webhook.body).at("type").as_string());
  }

  boost::asio::io_context io_;
  std::unique_ptr<platform::httpclient::HttpClient> http_;
  std::unique_ptr<payment::stripe::StripeClient> client_;
  std::string transaction_;
};

TEST_F(StripeSim, PaidOnTheHostedPage) {
  const auto registration = registered();
  EXPECT_EQ(registration.gateway_reference.rfind("cs_test_", 0), 0U);
  ASSERT_TRUE(registration.redirect_url);
  const auto path = registration.redirect_url->substr(registration.redirect_url->find("/c/pay/"));
  const auto shown = sim().call("GET", path);
  EXPECT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("Zapłać"), std::string::npos);
  EXPECT_NE(shown.body.find("10,00 PLN"), std::string::npos);

  const auto pending = run(client_->status(attempt(registration)));
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_EQ(pending->state, GatewayState::pending);

  page(registration, "pay");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto received = receiver().received();
  EXPECT_EQ(type_of(received[0]), "payment_intent.succeeded");
  EXPECT_EQ(type_of(received[1]), "checkout.session.completed");
  EXPECT_EQ(received[0].header("content-type"), "application/json; charset=utf-8");
  const auto read = notifications();
  ASSERT_EQ(read.size(), 2U);
  for (const auto& n : read) {
    EXPECT_EQ(n.state, GatewayState::succeeded);
    EXPECT_EQ(n.transaction_id, transaction_);
    EXPECT_EQ(n.amount, 1000);
    EXPECT_EQ(n.currency, "PLN");
    EXPECT_EQ(n.gateway_reference.rfind("pi_", 0), 0U);
  }
  EXPECT_NE(read[0].event_key, read[1].event_key);

  const auto paid = run(client_->status(attempt(registration)));
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->state, GatewayState::succeeded);
  EXPECT_EQ(paid->amount, 1000);
  EXPECT_EQ(paid->gateway_reference, read[0].gateway_reference);
  // By the PaymentIntent alone, too.
  const auto by_intent = run(client_->status(
      payment::AttemptRef{transaction_, "", read[0].gateway_reference, 1000, "PLN"}));
  ASSERT_TRUE(by_intent);
  EXPECT_EQ(by_intent->state, GatewayState::succeeded);
  EXPECT_TRUE(run(client_->confirm(read[0])));
  // Paid: it cannot be cancelled any more.
  const auto cancelled = run(client_->cancel(attempt(registration)));
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, Errc::conflict);
}

TEST_F(StripeSim, DeclinedThenExpired) {
  const auto registration = registered();
  sim().control("/control/payments/" + transaction_ + "/fail");
  ASSERT_TRUE(receiver().wait_for(1));
  auto read = notifications();
  ASSERT_EQ(read.size(), 1U);
  EXPECT_EQ(type_of(receiver().received()[0]), "payment_intent.payment_failed");
  EXPECT_EQ(read[0].state, GatewayState::pending);
  EXPECT_NE(read[0].detail.find("declined"), std::string::npos);
  const auto status = run(client_->status(attempt(registration)));
  EXPECT_EQ(status->state, GatewayState::pending);

  sim().advance(24 * 3600);
  ASSERT_TRUE(receiver().wait_for(2));
  read = notifications();
  EXPECT_EQ(type_of(receiver().received()[1]), "checkout.session.expired");
  EXPECT_EQ(read[1].state, GatewayState::failed);
  EXPECT_EQ(run(client_->status(attempt(registration)))->state, GatewayState::failed);
}

TEST_F(StripeSim, AbandonedThenCancelled) {
  const auto registration = registered();
  page(registration, "abandon");
  EXPECT_EQ(sim().state().at("events_created").as_int64(), 0);
  EXPECT_EQ(run(client_->status(attempt(registration)))->state, GatewayState::pending);

  ASSERT_TRUE(run(client_->cancel(attempt(registration))));
  ASSERT_TRUE(receiver().wait_for(1));
  const auto read = notifications();
  EXPECT_EQ(type_of(receiver().received()[0]), "checkout.session.expired");
  EXPECT_EQ(read[0].state, GatewayState::failed);
  EXPECT_EQ(run(client_->status(attempt(registration)))->state, GatewayState::failed);
  // Cancelling again is still a success; the page no longer takes a payment.
  EXPECT_TRUE(run(client_->cancel(attempt(registration))));
  const auto path = registration.redirect_url->substr(registration.redirect_url->find("/c/pay/"));
  EXPECT_EQ(sim().call("POST", path, "action=pay").status, 409);
}

TEST_F(StripeSim, AReceiverErrorIsRetriedOnTheSimulatorsClock) {
  receiver().answer(500);
  const auto registration = registered();
  page(registration, "pay");
  ASSERT_TRUE(receiver().wait_for(2));
  ASSERT_TRUE(platform::testing::eventually([] { return sim().count("queued") == 2; }));
  receiver().answer(200);
  receiver().clear();
  sim().advance(59);
  EXPECT_EQ(sim().count("delivered"), 0);
  sim().advance(1);
  ASSERT_TRUE(receiver().wait_for(2));
  ASSERT_TRUE(platform::testing::eventually([] { return sim().count("delivered") == 2; }));
  const auto read = notifications();
  ASSERT_EQ(read.size(), 2U);
  EXPECT_EQ(read[1].state, GatewayState::succeeded);
  const auto deliveries = sim().state().at("deliveries").as_array();
  EXPECT_EQ(deliveries[0].at("attempts").as_int64(), 2);
}

TEST_F(StripeSim, DuplicatesKeepTheirEventId) {
  sim().faults(R"({"duplicate_notifications":2})");
  page(registered(), "pay");
  ASSERT_TRUE(receiver().wait_for(6));
  const auto read = notifications();
  std::set<std::string> keys;
  for (const auto& n : read) keys.insert(n.event_key);
  EXPECT_EQ(read.size(), 6U);
  EXPECT_EQ(keys.size(), 2U);
}

TEST_F(StripeSim, ReorderedEventsArriveNewestFirstOnFlush) {
  sim().faults(R"({"reorder_notifications":true})");
  page(registered(), "pay");
  EXPECT_EQ(sim().count("held"), 2);
  EXPECT_TRUE(receiver().received().empty());
  sim().control("/control/flush");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto received = receiver().received();
  EXPECT_EQ(type_of(received[0]), "checkout.session.completed");
  EXPECT_EQ(type_of(received[1]), "payment_intent.succeeded");
}

TEST_F(StripeSim, DroppedEventsLeaveStatusToTell) {
  sim().faults(R"({"drop_notifications":true})");
  const auto registration = registered();
  page(registration, "pay");
  EXPECT_EQ(sim().count("dropped"), 2);
  EXPECT_EQ(sim().count("queued"), 0);
  const auto status = run(client_->status(attempt(registration)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::succeeded);
  EXPECT_EQ(status->amount, 1000);
  EXPECT_TRUE(receiver().received().empty());
}

TEST_F(StripeSim, BadOrStaleSignaturesAreRefused) {
  sim().faults(R"({"bad_signature":true})");
  const auto registration = registered();
  page(registration, "pay");
  ASSERT_TRUE(receiver().wait_for(2));
  for (const auto& read : read_all(*client_)) {
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, Errc::unauthenticated);
    EXPECT_EQ(read.error().reason, "signature_mismatch");
  }
  receiver().clear();
  sim().faults(R"({"stale_timestamp":true})");
  ASSERT_TRUE(run(client_->cancel(attempt(registered()))).has_error());  // paid: conflict
  transaction_ += "-2";
  ASSERT_TRUE(run(client_->cancel(attempt(registered()))));
  ASSERT_TRUE(receiver().wait_for(1));
  const auto stale = read_all(*client_);
  ASSERT_FALSE(stale[0]);
  EXPECT_EQ(stale[0].error().code, Errc::unauthenticated);
  EXPECT_EQ(stale[0].error().reason, "signature_too_old");
}

TEST_F(StripeSim, ASecondSecretVerifiesDuringARotation) {
  sim().faults(R"({"second_secret":"whsec_rotated"})");
  page(registered(), "pay");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto received = receiver().received();
  const auto header = received[0].header("stripe-signature");
  ASSERT_TRUE(header);
  EXPECT_EQ(std::count(header->begin(), header->end(), ','), 2);
  const payment::stripe::StripeClient rotated(*http_, credentials({"whsec_rotated"}));
  const payment::stripe::StripeClient both(*http_, credentials({"whsec_x", kSecret}));
  const payment::stripe::StripeClient neither(*http_, credentials({"whsec_x"}));
  for (const auto& read : read_all(rotated)) EXPECT_TRUE(read);
  for (const auto& read : read_all(both)) EXPECT_TRUE(read);
  for (const auto& read : read_all(neither)) EXPECT_FALSE(read);
}

TEST_F(StripeSim, AShiftedAmountIsSignedAndReported) {
  sim().faults(R"({"amount_delta":1})");
  page(registered(), "pay");
  ASSERT_TRUE(receiver().wait_for(2));
  for (const auto& n : notifications()) EXPECT_EQ(n.amount, 1001);
}

TEST_F(StripeSim, RefundsPartialThenFull) {
  const auto registration = registered();
  page(registration, "pay");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto intent = notifications()[0].gateway_reference;
  receiver().clear();

  payment::RefundRequest refund;
  refund.attempt = attempt(registration, intent);
  refund.refund_id = "r-" + platform::testing::unique_suffix();
  refund.amount = 400;
  refund.reason = "Zwrot towaru";
  const auto accepted = run(client_->refund(refund));
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->state, GatewayState::refund_pending);
  ASSERT_TRUE(accepted->gateway_refund_id);
  EXPECT_EQ(accepted->gateway_refund_id->rfind("re_", 0), 0U);
  // The same refund again (a retry): the same refund, replayed.
  const auto again = run(client_->refund(refund));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->gateway_refund_id, accepted->gateway_refund_id);

  ASSERT_TRUE(receiver().wait_for(3));
  const auto received = receiver().received();
  EXPECT_EQ(type_of(received[0]), "refund.created");
  EXPECT_EQ(type_of(received[1]), "refund.updated");
  EXPECT_EQ(type_of(received[2]), "charge.refunded");
  const auto read = notifications();  // charge.refunded is not followed
  ASSERT_EQ(read.size(), 2U);
  EXPECT_EQ(read[0].state, GatewayState::refund_pending);
  EXPECT_EQ(read[1].state, GatewayState::refund_succeeded);
  EXPECT_EQ(read[1].refund_id, refund.refund_id);
  EXPECT_EQ(read[1].gateway_refund_id, accepted->gateway_refund_id);
  EXPECT_EQ(read[1].transaction_id, transaction_);
  EXPECT_EQ(read[1].amount, 400);

  // The rest, found through status() when the PaymentIntent is not known.
  auto rest = refund;
  rest.attempt = attempt(registration);
  rest.refund_id += "-rest";
  rest.amount = 600;
  const auto full = run(client_->refund(rest));
  ASSERT_TRUE(full) << full.error().message;
  auto more = rest;
  more.refund_id += "-more";
  more.amount = 1;
  const auto refused = run(client_->refund(more));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid);
  EXPECT_NE(refused.error().message.find("already been refunded"), std::string::npos);
}

TEST_F(StripeSim, IdempotencyKeysReplayRefuseAndConflict) {
  const auto first = registered();
  const auto second = registered();
  EXPECT_EQ(first.gateway_reference, second.gateway_reference);
  const auto other = run(client_->register_payment(payment(2000)));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::invalid);
  EXPECT_NE(other.error().message.find("idempotency_error"), std::string::npos);

  const auto body = payment::stripe::form_encode(payment::stripe::checkout_session_form(payment()));
  const std::vector<std::pair<std::string, std::string>> headers{
      {"Authorization", std::string("Bearer ") + kKey},
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Idempotency-Key", "checkout-session-" + transaction_}};
  const auto replayed = sim().call("POST", "/v1/checkout/sessions", body, headers);
  EXPECT_EQ(replayed.status, 200);
  EXPECT_EQ(replayed.header("idempotent-replayed"), "true");

  // Two at once with a new key: the second finds the first still running.
  sim().faults(R"({"api_delay_ms":2000})");
  auto concurrent = headers;
  concurrent.back().second = "concurrent-" + transaction_;
  HttpResult slow;
  std::thread first_call(
      [&] { slow = sim().call("POST", "/v1/checkout/sessions", body, concurrent); });
  ASSERT_TRUE(platform::testing::eventually(
      [] { return sim().state().at("idempotency_keys").as_int64() == 2; }));
  const auto conflict = sim().call("POST", "/v1/checkout/sessions", body, concurrent);
  first_call.join();
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(json::parse(conflict.body).at("error").at("type").as_string(), "idempotency_error");
}

TEST_F(StripeSim, TheKeyIsChecked) {
  const auto answer = sim().call("GET", "/v1/checkout/sessions/cs_x", {},
                                 {{"Authorization", "Bearer sk_test_wrong"}});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(json::parse(answer.body).at("error").at("type").as_string(), "invalid_request_error");
  payment::stripe::StripeCredentials wrong = credentials({kSecret});
  wrong.secret_key = "sk_test_wrong";
  payment::stripe::StripeClient client(*http_, wrong);
  const auto refused = run(client.register_payment(payment()));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  const auto missing =
      run(client_->status(payment::AttemptRef{transaction_, "cs_test_nope", "", 1000, "PLN"}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::invalid);
}

TEST_F(StripeSim, TheControlApiChecksItsInput) {
  const std::vector<std::pair<std::string, std::string>> json_type{
      {"Content-Type", "application/json"}};
  EXPECT_EQ(sim().call("POST", "/control/faults", R"({"api_status":200})", json_type).status, 400);
  EXPECT_EQ(sim().call("POST", "/control/faults", R"({"typo":true})", json_type).status, 400);
  EXPECT_EQ(sim().call("POST", "/control/clock", R"({"advance_s":-1})", json_type).status, 400);
  EXPECT_EQ(sim().call("POST", "/control/webhook", R"({"url":"ftp://x"})", json_type).status, 400);
  EXPECT_EQ(sim().call("POST", "/control/payments/nope/pay").status, 404);
  EXPECT_EQ(sim().call("POST", "/control/payments/" + transaction_ + "/dance").status, 404);
  // Events follow the webhook URL; a reset brings back STRIPE_WEBHOOK_URL.
  sim().control("/control/webhook", R"({"url":"http://127.0.0.1:1/nowhere"})");
  EXPECT_EQ(sim().state().at("webhook_url").as_string(), "http://127.0.0.1:1/nowhere");
  sim().control("/control/reset");
  EXPECT_EQ(sim().state().at("webhook_url").as_string(), receiver().url());
}

TEST_F(StripeSim, An503OpensTheBreaker) {
  sim().faults(R"({"api_status":503})");
  EXPECT_TRUE(client_->available());
  const auto failed = run(client_->register_payment(payment()));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::unavailable);
  for (int i = 0; i < 4 && client_->available(); ++i) {
    const auto status =
        run(client_->status(payment::AttemptRef{transaction_, "cs_test_x", "", 1000, "PLN"}));
    EXPECT_FALSE(status);
  }
  EXPECT_FALSE(client_->available());
  const auto fast = run(client_->register_payment(payment()));
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().reason, "circuit_open");
}

}  // namespace
