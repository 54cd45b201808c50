// Finalize and the orders' saga through the Checkout's HTTP API and Kafka (checkout_fixture.hpp):
// one order per session however often it is asked for, stock held all or none and never
// oversold, prices checked against the catalog, the payment facts moving the order forward, the
// hold lapsing, and the process killed between two writes.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <thread>

#include "checkout_fixture.hpp"
#include "contracts/catalog_product.hpp"

namespace {
using namespace checkout::testing;  // NOLINT(google-build-using-namespace): the fixture's helpers
using platform::testing::redis_command;

constexpr int kHoldSeconds = 3;

struct OrderSettings {
  static platform::testing::Env env() {
    return {{"CHECKOUT_HOLD_SECONDS", std::to_string(kHoldSeconds)},
            {"CHECKOUT_HOLD_GRACE_MS", "500"},
            {"CHECKOUT_SWEEP_MS", "200"},
            {"CHECKOUT_REDIRECT_WAIT_MS", "0"}};
  }
};

class OrderFlowTest : public CheckoutSuite<OrderSettings> {
 protected:
  // A SKU of this test alone in the catalog, with `stock` units at `price`.
  static std::string stocked_sku(std::int64_t stock, std::int64_t price = 329900) {
    auto sku = "T-" + platform::new_uuid().substr(0, 8);
    std::transform(sku.begin(), sku.end(), sku.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    contracts::Product product;
    product.sku = sku;
    product.name = "Telewizor testowy " + sku;
    product.category = "tv";
    product.price = platform::pln(price);
    product.stock = stock;
    product.weight_g = 12000;
    product.dimensions_mm = {600, 850, 550};
    redis_command({"SET", contracts::catalog_product_key(sku),
                   json::serialize(contracts::product_to_json(product))});
    return sku;
  }

  // A session ready to order: one line of `sku`, courier delivery with its address and day, the
  // payment `method` (cash on delivery or BLIK through Przelewy24), customer data and the required
  // consents.
  static TestCart ready_session(const std::string& sku, bool cash_on_delivery,
                                std::int64_t price = 329900) {
    TestCart cart("user-" + platform::new_uuid());
    namespace t = contracts;
    publish(cart.put(Line{.item_id = "it-tv", .sku = sku, .category = "tv", .unit_price = price}));
    publish(event_of(cart, t::kShippingTopic, et::kShippingMethodSelected, 1,
                     {{"method_id", "courier_carry_in"}, {"price", money(14900)}}));
    publish(event_of(cart, t::kShippingTopic, et::kShippingAddressProvided, 2));
    publish(event_of(cart, t::kShippingTopic, et::kDeliveryDateSelected, 3,
                     {{"method_id", "courier_carry_in"}}));
    // Online: BLIK typed on the shop's page. A Payment running beside (other tests) records the
    // order but starts no attempt of its own, so the payment facts here are the test's alone.
    const json::object payment = cash_on_delivery ? json::object{{"method_id", "cash_on_delivery"},
                                                                 {"gateway", nullptr},
                                                                 {"fee", money(500)}}
                                                  : json::object{{"method_id", "blik_code"},
                                                                 {"gateway", "przelewy24"},
                                                                 {"fee", money(0)}};
    publish(event_of(cart, t::kPaymentTopic, et::kPaymentMethodSelected, 1, payment));
    // Folded behind whatever other tests left on the topics (and a busy machine): poll.
    const auto target = "/checkout/summary?cart_version=1&shipping_version=3&payment_version=1";
    EXPECT_TRUE(soon([&] {
      const auto summary = call(cart.user(), "GET", target);
      return summary.status == 200 &&
             summary.body.find(R"("freshness":{"complete":true)") != std::string::npos;
    })) << suite().service->log_tail();
    expect(call(cart.user(), "POST", "/checkout/customer-data", kCompany), 200);
    expect(
        call(
            cart.user(), "POST", "/checkout/consents",
            R"({"consents":[{"consent_id":"terms_of_sale","granted":true,"text_version":"2026-01"},)"
            R"({"consent_id":"privacy_policy","granted":true,"text_version":"2026-01"}]})"),
        200);
    return cart;
  }

  // The ledger's count of one SKU: {held, sold}.
  static std::pair<std::int64_t, std::int64_t> stock_of(const std::string& sku) {
    const auto reply = redis_command({"HMGET", "checkout:stock:{" + sku + "}", "held", "sold"});
    return {reply.elements().at(0).as_integer(), reply.elements().at(1).as_integer()};
  }

  static json::object order(const std::string& user, const std::string& order_id) {
    return expect(call(user, "GET", "/checkout/orders/" + order_id), 200);
  }

  static std::string status_of(const std::string& user, const std::string& order_id) {
    return std::string(order(user, order_id).at("status").as_string());
  }

  // A payment-events fact about `order_id` from the contract's example.
  static platform::CloudEvent payment_fact(const TestCart& cart, std::string_view type,
                                           std::int64_t version, const std::string& order_id,
                                           const std::string& transaction_id) {
    return event_of(cart, contracts::kPaymentTopic, type, version,
                    {{"order_id", order_id}, {"transaction_id", transaction_id}});
  }

  // Events come through Kafka behind whatever other tests left on the topics: a minute at most.
  template <class Condition>
  static bool soon(Condition condition) {
    return eventually(condition, std::chrono::seconds(60));
  }

  static std::vector<std::string> names(std::initializer_list<std::string_view> list) {
    return {list.begin(), list.end()};
  }

  // The order events (not the customer data and consents) published for the session.
  static std::vector<std::string> types_published(const TestCart& cart) {
    return names_of(order_events(cart));
  }
  static std::vector<std::pair<std::string, json::object>> order_events(const TestCart& cart) {
    auto events = published(cart);
    std::erase_if(events, [](const auto& event) {
      return event.first != et::kOrderCreated && event.first != et::kCheckoutCompleted &&
             event.first != et::kOrderCancelled;
    });
    return events;
  }
  static std::vector<std::string> names_of(
      const std::vector<std::pair<std::string, json::object>>& events) {
    std::vector<std::string> types;
    types.reserve(events.size());
    for (const auto& [type, data] : events) types.push_back(type);
    return types;
  }
};

TEST_F(OrderFlowTest, ACashOnDeliveryOrderIsPlacedOnceEvenWhenAskedForTwiceAtOnce) {
  const auto sku = stocked_sku(5);
  auto cart = ready_session(sku, true);
  platform::testing::HttpResult first;
  platform::testing::HttpResult second;
  std::thread racer([&] { first = call(cart.user(), "POST", "/checkout/finalize"); });
  second = call(cart.user(), "POST", "/checkout/finalize");
  racer.join();
  ASSERT_TRUE((first.status == 201 && second.status == 200) ||
              (first.status == 200 && second.status == 201))
      << first.status << first.body << "\n"
      << second.status << second.body;
  const auto a = json::parse(first.body).as_object();
  const auto b = json::parse(second.body).as_object();
  EXPECT_EQ(a.at("order_id"), b.at("order_id"));
  const std::string order_id(a.at("order_id").as_string());
  EXPECT_EQ(a.at("status").as_string(), "confirmed");
  EXPECT_EQ(a.at("grand_total").at("amount").as_int64(), 329900 + 14900 + 500);
  EXPECT_EQ(std::string(a.at("order_number").as_string()).substr(0, 3), "ZK-");

  ASSERT_TRUE(soon([&] {
    return types_published(cart) == names({et::kOrderCreated, et::kCheckoutCompleted});
  })) << suite().service->log_tail();
  const auto events = order_events(cart);
  const auto& created = events[0].second;
  EXPECT_EQ(created.at("order_id").as_string(), order_id);
  EXPECT_EQ(created.at("totals").at("grand_total").at("amount").as_int64(), 329900 + 14900 + 500);
  EXPECT_EQ(created.at("payment_method_id").as_string(), "cash_on_delivery");
  EXPECT_EQ(created.at("version").as_int64() + 1, events[1].second.at("version").as_int64());
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{1}));

