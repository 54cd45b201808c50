// The Przelewy24 simulator's real binary, driven by the Payment service's real Przelewy24Client:
// register, the hosted page, the notification into a webhook receiver of the test's own, verify,
// status; declines and abandoned payments; the resend schedule on the simulator's clock; every
// notification fault; refunds; an unavailable API opening the client's breaker; BLIK level 0.
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
#include "platform/httpclient/client.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"
#include "przelewy24_client.hpp"

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using payment::GatewayState;
using platform::Errc;

payment::Przelewy24Credentials test_credentials() {
  payment::Przelewy24Credentials credentials;
  credentials.merchant_id = 100001;
  credentials.pos_id = 100001;
  credentials.crc = "test-p24-crc";
  credentials.api_key = "test-p24-api-key";
  credentials.time_limit_min = 15;
  return credentials;
}

// The simulator's binary with P24's credentials; what it notified and the transactions it
// knows, from GET /control/state.
class Simulator : public gateway_sim::testing::SimulatorProcess {
 public:
  Simulator()
      : SimulatorProcess(
            "przelewy24_sim", PRZELEWY24_SIM_BINARY, "P24_SIM_PORT",
            {{"P24_CRC", test_credentials().crc}, {"P24_API_KEY", test_credentials().api_key}}) {}

  [[nodiscard]] std::int64_t notifications(const char* counter) const {
    return state().at("notifications").at(counter).as_int64();
  }

  [[nodiscard]] json::object transaction(const std::string& session_id) const {
    const auto now = state();
    for (const auto& item : now.at("transactions").as_array()) {
      if (item.at("session_id").as_string() == session_id) return item.as_object();
    }
    throw std::runtime_error("no transaction " + session_id);
  }
};

// The shop's webhook endpoint, remembering every body posted to /p24/notify.
using WebhookReceiver = gateway_sim::testing::WebhookReceiver;

std::unique_ptr<Simulator>& shared_simulator() {
  static std::unique_ptr<Simulator> simulator;
  return simulator;
}

std::unique_ptr<WebhookReceiver>& shared_receiver() {
  static std::unique_ptr<WebhookReceiver> receiver;
  return receiver;
}

class Przelewy24Sim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_simulator() = std::make_unique<Simulator>();
    shared_receiver() = std::make_unique<WebhookReceiver>("/p24/notify");
  }
  static void TearDownTestSuite() {
    shared_receiver().reset();
    shared_simulator().reset();
  }

  void SetUp() override {
    sim().control("/control/reset");
    receiver().clear();
    platform::httpclient::ClientConfig config;
    config.name = "przelewy24_test";
    config.base_url = "http://127.0.0.1:" + std::to_string(sim().port());
    config.request_timeout = 3s;
    config.max_retries = 0;
    config.breaker.sliding_window_size = 4;
    config.breaker.minimum_number_of_calls = 4;
    config.breaker.failure_rate_threshold = 50;
    config.breaker.wait_duration_in_open_state = 60s;
    http_ = std::make_unique<platform::httpclient::HttpClient>(io_, config);
    client_ = std::make_unique<payment::Przelewy24Client>(*http_, test_credentials());
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << sim().process().log_tail();
    client_.reset();
    http_.reset();
  }

  static Simulator& sim() { return *shared_simulator(); }
  static WebhookReceiver& receiver() { return *shared_receiver(); }

  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return platform::testing::run(io_, std::move(task));
  }

  payment::PaymentRequest payment_for(const std::string& transaction_id,
                                      std::int64_t amount = 12999) const {
    payment::PaymentRequest request;
    request.transaction_id = transaction_id;
    request.order_id = "ORD-2026-000123";
    request.amount = amount;
    request.description = "Zamówienie ORD-2026-000123";
    request.email = "jan.kowalski@example.pl";
    request.customer_name = "Jan Kowalski";
    request.return_url = "http://shop.local/platnosc/powrot/" + transaction_id;
    request.notify_url = receiver().url();
    return request;
  }

  payment::Registration registered(const std::string& transaction_id, std::int64_t amount = 12999) {
    auto registration = run(client_->register_payment(payment_for(transaction_id, amount)));
    if (!registration) throw std::runtime_error("register: " + registration.error().message);
    return *registration;
  }

  payment::AttemptRef attempt(const std::string& transaction_id,
                              const payment::Registration& registration,
                              std::int64_t amount = 12999) const {
    payment::AttemptRef ref;
    ref.transaction_id = transaction_id;
    ref.registration_reference = registration.gateway_reference;
    ref.amount = amount;
    return ref;
  }

  payment::Notification read(const payment::WebhookRequest& webhook) const {
    auto notification = client_->read_webhook(webhook, std::chrono::system_clock::now());
    if (!notification) throw std::runtime_error("read_webhook: " + notification.error().message);
    if (!*notification) throw std::runtime_error("read_webhook: nothing to act on");
    return **notification;
  }

  // Registers, pays through the control API, reads and verifies the notification.
  payment::Notification paid_and_verified(const std::string& transaction_id,
                                          std::int64_t amount = 12999) {
    registered(transaction_id, amount);
    const auto before = receiver().count();
    sim().control("/control/payments/" + transaction_id + "/pay");
    if (!receiver().wait_for(before + 1)) throw std::runtime_error("no notification");
    auto notification = read(receiver().received().back());
    const auto confirmed = run(client_->confirm(notification));
    if (!confirmed) throw std::runtime_error("verify: " + confirmed.error().message);
    return notification;
  }

  boost::asio::io_context io_;
  std::unique_ptr<platform::httpclient::HttpClient> http_;
  std::unique_ptr<payment::Przelewy24Client> client_;
};

