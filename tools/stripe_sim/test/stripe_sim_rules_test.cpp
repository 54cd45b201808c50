// The simulator's plain parts: faults parsing, the idempotency store, the outbox's queueing
// (duplicates, drop, reorder, retries) and the account's state machines.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "faults.hpp"
#include "idempotency.hpp"
#include "ledger.hpp"
#include "outbox.hpp"
#include "stripe_form.hpp"

namespace {
namespace json = boost::json;
using namespace stripe_sim;
using namespace std::chrono_literals;

const platform::TimePoint kNow{std::chrono::seconds(1'800'000'000)};

TEST(StripeSimFaults, ParsesTheUniformBody) {
  const auto config = parse_fault_config(
      R"({"duplicate_notifications":2,"reorder_notifications":true,"amount_delta":-5,)"
      R"("api_status":503,"api_delay_ms":10,"second_secret":"whsec_b"})");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->duplicate_notifications, 2);
  EXPECT_TRUE(config->reorder_notifications);
  EXPECT_EQ(config->amount_delta, -5);
  EXPECT_EQ(config->api_status, 503);
  EXPECT_EQ(config->second_secret, "whsec_b");
  EXPECT_EQ(*parse_fault_config("{}"), FaultConfig{});
  EXPECT_FALSE(parse_fault_config(R"({"api_status":200})"));
  EXPECT_FALSE(parse_fault_config(R"({"duplicate_notifications":11})"));
  EXPECT_FALSE(parse_fault_config(R"({"nope":1})"));
  EXPECT_FALSE(parse_fault_config(R"({"bad_signature":1})"));
}

TEST(StripeSimIdempotency, ReplaysRefusesAndSaysInFlight) {
  IdempotencyStore store;
  EXPECT_EQ(store.begin("k", "POST /a\nx=1", kNow).outcome, IdempotencyStore::Outcome::fresh);
  EXPECT_EQ(store.begin("k", "POST /a\nx=1", kNow).outcome, IdempotencyStore::Outcome::in_flight);
  store.finish("k", StoredAnswer{200, "{}"});
  const auto replay = store.begin("k", "POST /a\nx=1", kNow);
  EXPECT_EQ(replay.outcome, IdempotencyStore::Outcome::replay);
  EXPECT_EQ(replay.answer.body, "{}");
  EXPECT_EQ(store.begin("k", "POST /a\nx=2", kNow).outcome, IdempotencyStore::Outcome::mismatch);
  // Pruned after 24 h.
  EXPECT_EQ(store.begin("k", "POST /a\nx=2", kNow + 25h).outcome, IdempotencyStore::Outcome::fresh);
  store.abandon("k");
  EXPECT_EQ(store.size(), 0U);
}

Events two_events() {
  return {{"a.one", json::object{{"amount", 100}}}, {"a.two", json::object{{"amount", 0}}}};
}

TEST(StripeSimOutbox, QueuesDuplicatesAndShiftsAmounts) {
  Outbox outbox("http://127.0.0.1:1/hook");
  FaultConfig faults;
  faults.duplicate_notifications = 1;
  faults.amount_delta = 7;
  const auto ids = outbox.publish(two_events(), faults, kNow);
  ASSERT_EQ(ids.size(), 2U);
  std::vector<std::string> seen;
  while (auto delivery = outbox.next_due(kNow)) {
    seen.push_back(delivery->event_id);
    if (seen.size() == 1) {
      EXPECT_NE(delivery->body.find(R"("amount":107)"), std::string::npos) << delivery->body;
    }
    outbox.delivered(delivery->seq, 200);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{ids[0], ids[0], ids[1], ids[1]}));
}

TEST(StripeSimOutbox, DropsAndReorders) {
  Outbox outbox("http://127.0.0.1:1/hook");
  FaultConfig drop;
  drop.drop_notifications = true;
  outbox.publish(two_events(), drop, kNow);
  EXPECT_FALSE(outbox.next_due(kNow));
  FaultConfig reorder;
  reorder.reorder_notifications = true;
  const auto ids = outbox.publish(two_events(), reorder, kNow);
  EXPECT_FALSE(outbox.next_due(kNow));
  outbox.flush(kNow);
  EXPECT_EQ(outbox.next_due(kNow)->event_id, ids[1]);
  EXPECT_EQ(outbox.next_due(kNow)->event_id, ids[0]);
}

TEST(StripeSimOutbox, RetriesOnTheSimulatorsClockThenGivesUp) {
  Outbox outbox("http://127.0.0.1:1/hook");
  outbox.publish({{"a.one", json::object{}}}, FaultConfig{}, kNow);
  auto now = kNow;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    const auto delivery = outbox.next_due(now);
    ASSERT_TRUE(delivery) << attempt;
    outbox.failed(delivery->seq, "500", now);
    EXPECT_FALSE(outbox.next_due(now + 59s));
    now += 3600s;
  }
  EXPECT_FALSE(outbox.next_due(now + 100h));
  EXPECT_EQ(outbox.state().at("counts").at("given_up").as_int64(), 1);
}