  auto placed = order(cart.user(), order_id);
  EXPECT_EQ(placed.at("order").at("totals").at("grand_total").at("amount").as_int64(),
            329900 + 14900 + 500);
  EXPECT_EQ(placed.at("order").at("customer_data").at("invoice").at("nip").as_string(),
            "5260250274");
  EXPECT_EQ(placed.at("history").as_array().size(), 1U);
  const auto mine = expect(call(cart.user(), "GET", "/checkout/orders"), 200);
  ASSERT_EQ(mine.at("orders").as_array().size(), 1U);
  // Another user sees nothing of it, and the session is closed.
  expect(call("user-" + platform::new_uuid(), "GET", "/checkout/orders/" + order_id), 404);
  // The closed session's summary shows its order.
  const auto closed = expect(call(cart.user(), "GET", "/checkout/summary"), 200);
  EXPECT_EQ(closed.at("state").as_string(), "ordered");
  EXPECT_EQ(closed.at("order").at("order_id").as_string(), order_id);
  EXPECT_EQ(closed.at("order").at("status").as_string(), "confirmed");
}

TEST_F(OrderFlowTest, ARetryWithTheSameIdempotencyKeyAnswersTheSameOrder) {
  auto cart = ready_session(stocked_sku(5), true);
  const platform::testing::Headers key{{"Idempotency-Key", "finalize-" + cart.session()}};
  const auto first = call(cart.user(), "POST", "/checkout/finalize", "", key);
  EXPECT_EQ(first.status, 201) << first.body;
  const auto replay = call(cart.user(), "POST", "/checkout/finalize", "", key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.header("idempotent-replayed"), "true");
  // Without the key, the same moment's repeat finds the order that closed the session.
  const auto again = expect(call(cart.user(), "POST", "/checkout/finalize"), 200);
  EXPECT_EQ(again.at("order_id"), json::parse(first.body).at("order_id"));
}