TEST_F(Przelewy24Sim, TestAccessWantsTheCredentials) {
  EXPECT_EQ(sim().call("GET", "/api/v1/testAccess").status, 401);
  const auto answer =
      platform::testing::http_call(sim().port(), "GET", "/api/v1/testAccess", {},
                                   {{"Authorization", test_credentials().basic_authorization()}});
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(json::parse(answer.body).at("data").as_bool(), true);
}

TEST_F(Przelewy24Sim, PaysOnTheHostedPageThenVerifies) {
  const auto registration = registered("tx-page-1");
  ASSERT_TRUE(registration.redirect_url);
  const std::string prefix = "http://127.0.0.1:" + std::to_string(sim().port());
  ASSERT_EQ(registration.redirect_url->rfind(prefix + "/trnRequest/", 0), 0U);
  const auto path = registration.redirect_url->substr(prefix.size());
  EXPECT_EQ(path, "/trnRequest/" + registration.gateway_reference);

  const auto page = sim().call("GET", path);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Zapłać"), std::string::npos);
  EXPECT_NE(page.body.find("Odrzuć płatność"), std::string::npos);
  EXPECT_NE(page.body.find("Anuluj"), std::string::npos);
  EXPECT_NE(page.body.find("129,99 PLN"), std::string::npos);

  const auto status_before = run(client_->status(attempt("tx-page-1", registration)));
  ASSERT_TRUE(status_before);
  EXPECT_EQ(status_before->state, GatewayState::pending);

  const auto paid = sim().call("POST", path + "?action=pay");
  ASSERT_EQ(paid.status, 303) << paid.body;
  EXPECT_EQ(paid.header("location"), "http://shop.local/platnosc/powrot/tx-page-1");

  ASSERT_TRUE(receiver().wait_for(1));
  const auto webhook = receiver().received().front();
  EXPECT_EQ(webhook.header("content-type"), "application/json");
  const auto notification = read(webhook);
  EXPECT_EQ(notification.transaction_id, "tx-page-1");
  EXPECT_EQ(notification.state, GatewayState::succeeded);
  EXPECT_TRUE(notification.needs_verification);
  EXPECT_EQ(notification.amount, 12999);
  EXPECT_EQ(notification.currency, "PLN");
  ASSERT_GT(std::stoll(notification.gateway_reference), std::int64_t{1} << 31);
  EXPECT_EQ(notification.event_key, notification.gateway_reference + ":tx-page-1");

  const auto unverified = run(client_->status(attempt("tx-page-1", registration)));
  ASSERT_TRUE(unverified);
  EXPECT_EQ(unverified->state, GatewayState::succeeded);
  EXPECT_TRUE(unverified->needs_verification);

  ASSERT_TRUE(run(client_->confirm(notification)));
  const auto verified = run(client_->status(attempt("tx-page-1", registration)));
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->state, GatewayState::succeeded);
  EXPECT_FALSE(verified->needs_verification);
  EXPECT_EQ(verified->gateway_reference, notification.gateway_reference);
  EXPECT_EQ(verified->amount, 12999);
  EXPECT_EQ(sim().transaction("tx-page-1").at("status").as_int64(), 2);

  // Verified: no more resends, however late it gets.
  sim().advance(24 * 3600);
  EXPECT_TRUE(platform::testing::eventually(
      [] { return sim().state().at("notifications").at("scheduled").as_int64() == 0; }, 5s));
  EXPECT_EQ(receiver().count(), 1U);
  // A second verify changes nothing and still succeeds; cancel is a no-op.
  EXPECT_TRUE(run(client_->confirm(notification)));
  EXPECT_TRUE(run(client_->cancel(attempt("tx-page-1", registration))));
}

