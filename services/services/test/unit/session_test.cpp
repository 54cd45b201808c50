// The Services' session rules (session.hpp) and the event they publish (events.hpp), against the
// shipped rules file: no I/O.
#include "session.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contracts/test_cart.hpp"
#include "events.hpp"
#include "platform/rules/load.hpp"

namespace extra_services {
namespace {
namespace json = boost::json;
using contracts::testing::cart_of;
using contracts::testing::Goods;
using contracts::testing::product_line;

const ServicesRules& shipped_rules() {
  static const ServicesRules rules = [] {
    auto loaded = platform::rules::load_rules<ServicesRules>(
        std::string(EXTRA_SERVICES_CONFIG_DIR) + "/services_rules.yaml", parse_services_rules);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(*loaded);
  }();
  return rules;
}

contracts::CartLine washer() {
  return product_line("w", Goods()
                               .category("washing_machine")
                               .weight(70000)
                               .size(600, 850, 550)
                               .flags({"large_appliance", "needs_installation"})
                               .price(199900));
}

contracts::CartLine service_line(std::string item_id, std::string sku, std::string parent,
                                 std::int64_t price, bool validated) {
  contracts::CartLine line;
  line.item_id = std::move(item_id);
  line.type = "service";
  line.sku = std::move(sku);
  line.name = "Usługa";
  line.category = "service";
  line.unit_price = platform::pln(price);
  if (!parent.empty()) line.parent_item_id = std::move(parent);
  line.dimensions_mm = {0, 0, 0};
  line.weight_g = 0;
  line.validated = validated;
  return line;
}

// A cart event's data for `line` at `version` of session cs_test.
json::value cart_event(const contracts::CartLine& line, std::int64_t version,
                       std::string user = "user_test") {
  return json::object{{"session_id", "cs_test"},
                      {"user_id", std::move(user)},
                      {"version", version},
                      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                      {"occurred_at", "2026-12-02T10:00:00Z"},
                      {"cart_hash", "h" + std::to_string(version)},
                      {"line", contracts::cart_line_to_json(line)}};
}

ServicesSession session_with(contracts::CartCopy cart) {
  ServicesSession session;
  session.session_id = cart.session_id;
  session.user_id = cart.user_id;
  session.cart = std::move(cart);
  return session;
}

TEST(FollowCart, NewerEventsMoveTheCopyOlderOnesNothing) {
  ServicesSession session;
  auto first = follow_cart(session, "CartItemAdded", cart_event(washer(), 1));
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->session_id, "cs_test");
  EXPECT_EQ((*first)->user_id, "user_test");
  EXPECT_EQ((*first)->cart.lines.size(), 1U);
  auto again = follow_cart(**first, "CartItemAdded", cart_event(washer(), 1));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "a redelivered event changes nothing";
}

TEST(FollowCart, AnEventNamingAnotherUserIsPoison) {
  auto session = session_with(cart_of({washer()}));
  auto foreign = follow_cart(session, "CartItemAdded", cart_event(washer(), 2, "user_other"));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, platform::Errc::invalid);
}

TEST(FollowShipping, OnlyANewerVersionMovesTheMethod) {
  ServicesSession session;
  auto chosen = follow_shipping(session, 2, "parcel_locker");
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->delivery_method, "parcel_locker");
  EXPECT_FALSE(follow_shipping(*chosen, 1, std::nullopt)) << "an older clear comes too late";
  EXPECT_FALSE(follow_shipping(*chosen, 2, std::nullopt)) << "a repeat";
  auto cleared = follow_shipping(*chosen, 3, std::nullopt);
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->delivery_method);
}

