// The session rules (session.hpp): choosing a method, and the choice following the cart, the
// delivery method and the rules. The shop's shipped rules file is the rule set.
#include "session.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "contracts/test_cart.hpp"
#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"

namespace payment {
namespace {
using contracts::CartCopy;
using contracts::testing::cart_of;
using contracts::testing::Goods;
using contracts::testing::product_line;
using platform::Errc;
using platform::pln;

const PaymentRules& shipped() {
  static const PaymentRules loaded = [] {
    auto parsed = platform::rules::load_rules<PaymentRules>(
        std::string(PAYMENT_CONFIG_DIR) + "/payment_rules.yaml", parse_payment_rules);
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return *parsed;
  }();
  return loaded;
}

CartCopy worth(std::int64_t grosze, std::int64_t version = 1) {
  auto cart = cart_of({product_line("a", Goods().price(grosze))});
  cart.version = version;
  return cart;
}

const ShippingChoice kCourier{.method_id = "courier", .cash_on_delivery_allowed = true};
const ShippingChoice kLocker{.method_id = "parcel_locker", .cash_on_delivery_allowed = false};

PaymentSession session_with(CartCopy cart, std::optional<ShippingChoice> shipping = std::nullopt) {
  PaymentSession session;
  session.session_id = "cs_test";
  session.user_id = "user_test";
  session.version = 3;
  session.cart = std::move(cart);
  session.shipping = std::move(shipping);
  session.shipping_version = session.shipping ? 1 : 0;
  return session;
}

// The session after choosing `method_id`, which must succeed.
PaymentSession chosen(const PaymentSession& session, std::string_view method_id,
                      const PaymentRules& rules = shipped()) {
  auto out = select_method(session, method_id, rules, {});
  if (!out) throw std::runtime_error(out.error().message);
  return out->session;
}

Change selected(std::string id) {
  return Change{.kind = ChangeKind::method_selected, .method_id = std::move(id), .refusal = {}};
}

Change cleared(std::string id, std::string code, std::string message) {
  return Change{.kind = ChangeKind::method_cleared,
                .method_id = std::move(id),
                .refusal = Refusal{std::move(code), std::move(message)}};
}

TEST(SelectMethod, ChoosesAnAvailableMethod) {
  const auto session = session_with(worth(50000), kCourier);
  auto out = select_method(session, "cash_on_delivery", shipped(), {});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->changes, std::vector<Change>{selected("cash_on_delivery")});
  ASSERT_TRUE(out->session.method);
  EXPECT_EQ(*out->session.method, (ChosenMethod{.id = "cash_on_delivery",
                                                .name = "Płatność przy odbiorze (pobranie)",
                                                .kind = MethodKind::cash_on_delivery,
                                                .gateway = std::nullopt,
                                                .channel = "",
                                                .blik_code = false,
                                                .fee = pln(500)}));
  EXPECT_EQ(out->session.version, 3);  // the caller counts the published changes
  EXPECT_EQ(out->session.cart, session.cart);
}

TEST(SelectMethod, TheSameMethodAgainChangesNothing) {
  const auto session = chosen(session_with(worth(50000)), "blik");
  auto again = select_method(session, "blik", shipped(), {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changes.empty());
  EXPECT_EQ(again->session, session);
}

TEST(SelectMethod, AnotherMethodReplacesTheChoice) {
  const auto session = chosen(session_with(worth(50000)), "blik");
  auto out = select_method(session, "payu_card", shipped(), {});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->changes, std::vector<Change>{selected("payu_card")});
  EXPECT_EQ(out->session.method->gateway, Gateway::payu);
  EXPECT_EQ(out->session.method->channel, "card");
}

TEST(SelectMethod, RefusesWhatCannotBeChosen) {
  auto empty = select_method(session_with(cart_of({})), "blik", shipped(), {});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, Errc::conflict);
  EXPECT_EQ(empty.error().reason, "cart_empty");
  EXPECT_NE(empty.error().message.find("cart is empty"), std::string::npos);

