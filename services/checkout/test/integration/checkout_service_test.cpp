// The Checkout service through its HTTP API and Kafka (checkout_fixture.hpp): the session's view,
// its summary, customer data and consents.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "checkout_fixture.hpp"
#include "sse_reader.hpp"

namespace {
using namespace checkout::testing;  // NOLINT(google-build-using-namespace): the fixture's helpers

struct Defaults {
  static platform::testing::Env env() { return {}; }
};
using CheckoutServiceTest = CheckoutSuite<Defaults>;

TEST_F(CheckoutServiceTest, TheSummaryOfAWholeFlowIsRightToTheGrosz) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  namespace t = contracts;
  publish(event_of(cart, t::kWarrantyTopic, et::kWarrantySelected, 1,
                   {{"item_id", "it-tv"}, {"price", money(39900)}, {"unit_price", money(39900)}}));
  publish(event_of(cart, t::kShippingTopic, et::kShippingMethodSelected, 1,
                   {{"method_id", "courier_carry_in"}, {"price", money(14900)}}));
  publish(event_of(cart, t::kShippingTopic, et::kShippingAddressProvided, 2));
  publish(event_of(cart, t::kShippingTopic, et::kDeliveryDateSelected, 3,
                   {{"method_id", "courier_carry_in"}}));
  publish(event_of(cart, t::kShippingTopic, et::kShippingAddonsSelected, 4));
  publish(event_of(cart, t::kPaymentTopic, et::kPaymentMethodSelected, 1));
  publish(event_of(cart, t::kPromotionTopic, et::kPromotionApplied, 1,
                   {{"item_ids", json::array{"it-hdmi"}},
                    {"allocations", json::array{json::object{{"item_id", "it-hdmi"},
                                                             {"sku", "ACC-HDMI"},
                                                             {"amount", money(3000)},
                                                             {"lowest_price_30d", money(5999)}}}},
                    {"discount", money(3000)}}));
  auto summary = summary_at(cart,
                            "&warranty_version=1&shipping_version=4&payment_version=1&"
                            "promotion_version=1");
  EXPECT_EQ(amount(summary, "lines_total"), 329900 + 4900 + 2 * 5999);
  EXPECT_EQ(amount(summary, "warranties_total"), 39900);
  EXPECT_EQ(amount(summary, "shipping_total"), 14900 + 0 + 4900);  // the example's addons: 49 zł
  EXPECT_EQ(amount(summary, "payment_fee"), 0);
  EXPECT_EQ(amount(summary, "discount_total"), 3000);
  const auto grand = 329900 + 4900 + 11998 + 39900 + 19800 - 3000;
  EXPECT_EQ(amount(summary, "grand_total"), grand);
  std::int64_t gross = 0;
  for (const auto& group : summary.at("totals").at("vat").as_array()) {
    EXPECT_EQ(group.at("net").at("amount").as_int64() + group.at("vat").at("amount").as_int64(),
              group.at("gross").at("amount").as_int64());
    gross += group.at("gross").at("amount").as_int64();
  }
  EXPECT_EQ(gross, grand);
  const auto& lines = summary.at("lines").as_array();
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].at("warranties").as_array().size(), 1U);
  EXPECT_EQ(lines[0].at("service_item_ids").as_array().at(0).as_string(), "it-carry");
  EXPECT_EQ(summary.at("delivery").at("day").at("date").as_string(), "2025-03-18");
  EXPECT_EQ(readiness(summary),
            (std::vector<std::string>{"no_customer_data", "consent_missing", "consent_missing"}));

  auto saved = expect(call(cart.user(), "POST", "/checkout/customer-data", kCompany), 200);
  EXPECT_EQ(saved.at("version").as_int64(), 1);
  EXPECT_EQ(saved.at("summary").at("customer_data").at("customer").at("email").as_string(),
            "Anna.Kowalska@example.pl");
  auto consents = expect(
      call(cart.user(), "POST", "/checkout/consents",
           R"({"consents":[{"consent_id":"terms_of_sale","granted":true,"text_version":"2026-01"},)"
           R"({"consent_id":"privacy_policy","granted":true,"text_version":"2026-01"},)"
           R"({"consent_id":"marketing_sms","granted":false,"text_version":"2025-06"}]})"),
      200);
  EXPECT_EQ(consents.at("version").as_int64(), 2);
  EXPECT_TRUE(consents.at("summary").at("ready").as_bool()) << json::serialize(consents);
  EXPECT_TRUE(eventually([&] { return published(cart).size() == 2; }));
  const auto events = published(cart);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].first, et::kCustomerDataProvided);
  EXPECT_EQ(events[0].second.at("invoice").at("nip").as_string(), "5260250274");
  EXPECT_EQ(events[1].first, et::kConsentsGiven);
  EXPECT_EQ(events[1].second.at("version").as_int64(), 2);
}