TEST(Fingerprint, EqualEvaluationsEqualPrintsAndAnyChangeShows) {
  const auto cart = cart_of({washer()});
  const auto a = evaluate_services(shipped_rules(), cart, std::nullopt);
  EXPECT_EQ(fingerprint(a), fingerprint(evaluate_services(shipped_rules(), cart, std::nullopt)));
  const auto locker = evaluate_services(shipped_rules(), cart, std::string("parcel_locker"));
  EXPECT_NE(fingerprint(a), fingerprint(locker)) << "carry-in is not with a parcel locker";
  auto two = cart;
  two.lines[0].quantity = 2;
  EXPECT_NE(fingerprint(a), fingerprint(evaluate_services(shipped_rules(), two, std::nullopt)))
      << "per-unit services may be had twice now";
}

TEST(AwaitsCart, ServiceLinesWaitUntilTheCartDidWhatTheVerdictSays) {
  const auto* carry_in = shipped_rules().by_code("carry_in");
  ASSERT_NE(carry_in, nullptr);
  const auto price = carry_in->price.amount;
  auto waiting = cart_of({washer(), service_line("s", carry_in->sku, "w", price, false)});
  auto availability = evaluate_services(shipped_rules(), waiting, std::nullopt);
  EXPECT_TRUE(awaits_cart(availability, waiting)) << "not yet validated";

  auto done = cart_of({washer(), service_line("s", carry_in->sku, "w", price, true)});
  EXPECT_FALSE(awaits_cart(evaluate_services(shipped_rules(), done, std::nullopt), done));

  auto mispriced = cart_of({washer(), service_line("s", carry_in->sku, "w", price + 1, true)});
  EXPECT_TRUE(awaits_cart(evaluate_services(shipped_rules(), mispriced, std::nullopt), mispriced));

  EXPECT_TRUE(
      awaits_cart(evaluate_services(shipped_rules(), done, std::string("parcel_locker")), done))
      << "refused now: the Cart must remove it";
}

TEST(AvailabilityEvent, CarriesTheVerdictsAndTheRefusalsWithReasons) {
  const auto* carry_in = shipped_rules().by_code("carry_in");
  auto session = session_with(
      cart_of({washer(), service_line("s", carry_in->sku, "w", carry_in->price.amount, false)}));
  session.version = 3;
  session.delivery_method = "parcel_locker";
  const auto availability =
      evaluate_services(shipped_rules(), session.cart, session.delivery_method);
  auto event = availability_event(session, availability, platform::TraceContext::generate(), {});
  EXPECT_EQ(event.type, "ServiceAvailabilityCalculated");
  EXPECT_EQ(event.topic, "services-events");
  EXPECT_EQ(event.key, "cs_test");
  const auto data = json::parse(event.data).as_object();
  EXPECT_EQ(data.at("version").as_int64(), 3);
  EXPECT_EQ(data.at("cart_version").as_int64(), session.cart.version);
  EXPECT_EQ(data.at("delivery_method").as_string(), "parcel_locker");
  const auto& lines = data.at("service_lines").as_array();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_FALSE(lines[0].at("allowed").as_bool());
  EXPECT_EQ(lines[0].at("reason").at("code").as_string(), "method_excluded");
  bool refused = false;
  for (const auto& offer : data.at("items").at(0).at("unavailable").as_array()) {
    refused = refused || offer.at("sku").as_string() == carry_in->sku;
  }
  EXPECT_TRUE(refused) << data;
  for (const auto& offer : data.at("items").at(0).at("services").as_array()) {
    EXPECT_GE(offer.at("max_quantity").as_int64(), 1);
  }
}

TEST(AvailableDocument, ListsEveryServiceWithAvailabilityAndReason) {
  const auto availability = evaluate_services(shipped_rules(), {}, std::nullopt);
  const auto doc = json::parse(available_document(nullptr, availability)).as_object();
  EXPECT_TRUE(doc.at("session_id").is_null());
  EXPECT_TRUE(doc.at("items").as_array().empty());
  const auto& standalone = doc.at("standalone").as_array();
  ASSERT_FALSE(standalone.empty());
  for (const auto& offer : standalone) {
    EXPECT_FALSE(offer.at("available").as_bool());
    EXPECT_EQ(offer.at("reason").at("code").as_string(), "no_products");
  }
}

}  // namespace
}  // namespace extra_services