TEST_F(OrderFlowTest, APriceChangedInTheCatalogIsA409WithOldAndNewAndHoldsNothing) {
  const auto sku = stocked_sku(5, 299900);
  auto cart = ready_session(sku, true, 329900);
  const auto refused = expect(call(cart.user(), "POST", "/checkout/finalize"), 409);
  EXPECT_NE(refused.at("type").as_string().find("price_changed"), std::string::npos);
  const auto& changed = refused.at("changed_prices").as_array();
  ASSERT_EQ(changed.size(), 1U);
  EXPECT_EQ(changed[0].at("old_unit_price").at("amount").as_int64(), 329900);
  EXPECT_EQ(changed[0].at("new_unit_price").at("amount").as_int64(), 299900);
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_TRUE(
      expect(call(cart.user(), "GET", "/checkout/orders"), 200).at("orders").as_array().empty());
}

TEST_F(OrderFlowTest, ASessionNotReadyIsA422NamingWhatIsMissing) {
  TestCart cart("user-" + platform::new_uuid());
  publish(cart.put(Line{.item_id = "it-tv", .sku = stocked_sku(1), .category = "tv"}));
  summary_at(cart);
  const auto refused = expect(call(cart.user(), "POST", "/checkout/finalize"), 422);
  std::vector<std::string> codes;
  for (const auto& blocker : refused.at("readiness").as_array()) {
    codes.emplace_back(blocker.at("code").as_string());
  }
  EXPECT_NE(std::find(codes.begin(), codes.end(), "no_delivery_method"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "no_payment_method"), codes.end());
  EXPECT_EQ(call(cart.user(), "POST", "/checkout/finalize", "[1]").status, 400);
  EXPECT_EQ(call("", "POST", "/checkout/finalize").status, 401);
}

TEST_F(OrderFlowTest, ManyBuyersForAFewUnitsGetExactlyThatManyOrders) {
  constexpr int kUnits = 3;
  constexpr int kBuyers = 12;
  const auto sku = stocked_sku(kUnits);
  std::vector<TestCart> carts;
  carts.reserve(kBuyers);
  for (int i = 0; i < kBuyers; ++i) carts.push_back(ready_session(sku, true));
  std::vector<int> statuses(kBuyers);
  std::vector<std::thread> buyers;
  buyers.reserve(kBuyers);
  for (int i = 0; i < kBuyers; ++i) {
    buyers.emplace_back(
        [&, i] { statuses[i] = call(carts[i].user(), "POST", "/checkout/finalize").status; });
  }
  for (auto& buyer : buyers) buyer.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), kUnits);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kBuyers - kUnits);
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{kUnits}));
  int orders = 0;
  for (const auto& cart : carts) {
    orders += static_cast<int>(
        expect(call(cart.user(), "GET", "/checkout/orders"), 200).at("orders").as_array().size());
  }
  EXPECT_EQ(orders, kUnits);
}