  auto unknown = select_method(session_with(worth(50000)), "paypal", shipped(), {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::not_found);
  EXPECT_EQ(unknown.error().reason, "unknown_method");

  auto no_delivery = select_method(session_with(worth(50000)), "cash_on_delivery", shipped(), {});
  ASSERT_FALSE(no_delivery);
  EXPECT_EQ(no_delivery.error().code, Errc::invalid);
  EXPECT_EQ(no_delivery.error().reason, "no_shipping_method");

  auto locker =
      select_method(session_with(worth(50000), kLocker), "cash_on_delivery", shipped(), {});
  ASSERT_FALSE(locker);
  EXPECT_EQ(locker.error().reason, "shipping_method_excludes_cash_on_delivery");
  EXPECT_EQ(locker.error().message,
            "Wybrana metoda dostawy nie pozwala na płatność przy odbiorze.");

  auto cheap = select_method(session_with(worth(10000)), "payu_instalments", shipped(), {});
  ASSERT_FALSE(cheap);
  EXPECT_EQ(cheap.error().code, Errc::invalid);
  EXPECT_EQ(cheap.error().reason, "cart_value_too_low");
  EXPECT_NE(cheap.error().message.find("300,00 zł"), std::string::npos) << cheap.error().message;
}

TEST(SelectMethod, AGatewayDownIsRefusedButNeverClearsAChoice) {
  const auto session = session_with(worth(50000));
  auto down = select_method(session, "payu_card", shipped(), {Gateway::payu});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, Errc::invalid);
  EXPECT_EQ(down.error().reason, "gateway_unavailable");

  // Chosen while PayU was up: following the cart keeps it, whatever the breakers say now.
  const auto with_payu = chosen(session, "payu_card");
  auto out = follow_cart(with_payu, worth(60000, 2), shipped());
  EXPECT_TRUE(out.changes.empty());
  EXPECT_EQ(out.session.method->id, "payu_card");
  // Choosing it again while PayU is down is refused, and the choice stays.
  EXPECT_FALSE(select_method(with_payu, "payu_card", shipped(), {Gateway::payu}));
}

TEST(FollowCart, ACartGrowingAboveTheLimitClearsTheChoice) {
  const auto session = chosen(session_with(worth(400000), kCourier), "cash_on_delivery");
  auto out = follow_cart(session, worth(600000, 2), shipped());
  EXPECT_EQ(out.changes,
            std::vector<Change>{
                cleared("cash_on_delivery", "cart_value_too_high",
                        "Metoda „Płatność przy odbiorze (pobranie)” jest dostępna dla zamówień do "
                        "5 000,00 zł, a wartość koszyka to 6 000,00 zł.")});
  EXPECT_FALSE(out.session.method);
  EXPECT_EQ(out.session.cart.version, 2);
  // It does not come back by itself when the cart shrinks again.
  auto back = follow_cart(out.session, worth(400000, 3), shipped());
  EXPECT_TRUE(back.changes.empty());
  EXPECT_FALSE(back.session.method);
}

TEST(FollowCart, AnEmptiedCartClearsTheChoice) {
  const auto session = chosen(session_with(worth(50000)), "blik");
  auto empty = cart_of({});
  empty.version = 2;
  auto out = follow_cart(session, empty, shipped());
  EXPECT_EQ(out.changes, std::vector<Change>{cleared("blik", "empty_cart", "Koszyk jest pusty.")});
}

TEST(FollowCart, AnUnchangedFeeIsNotPublishedAgain) {
  const auto session = chosen(session_with(worth(50000), kCourier), "cash_on_delivery");
  auto out = follow_cart(session, worth(70000, 2), shipped());
  EXPECT_TRUE(out.changes.empty());
  EXPECT_EQ(out.session.method, session.method);
  EXPECT_EQ(out.session.cart.version, 2);
}

// A rule set where the fee depends on the cart: 1% with at least 5 zł.
constexpr std::string_view kShareFee = R"(methods:
  - id: cash_on_delivery
    name: Płatność przy odbiorze (pobranie)
    kind: cash_on_delivery
    gateway: none
    fee: { share: "1%", min: 500 }
)";

const PaymentRules& share_fee() {
  static const auto rules = platform::rules::testing::parse_or_throw<PaymentRules>(
      kShareFee, "payment_rules.yaml", parse_payment_rules);
  return rules;
}