json::object session_params() {
  return *payment::stripe::form_to_json(*payment::stripe::form_decode(
      "mode=payment&line_items[0][price_data][currency]=pln"
      "&line_items[0][price_data][unit_amount]=1000&line_items[0][price_data][product_data][name]=X"
      "&line_items[0][quantity]=2&success_url=http://shop/ok&client_reference_id=tx-1"
      "&payment_intent_data[metadata][transaction_id]=tx-1"));
}

TEST(StripeSimLedger, PaysFailsExpiresAndRefunds) {
  Ledger ledger;
  ledger.set_page_base("http://sim");
  const auto session = ledger.create_session(session_params(), kNow);
  ASSERT_TRUE(session);
  const std::string id(session->at("id").as_string());
  EXPECT_EQ(session->at("amount_total").as_int64(), 2000);
  EXPECT_EQ(session->at("url").as_string(), "http://sim/c/pay/" + id);
  EXPECT_EQ(ledger.session_of("tx-1"), id);

  Events events;
  ASSERT_TRUE(ledger.act(id, gateway_sim::PageAction::fail, events));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, "payment_intent.payment_failed");
  events.clear();
  EXPECT_EQ(*ledger.act(id, gateway_sim::PageAction::pay, events), "http://shop/ok");
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].type, "checkout.session.completed");
  EXPECT_EQ(events[1].object.at("payment_status").as_string(), "paid");
  EXPECT_EQ(ledger.expire_session(id, events).error().code, "checkout_session_not_open");

  const std::string intent(session->at("payment_intent").as_string());
  events.clear();
  auto refund_params = *payment::stripe::form_to_json(
      *payment::stripe::form_decode("payment_intent=" + intent + "&amount=500"));
  const auto refund = ledger.create_refund(refund_params, kNow, events);
  ASSERT_TRUE(refund);
  EXPECT_EQ(refund->at("status").as_string(), "pending");
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[1].object.at("status").as_string(), "succeeded");
  EXPECT_EQ(events[2].type, "charge.refunded");
  refund_params["amount"] = "1501";
  EXPECT_EQ(ledger.create_refund(refund_params, kNow, events).error().code, "amount_too_large");
  refund_params.erase("amount");
  EXPECT_EQ(ledger.create_refund(refund_params, kNow, events)->at("amount").as_int64(), 1500);
  EXPECT_EQ(ledger.create_refund(refund_params, kNow, events).error().code,
            "charge_already_refunded");

  const auto other = ledger.create_session(session_params(), kNow);
  events.clear();
  ledger.expire_due(kNow + 23h, events);
  EXPECT_TRUE(events.empty());
  ledger.expire_due(kNow + 24h, events);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, "checkout.session.expired");
  EXPECT_EQ(events[0].object.at("id"), other->at("id"));
}

TEST(StripeSimLedger, RefusesBadSessions) {
  Ledger ledger;
  auto params = session_params();
  params.erase("success_url");
  EXPECT_EQ(ledger.create_session(params, kNow).error().code, "parameter_missing");
  params = session_params();
  params["line_items"].as_array()[0].as_object()["quantity"] = "0";
  EXPECT_EQ(ledger.create_session(params, kNow).error().param, "line_items[0][quantity]");
  EXPECT_EQ(ledger.session("cs_nope", false).error().status, 404);
}

}  // namespace