TEST_F(OrderFlowTest, PaymentFactsMoveTheOrderOnlyForwardAndOnce) {
  const auto sku = stocked_sku(2);
  auto cart = ready_session(sku, false);
  const auto placed = expect(call(cart.user(), "POST", "/checkout/finalize"), 201);
  const std::string order_id(placed.at("order_id").as_string());
  EXPECT_EQ(placed.at("status").as_string(), "awaiting_payment");
  EXPECT_FALSE(placed.at("hold_until").is_null());
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{1}, std::int64_t{0}));

  publish(payment_fact(cart, et::kPaymentInitialized, 2, order_id, "tx-1"));
  ASSERT_TRUE(soon([&] {
    return !order(cart.user(), order_id).at("payment").at("redirect_url").is_null();
  })) << suite().service->log_tail();
  // The summary shows where to pay too.
  const auto summary = expect(call(cart.user(), "GET", "/checkout/summary"), 200);
  EXPECT_EQ(summary.at("order").at("payment").at("redirect_url"),
            order(cart.user(), order_id).at("payment").at("redirect_url"));
  publish(payment_fact(cart, et::kPaymentFailed, 3, order_id, "tx-1"));
  ASSERT_TRUE(soon([&] { return status_of(cart.user(), order_id) == "payment_failed"; }));
  // The customer pays again (another attempt); the success is delivered twice, and the first
  // attempt's failure once more, late.
  publish(payment_fact(cart, et::kPaymentInitialized, 4, order_id, "tx-2"));
  const auto success = payment_fact(cart, et::kPaymentSucceeded, 5, order_id, "tx-2");
  publish(success);
  publish(success);
  publish(payment_fact(cart, et::kPaymentFailed, 6, order_id, "tx-1"));
  ASSERT_TRUE(soon([&] { return status_of(cart.user(), order_id) == "paid"; }));
  ASSERT_TRUE(soon([&] {
    return types_published(cart) == names({et::kOrderCreated, et::kCheckoutCompleted});
  })) << suite().service->log_tail();
  const auto done = order(cart.user(), order_id);
  EXPECT_EQ(done.at("payment").at("transaction_id").as_string(), "tx-2");
  EXPECT_EQ(done.at("status").as_string(), "paid");
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{1}));
  // placed, initialized, failed, initialized, succeeded, the late failure (no effect)
  EXPECT_EQ(done.at("history").as_array().size(), 6U) << json::serialize(done);
  // Past the hold nothing changes: a paid order is final.
  std::this_thread::sleep_for(std::chrono::seconds(kHoldSeconds + 1));
  EXPECT_EQ(status_of(cart.user(), order_id), "paid");
}

TEST_F(OrderFlowTest, AnUnpaidOrderIsCancelledWhenItsHoldLapsesAndALateSuccessIsNotSold) {
  const auto sku = stocked_sku(1);
  auto cart = ready_session(sku, false);
  const auto placed = expect(call(cart.user(), "POST", "/checkout/finalize"), 201);
  const std::string order_id(placed.at("order_id").as_string());
  ASSERT_TRUE(eventually([&] { return status_of(cart.user(), order_id) == "cancelled"; },
                         std::chrono::seconds(kHoldSeconds + 60)))
      << suite().service->log_tail();
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  // The unit is free again: someone else buys it.
  auto other = ready_session(sku, true);
  expect(call(other.user(), "POST", "/checkout/finalize"), 201);
  // The first customer's money arrives late: the order stays cancelled, nothing is sold twice.
  publish(payment_fact(cart, et::kPaymentSucceeded, 2, order_id, "tx-late"));
  ASSERT_TRUE(soon([&] {
    const auto history = order(cart.user(), order_id).at("history").as_array();
    return history.back().at("cause").as_string().find("refunds") != std::string::npos;
  })) << suite().service->log_tail();
  EXPECT_EQ(status_of(cart.user(), order_id), "cancelled");
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{1}));
  ASSERT_TRUE(soon([&] {
    return types_published(cart) == names({et::kOrderCreated, et::kOrderCancelled});
  }));
  EXPECT_EQ(order_events(cart)[1].second.at("reason_code").as_string(), "hold_expired");
}