TEST_F(CheckoutServiceTest, DuplicatedAndRedeliveredEventsChangeNothing) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  const auto selected = event_of(cart, contracts::kShippingTopic, et::kShippingMethodSelected, 2,
                                 {{"price", money(14900)}});
  const auto older = event_of(cart, contracts::kShippingTopic, et::kShippingMethodSelected, 1,
                              {{"method_id", "parcel_locker"}, {"price", money(999)}});
  publish(selected);
  publish(selected);
  publish(older);
  auto first = cart.put(
      Line{
          .item_id = "it-tv", .sku = "TV-1", .category = "tv", .unit_price = 329900, .quantity = 2},
      et::kCartItemQuantityChanged);
  publish(first);
  publish(first);
  auto summary = summary_at(cart, "&shipping_version=2");
  // The older selection came last but is not newer than what the view holds.
  EXPECT_TRUE(eventually([&] {
    summary = summary_at(cart, "&shipping_version=2");
    return amount(summary, "shipping_total") == 14900;
  }));
  EXPECT_EQ(summary.at("delivery").at("method").at("method_id").as_string(), "courier_carry_in");
  EXPECT_EQ(amount(summary, "lines_total"), 2 * 329900 + 4900 + 2 * 5999);
  EXPECT_EQ(summary.at("versions").at("shipping").as_int64(), 2);
}

TEST_F(CheckoutServiceTest, ASummaryWaitsForTheClientsOwnChangeAndSaysWhenItIsNotThereYet) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  summary_at(cart);
  const auto wanted = cart.version() + 1;
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    publish(cart.put(
        Line{.item_id = "it-fridge", .sku = "FR-1", .category = "fridge", .unit_price = 259900}));
  });
  auto waited =
      expect(call(cart.user(), "GET",
                  "/checkout/summary?wait_ms=10000&cart_version=" + std::to_string(wanted)),
             200);
  late.join();
  EXPECT_TRUE(waited.at("freshness").at("complete").as_bool());
  EXPECT_EQ(waited.at("lines").as_array().size(), 4U);
  EXPECT_EQ(amount(waited, "lines_total"), 329900 + 4900 + 11998 + 259900);

  auto stale =
      expect(call(cart.user(), "GET",
                  "/checkout/summary?wait_ms=200&cart_version=" + std::to_string(wanted + 5) +
                      "&promotion_version=3"),
             200);
  EXPECT_FALSE(stale.at("freshness").at("complete").as_bool());
  EXPECT_EQ(stale.at("freshness").at("waiting_for").as_array().size(), 2U);
  EXPECT_EQ(stale.at("lines").as_array().size(), 4U);
  EXPECT_EQ(call(cart.user(), "GET", "/checkout/summary?cart_version=abc").status, 400);
}

TEST_F(CheckoutServiceTest, TheStreamPushesTheSummaryWhenItChanges) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  summary_at(cart);
  checkout::testing::SseReader stream(suite().service->port(), "/checkout/summary/stream",
                                      platform::testing::token_for(cart.user()));
  auto first = stream.next(std::chrono::seconds(5));
  ASSERT_TRUE(first);
  EXPECT_NE(stream.head().find("text/event-stream"), std::string::npos) << stream.head();
  EXPECT_EQ(json::parse(*first).at("lines").as_array().size(), 3U);
  publish(cart.put(
      Line{.item_id = "it-fridge", .sku = "FR-1", .category = "fridge", .unit_price = 259900}));
  auto pushed = stream.next(std::chrono::seconds(10));
  ASSERT_TRUE(pushed) << suite().service->log_tail();
  EXPECT_EQ(json::parse(*pushed).at("lines").as_array().size(), 4U);
  EXPECT_EQ(json::parse(*pushed).at("totals").at("lines_total").at("amount").as_int64(),
            329900 + 4900 + 11998 + 259900);
}