TEST_F(Przelewy24Sim, ResendsOnItsScheduleUntilVerified) {
  registered("tx-resend-1");
  sim().control("/control/payments/tx-resend-1/pay");
  ASSERT_TRUE(receiver().wait_for(1));
  sim().advance(3 * 60);  // 3 minutes: the first resend
  ASSERT_TRUE(receiver().wait_for(2));
  sim().advance(2 * 60);  // 5 minutes: the second
  ASSERT_TRUE(receiver().wait_for(3));
  const auto all = receiver().received();
  EXPECT_EQ(all[0].body, all[1].body);
  EXPECT_EQ(all[1].body, all[2].body);
  EXPECT_EQ(sim().transaction("tx-resend-1").at("notifications_sent").as_int64(), 3);

  ASSERT_TRUE(run(client_->confirm(read(all.back()))));
  sim().advance(600 * 60);
  EXPECT_TRUE(platform::testing::eventually(
      [] { return sim().state().at("notifications").at("scheduled").as_int64() == 0; }, 5s));
  EXPECT_EQ(receiver().count(), 3U);
}

TEST_F(Przelewy24Sim, DeclinedOrAbandonedSendsNothing) {
  const auto declined = registered("tx-fail-1");
  const auto path = "/trnRequest/" + declined.gateway_reference;
  const auto failed = sim().call("POST", path + "?action=fail");
  ASSERT_EQ(failed.status, 303);
  EXPECT_EQ(failed.header("location"), "http://shop.local/platnosc/powrot/tx-fail-1");
  EXPECT_EQ(sim().transaction("tx-fail-1").at("outcome").as_string(), "failed");
  EXPECT_EQ(sim().notifications("scheduled"), 0);
  auto status = run(client_->status(attempt("tx-fail-1", declined)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::pending);
  // Declined is final on the page.
  EXPECT_EQ(sim().call("POST", path + "?action=pay").status, 409);

  const auto abandoned = registered("tx-abandon-1");
  const auto gone =
      sim().call("POST", "/trnRequest/" + abandoned.gateway_reference + "?action=abandon");
  ASSERT_EQ(gone.status, 303);
  EXPECT_EQ(gone.header("location"), "http://shop.local/platnosc/powrot/tx-abandon-1");
  EXPECT_EQ(sim().transaction("tx-abandon-1").at("status").as_int64(), 0);
  status = run(client_->status(attempt("tx-abandon-1", abandoned)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::pending);

  // Past the time limit (15 minutes, and the adapter's 5 minutes of grace) nothing can be paid
  // any more. The adapter reads the limit against its own clock, so the simulator's clock
  // stays; the adapter is given a clock 21 minutes ahead.
  struct Ahead final : platform::Clock {
    platform::TimePoint now() const override { return std::chrono::system_clock::now() + 21min; }
  } ahead;
  payment::Przelewy24Client later(*http_, test_credentials(), &ahead);
  status = run(later.status(attempt("tx-abandon-1", abandoned)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::failed);
  sim().advance(16 * 60);
  EXPECT_EQ(sim().call("POST", "/control/payments/tx-abandon-1/pay").status, 409);
  EXPECT_EQ(receiver().count(), 0U);

  // Unknown to P24: still pending, never failed.
  payment::Registration none{"no-token", std::nullopt};
  status = run(client_->status(attempt("tx-never-registered", none)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::pending);
}

TEST_F(Przelewy24Sim, DuplicatesCarryOneEventKey) {
  sim().faults(R"({"duplicate_notifications":2})");
  registered("tx-dup-1");
  sim().control("/control/payments/tx-dup-1/pay");
  ASSERT_TRUE(receiver().wait_for(3));
  const auto all = receiver().received();
  const auto first = read(all[0]);
  EXPECT_EQ(read(all[1]).event_key, first.event_key);
  EXPECT_EQ(read(all[2]).event_key, first.event_key);
  EXPECT_EQ(sim().notifications("duplicated"), 2);
}

TEST_F(Przelewy24Sim, ReorderHoldsThenDeliversNewestFirst) {
  sim().faults(R"({"reorder_notifications":true})");
  registered("tx-order-a");
  registered("tx-order-b");
  sim().control("/control/payments/tx-order-a/pay");
  sim().control("/control/payments/tx-order-b/pay");
  ASSERT_TRUE(platform::testing::eventually([] { return sim().notifications("held") == 2; }, 5s));
  EXPECT_EQ(receiver().count(), 0U);
  sim().control("/control/flush");
  ASSERT_TRUE(receiver().wait_for(2));
  const auto all = receiver().received();
  EXPECT_EQ(read(all[0]).transaction_id, "tx-order-b");
  EXPECT_EQ(read(all[1]).transaction_id, "tx-order-a");
}

TEST_F(Przelewy24Sim, ADroppedNotificationIsRecoveredByStatus) {
  sim().faults(R"({"drop_notifications":true})");
  const auto registration = registered("tx-drop-1");
  sim().control("/control/payments/tx-drop-1/pay");
  ASSERT_TRUE(
      platform::testing::eventually([] { return sim().notifications("dropped") == 1; }, 5s));
  EXPECT_EQ(receiver().count(), 0U);

  const auto status = run(client_->status(attempt("tx-drop-1", registration)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::succeeded);
  ASSERT_TRUE(status->needs_verification);
  // The service confirms what the status says, as it would a notification.
  payment::Notification from_status;
  from_status.transaction_id = "tx-drop-1";
  from_status.gateway_reference = status->gateway_reference;
  from_status.amount = status->amount;
  from_status.currency = status->currency;
  from_status.state = status->state;
  from_status.needs_verification = true;
  ASSERT_TRUE(run(client_->confirm(from_status)));
  const auto verified = run(client_->status(attempt("tx-drop-1", registration)));
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->needs_verification);
}

TEST_F(Przelewy24Sim, ABadSignatureIsUnauthenticated) {
  sim().faults(R"({"bad_signature":true})");
  registered("tx-sign-1");
  sim().control("/control/payments/tx-sign-1/pay");
  ASSERT_TRUE(receiver().wait_for(1));
  const auto read =
      client_->read_webhook(receiver().received().front(), std::chrono::system_clock::now());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Errc::unauthenticated);
}

TEST_F(Przelewy24Sim, AnAmountDeltaIsNotifiedAndVerifyRefusesIt) {
  sim().faults(R"({"amount_delta":-100})");
  registered("tx-delta-1");
  sim().control("/control/payments/tx-delta-1/pay");
  ASSERT_TRUE(receiver().wait_for(1));
  const auto notification = read(receiver().received().front());
  EXPECT_EQ(notification.amount, 12899);
  const auto confirmed = run(client_->confirm(notification));
  ASSERT_FALSE(confirmed);
  EXPECT_EQ(confirmed.error().code, Errc::invalid);
  EXPECT_EQ(sim().transaction("tx-delta-1").at("status").as_int64(), 1);
}

TEST_F(Przelewy24Sim, RefundsPartlyThenFully) {
  const auto payment = paid_and_verified("tx-refund-1", 10000);
  const auto before = receiver().count();

  payment::RefundRequest partial;
  partial.attempt.transaction_id = "tx-refund-1";
  partial.attempt.gateway_reference = payment.gateway_reference;
  partial.attempt.amount = 10000;
  partial.refund_id = "7b0c8a4e-1f2d-4c3b-9a8e-5d6f7a8b9c01";
  partial.amount = 3000;
  partial.reason = "Zwrot towaru";
  partial.notify_url = receiver().url();
  const auto accepted = run(client_->refund(partial));
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->state, GatewayState::refund_pending);
  ASSERT_TRUE(receiver().wait_for(before + 1));
  const auto refunded = read(receiver().received().back());
  EXPECT_EQ(refunded.state, GatewayState::refund_succeeded);
  EXPECT_EQ(refunded.amount, 3000);
  EXPECT_EQ(refunded.refund_id, partial.refund_id);
  EXPECT_EQ(refunded.transaction_id, "tx-refund-1");
  EXPECT_EQ(refunded.event_key, "refund:" + partial.refund_id + ":" + payment.gateway_reference);
  payment::Registration registration{"", std::nullopt};
  auto status = run(client_->status(attempt("tx-refund-1", registration, 10000)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::succeeded);

  // The same refund again is refused (P24: "Request already exists"); so is too much.
  auto again = run(client_->refund(partial));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::invalid);
  auto too_much = partial;
  too_much.refund_id = "7b0c8a4e-1f2d-4c3b-9a8e-5d6f7a8b9c02";
  too_much.amount = 7001;
  again = run(client_->refund(too_much));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::invalid);
  EXPECT_NE(again.error().message.find("exceeds"), std::string::npos) << again.error().message;

  auto rest = partial;
  rest.refund_id = "7b0c8a4e-1f2d-4c3b-9a8e-5d6f7a8b9c03";
  rest.amount = 7000;
  ASSERT_TRUE(run(client_->refund(rest)));
  ASSERT_TRUE(receiver().wait_for(before + 2));
  EXPECT_EQ(read(receiver().received().back()).amount, 7000);
  status = run(client_->status(attempt("tx-refund-1", registration, 10000)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::refund_succeeded);
}

TEST_F(Przelewy24Sim, AnUnverifiedPaymentCannotBeRefunded) {
  registered("tx-refund-2");
  sim().control("/control/payments/tx-refund-2/pay");
  ASSERT_TRUE(receiver().wait_for(1));
  const auto notification = read(receiver().received().front());
  payment::RefundRequest request;
  request.attempt.transaction_id = "tx-refund-2";
  request.attempt.gateway_reference = notification.gateway_reference;
  request.refund_id = "0f5e3d2c-1b0a-4987-8654-3210fedcba98";
  request.amount = 100;
  request.reason = "Zwrot";
  const auto refused = run(client_->refund(request));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid);
}

TEST_F(Przelewy24Sim, AnUnavailableApiOpensTheBreaker) {
  sim().faults(R"({"api_status":503})");
  int calls = 0;
  while (client_->available() && calls < 20) {
    const auto answer =
        run(client_->register_payment(payment_for("tx-down-" + std::to_string(calls))));
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, Errc::unavailable) << answer.error().message;
    ++calls;
  }
  EXPECT_FALSE(client_->available());
  EXPECT_EQ(calls, 4);  // the breaker's window
  const auto fast = run(client_->status(payment::AttemptRef{"tx-down-0", "", "", 1, "PLN"}));
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().code, Errc::unavailable);
  EXPECT_EQ(fast.error().reason, "circuit_open");
}