TEST(FollowCart, AChangedFeeIsPublishedAgain) {
  const auto session =
      chosen(session_with(worth(100000), kCourier), "cash_on_delivery", share_fee());
  EXPECT_EQ(session.method->fee, pln(1000));
  auto out = follow_cart(session, worth(200000, 2), share_fee());
  EXPECT_EQ(out.changes, std::vector<Change>{selected("cash_on_delivery")});
  EXPECT_EQ(out.session.method->fee, pln(2000));
  // Reselecting at the current fee changes nothing.
  auto again = select_method(out.session, "cash_on_delivery", share_fee(), {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changes.empty());
}

TEST(FollowShipping, ParcelLockerClearsCashOnDelivery) {
  const auto session = chosen(session_with(worth(50000), kCourier), "cash_on_delivery");
  auto out = follow_shipping(session, kLocker, 2, shipped());
  EXPECT_EQ(out.changes, std::vector<Change>{cleared(
                             "cash_on_delivery", "shipping_method_excludes_cash_on_delivery",
                             "Wybrana metoda dostawy nie pozwala na płatność przy odbiorze.")});
  EXPECT_FALSE(out.session.method);
  EXPECT_EQ(out.session.shipping, kLocker);
  EXPECT_EQ(out.session.shipping_version, 2);
}

TEST(FollowShipping, AClearedDeliveryMethodClearsCashOnDelivery) {
  const auto session = chosen(session_with(worth(50000), kCourier), "cash_on_delivery");
  auto out = follow_shipping(session, std::nullopt, 2, shipped());
  ASSERT_EQ(out.changes.size(), 1U);
  EXPECT_EQ(out.changes[0].kind, ChangeKind::method_cleared);
  EXPECT_EQ(out.changes[0].refusal->code, "no_shipping_method");
  EXPECT_EQ(out.session.shipping, std::nullopt);
}

TEST(FollowShipping, OnlinePaymentIsUntouchedByTheDelivery) {
  const auto session = chosen(session_with(worth(50000), kCourier), "blik_code");
  auto out = follow_shipping(session, kLocker, 2, shipped());
  EXPECT_TRUE(out.changes.empty());
  EXPECT_EQ(out.session.method, session.method);
  EXPECT_EQ(out.session.shipping, kLocker);
}

TEST(FollowShipping, AStaleOrRepeatedShippingEventChangesNothing) {
  auto session = chosen(session_with(worth(50000), kCourier), "cash_on_delivery");
  session.shipping_version = 5;
  for (const std::int64_t version : {4, 5}) {
    auto out = follow_shipping(session, kLocker, version, shipped());
    EXPECT_TRUE(out.changes.empty()) << version;
    EXPECT_EQ(out.session, session) << version;
  }
  auto newer = follow_shipping(session, kLocker, 6, shipped());
  EXPECT_EQ(newer.changes.size(), 1U);
}

TEST(FollowRules, AMethodTheRulesDroppedIsWithdrawn) {
  const auto session = chosen(session_with(worth(50000), kCourier), "blik");
  auto out = follow_rules(session, share_fee());
  EXPECT_EQ(out.changes, std::vector<Change>{cleared("blik", "method_withdrawn",
                                                     "Metoda płatności „BLIK” nie jest już "
                                                     "dostępna.")});
  EXPECT_FALSE(out.session.method);
}

TEST(FollowRules, NewRulesRepriceOrClearTheChoice) {
  const auto session = chosen(session_with(worth(100000), kCourier), "cash_on_delivery");
  EXPECT_EQ(session.method->fee, pln(500));
  auto repriced = follow_rules(session, share_fee());
  EXPECT_EQ(repriced.changes, std::vector<Change>{selected("cash_on_delivery")});
  EXPECT_EQ(repriced.session.method->fee, pln(1000));

  const auto stricter = platform::rules::testing::parse_or_throw<PaymentRules>(
      platform::rules::testing::replace_once(kShareFee,
                                             "    fee:", "    max_cart_value: 50000\n    fee:"),
      "payment_rules.yaml", parse_payment_rules);
  auto out = follow_rules(session, stricter);
  ASSERT_EQ(out.changes.size(), 1U);
  EXPECT_EQ(out.changes[0].refusal->code, "cart_value_too_high");

  auto same = follow_rules(session, shipped());
  EXPECT_TRUE(same.changes.empty());
  EXPECT_EQ(same.session, session);
}

}  // namespace
}  // namespace payment