TEST_F(CheckoutServiceTest, BadInputsGetClearErrorsAndChangeNothing) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  summary_at(cart);
  std::string bad_nip(kCompany);
  bad_nip.replace(bad_nip.find("526-025-02-74"), 13, "526-025-02-75");
  auto refused = expect(call(cart.user(), "POST", "/checkout/customer-data", bad_nip), 422);
  ASSERT_TRUE(refused.contains("errors")) << json::serialize(refused);
  EXPECT_EQ(refused.at("errors").at(0).at("field").as_string(), "invoice.nip");
  std::string bad_email(kCompany);
  bad_email.replace(bad_email.find("Anna.Kowalska@Example.PL"), 24, "anna@@example");
  auto email = expect(call(cart.user(), "POST", "/checkout/customer-data", bad_email), 422);
  EXPECT_EQ(email.at("errors").at(0).at("field").as_string(), "customer.email");
  EXPECT_EQ(call(cart.user(), "POST", "/checkout/customer-data", "{").status, 400);
  auto unknown = expect(call(cart.user(), "POST", "/checkout/consents",
                             R"({"consents":[{"consent_id":"lottery","granted":true,)"
                             R"("text_version":"1"}]})"),
                        422);
  EXPECT_NE(unknown.at("type").as_string().find("unknown_consent"), std::string::npos);
  EXPECT_EQ(call(cart.user(), "POST", "/checkout/consents",
                 R"({"consents":[{"consent_id":"terms_of_sale","granted":true,)"
                 R"("text_version":"2019-01"}]})")
                .status,
            422);
  auto summary = summary_at(cart);
  EXPECT_TRUE(summary.at("customer_data").is_null());
  EXPECT_TRUE(published(cart).empty());

  // Another user sees nothing of this session and writes nothing into it.
  const std::string stranger = "user-" + platform::new_uuid();
  auto theirs = expect(call(stranger, "GET", "/checkout/summary"), 200);
  EXPECT_TRUE(theirs.at("session_id").is_null());
  EXPECT_TRUE(theirs.at("lines").as_array().empty());
  EXPECT_EQ(call(stranger, "POST", "/checkout/customer-data", kCompany).status, 409);
  EXPECT_EQ(call("", "GET", "/checkout/summary").status, 401);
  EXPECT_TRUE(summary_at(cart).at("customer_data").is_null());
}

TEST_F(CheckoutServiceTest, APriceChangeIsShownUntilTheCustomerAcknowledgesIt) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  publish(cart.put(Line{.item_id = "it-tv", .sku = "TV-1", .category = "tv", .unit_price = 299900},
                   et::kCartItemPriceChanged));
  auto summary = summary_at(cart);
  const auto codes = readiness(summary);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "price_change_not_seen"), codes.end());
  EXPECT_EQ(summary.at("lines").at(0).at("price_change").at("new_unit_price").at("amount"), 299900);
  EXPECT_EQ(call(cart.user(), "POST", "/checkout/price-changes/acknowledge",
                 R"({"item_ids":["it-hdmi"]})")
                .status,
            422);
  auto seen = expect(
      call(cart.user(), "POST", "/checkout/price-changes/acknowledge", R"({"item_ids":["it-tv"]})"),
      200);
  const auto after = readiness(seen);
  EXPECT_EQ(std::find(after.begin(), after.end(), "price_change_not_seen"), after.end());
}

TEST_F(CheckoutServiceTest, OrderCreatedEndsTheSessionAndALateEventDoesNotReopenIt) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  summary_at(cart);
  ASSERT_EQ(call(cart.user(), "POST", "/checkout/customer-data", kCompany).status, 200);
  publish(event_of(cart, kCheckoutTopic, et::kOrderCreated, 3));
  EXPECT_TRUE(eventually([&] {
    auto doc = expect(call(cart.user(), "GET", "/checkout/summary"), 200);
    return doc.at("session_id").is_null();
  })) << suite().service->log_tail();
  publish(event_of(cart, contracts::kPaymentTopic, et::kPaymentMethodSelected, 7));
  publish(cart.put(Line{.item_id = "it-late", .sku = "L-1", .unit_price = 100}));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto doc = expect(call(cart.user(), "GET", "/checkout/summary"), 200);
  EXPECT_TRUE(doc.at("session_id").is_null()) << json::serialize(doc);
  EXPECT_EQ(
      platform::testing::redis_command({"EXISTS", "checkout:customer:{" + cart.session() + "}"})
          .as_integer(),
      0);
}

TEST_F(CheckoutServiceTest, ANewConsentTextAfterSighupAsksAgain) {
  TestCart cart("user-" + platform::new_uuid());
  fill(cart);
  summary_at(cart);
  ASSERT_EQ(call(cart.user(), "POST", "/checkout/consents",
                 R"({"consents":[{"consent_id":"terms_of_sale","granted":true,)"
                 R"("text_version":"2026-01"},{"consent_id":"privacy_policy","granted":true,)"
                 R"("text_version":"2026-01"}]})")
                .status,
            200);
  auto before = readiness(summary_at(cart));
  EXPECT_EQ(std::find(before.begin(), before.end(), "consent_missing"), before.end());
  std::ifstream in(suite().rules_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("version: \"2026-01\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 18, "version: \"2026-12\"");
  std::ofstream(suite().rules_file) << text;
  ::kill(suite().service->pid(), SIGHUP);
  EXPECT_TRUE(eventually([&] {
    auto codes = readiness(summary_at(cart));
    return std::find(codes.begin(), codes.end(), "consent_missing") != codes.end();
  }));
  text.replace(at, 18, "version: \"2026-01\"");
  std::ofstream(suite().rules_file) << text;
  ::kill(suite().service->pid(), SIGHUP);
}

}  // namespace