TEST_F(Przelewy24Sim, WrongCredentialsAreRefused) {
  auto credentials = test_credentials();
  credentials.api_key = "someone-elses-key";
  payment::Przelewy24Client stranger(*http_, credentials);
  const auto answer = run(stranger.register_payment(payment_for("tx-key-1")));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, Errc::invalid);
  credentials = test_credentials();
  credentials.crc = "old-crc";
  payment::Przelewy24Client rotated(*http_, credentials);
  const auto signed_wrong = run(rotated.register_payment(payment_for("tx-key-2")));
  ASSERT_FALSE(signed_wrong);
  EXPECT_EQ(signed_wrong.error().code, Errc::invalid);
  EXPECT_NE(signed_wrong.error().message.find("sign"), std::string::npos);
}

TEST_F(Przelewy24Sim, BlikLevelZero) {
  auto request = payment_for("tx-blik-1");
  request.blik_code = "777123";
  const auto registration = run(client_->register_payment(request));
  ASSERT_TRUE(registration) << registration.error().message;
  EXPECT_FALSE(registration->redirect_url);
  ASSERT_TRUE(receiver().wait_for(1));
  const auto notification = read(receiver().received().front());
  EXPECT_EQ(notification.transaction_id, "tx-blik-1");
  EXPECT_NE(notification.detail.find("methodId 154"), std::string::npos) << notification.detail;
  ASSERT_TRUE(run(client_->confirm(notification)));

  request = payment_for("tx-blik-2");
  request.blik_code = "123456";
  const auto declined = run(client_->register_payment(request));
  ASSERT_TRUE(declined) << declined.error().message;
  EXPECT_EQ(sim().transaction("tx-blik-2").at("outcome").as_string(), "failed");
  const auto status = run(client_->status(attempt("tx-blik-2", *declined)));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::pending);
  EXPECT_EQ(receiver().count(), 1U);

  request = payment_for("tx-blik-3");
  request.blik_code = "12ab";
  const auto malformed = run(client_->register_payment(request));
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, Errc::invalid);
}

TEST_F(Przelewy24Sim, ControlRefusesUnknownFaults) {
  EXPECT_EQ(sim().call("POST", "/control/faults", R"({"explode":true})").status, 400);
  EXPECT_EQ(sim().call("POST", "/control/clock", R"({"advance_s":-5})").status, 400);
  EXPECT_EQ(sim().call("POST", "/control/payments/nope/pay").status, 404);
}

}  // namespace