TEST_F(OrderFlowTest, TheOwnerCancelsAnUnpaidOrderAndItsUnitsGoBack) {
  const auto sku = stocked_sku(1);
  auto cart = ready_session(sku, false);
  const auto placed = expect(call(cart.user(), "POST", "/checkout/finalize"), 201);
  const std::string order_id(placed.at("order_id").as_string());
  const auto path = "/checkout/orders/" + order_id + "/cancel";
  expect(call("user-" + platform::new_uuid(), "POST", path), 404);
  EXPECT_EQ(expect(call(cart.user(), "POST", path), 200).at("status").as_string(), "cancelled");
  expect(call(cart.user(), "POST", path), 409);
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{0}));
}

// The process dies between two writes; a second checkout_service on the same Redis and
// PostgreSQL plays the crashed instance (the suite's own keeps the sessions' views).
class CrashedFinalizeTest : public OrderFlowTest {
 protected:
  static platform::testing::HttpResult finalize_and_crash(const TestCart& cart,
                                                          const std::string& fault) {
    platform::testing::ServiceProcess crashing(CHECKOUT_SERVICE_BINARY,
                                               with_settings({{"CHECKOUT_FAULT", fault}}));
    crashing.start();
    platform::testing::HttpResult answer;
    try {
      answer = crashing.call(cart.user(), "POST", "/checkout/finalize");
    } catch (const std::exception&) {
      answer.status = 0;  // the connection died with the process
    }
    EXPECT_TRUE(eventually([&] { return !crashing.running(); }))
        << answer.status << " " << answer.body << crashing.log_tail();
    return answer;
  }
};

TEST_F(CrashedFinalizeTest, KilledAfterTheHoldBeforeTheOrderTheHoldLapses) {
  const auto sku = stocked_sku(1);
  auto cart = ready_session(sku, false);
  const auto answer = finalize_and_crash(cart, "after_reservation");
  EXPECT_NE(answer.status, 201);
  EXPECT_EQ(stock_of(sku).first, 1);  // held by an order that was never written
  // Once the hold and its grace have passed, the unit is someone else's to buy.
  auto other = ready_session(sku, true);
  ASSERT_TRUE(
      eventually([&] { return call(other.user(), "POST", "/checkout/finalize").status == 201; },
                 std::chrono::seconds(kHoldSeconds + 30)));
  EXPECT_EQ(stock_of(sku), std::make_pair(std::int64_t{0}, std::int64_t{1}));
  EXPECT_TRUE(
      expect(call(cart.user(), "GET", "/checkout/orders"), 200).at("orders").as_array().empty());
}

TEST_F(CrashedFinalizeTest, KilledAfterTheCommitOrderCreatedIsStillPublished) {
  const auto sku = stocked_sku(1);
  auto cart = ready_session(sku, true);
  const auto answer = finalize_and_crash(cart, "after_order_commit");
  EXPECT_NE(answer.status, 201);
  ASSERT_TRUE(soon([&] {
    const auto types = types_published(cart);
    return std::find(types.begin(), types.end(), et::kOrderCreated) != types.end();
  })) << suite().service->log_tail();
  const auto orders = expect(call(cart.user(), "GET", "/checkout/orders"), 200);
  ASSERT_EQ(orders.at("orders").as_array().size(), 1U);
  // The cash-on-delivery sale the crash left unwritten is settled by the sweeper.
  ASSERT_TRUE(
      soon([&] { return stock_of(sku) == std::make_pair(std::int64_t{0}, std::int64_t{1}); }));
}

}  // namespace
