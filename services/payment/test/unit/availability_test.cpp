// Which payment methods a cart can use (availability.hpp). The shop's shipped rules file is the
// rule set where it can be, so these read like the shop behaves.
#include "availability.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

// A cart of one accessory worth `grosze`.
CartCopy worth(std::int64_t grosze) {
  return cart_of({product_line("a", Goods().price(grosze))});
}

const ShippingChoice kCourier{.method_id = "courier", .cash_on_delivery_allowed = true};
const ShippingChoice kLocker{.method_id = "parcel_locker", .cash_on_delivery_allowed = false};

std::vector<std::string> ids_of(const std::vector<AvailableMethod>& methods) {
  std::vector<std::string> ids;
  ids.reserve(methods.size());
  for (const auto& method : methods) ids.push_back(method.id);
  return ids;
}

// The refusal of `id`, or a failure when it is available.
Refusal refusal(const Availability& availability, std::string_view id) {
  const auto it = std::find_if(availability.unavailable.begin(), availability.unavailable.end(),
                               [&](const UnavailableMethod& m) { return m.id == id; });
  if (it == availability.unavailable.end()) {
    ADD_FAILURE() << id << " is available";
    return {};
  }
  return it->refusal;
}

const AvailableMethod* available(const Availability& availability, std::string_view id) {
  const auto it = std::find_if(availability.available.begin(), availability.available.end(),
                               [&](const AvailableMethod& m) { return m.id == id; });
  return it == availability.available.end() ? nullptr : &*it;
}

TEST(Availability, EveryOnlineMethodForAnOrdinaryCartWithoutDelivery) {
  const auto cart = worth(50000);
  const auto result = evaluate(shipped(), {.cart = cart, .shipping = {}, .gateways_down = {}});
  EXPECT_EQ(ids_of(result.available),
            (std::vector<std::string>{"przelewy24", "blik", "blik_code", "card", "payu_transfer",
                                      "payu_card", "payu_instalments", "stripe_card"}));
  ASSERT_EQ(result.unavailable.size(), 1U);
  EXPECT_EQ(result.unavailable[0].id, "cash_on_delivery");
  EXPECT_EQ(result.unavailable[0].kind, MethodKind::cash_on_delivery);
  EXPECT_EQ(result.unavailable[0].refusal.code, "no_shipping_method");
  const auto* blik = available(result, "blik_code");
  ASSERT_NE(blik, nullptr);
  EXPECT_EQ(*blik, (AvailableMethod{.id = "blik_code",
                                    .name = "BLIK (kod na stronie sklepu)",
                                    .kind = MethodKind::online,
                                    .gateway = Gateway::przelewy24,
                                    .channel = "blik",
                                    .blik_code = true,
                                    .fee = pln(0)}));
}

TEST(Availability, AnEmptyCartCanUseNothing) {
  const CartCopy cart = cart_of({});
  const auto result =
      evaluate(shipped(), {.cart = cart, .shipping = kCourier, .gateways_down = {}});
  EXPECT_TRUE(result.available.empty());
  ASSERT_EQ(result.unavailable.size(), shipped().methods.size());
  for (const auto& method : result.unavailable) {
    EXPECT_EQ(method.refusal, (Refusal{"empty_cart", "Koszyk jest pusty."})) << method.id;
  }
}

TEST(Availability, InstalmentsFrom300To50000Zloty) {
  for (const auto grosze : {29999, 5000001}) {
    const auto cart = worth(grosze);
    const auto result = evaluate(shipped(), {.cart = cart, .shipping = {}, .gateways_down = {}});
    EXPECT_EQ(available(result, "payu_instalments"), nullptr) << grosze;
  }
  for (const auto grosze : {30000, 5000000}) {
    const auto cart = worth(grosze);
    const auto result = evaluate(shipped(), {.cart = cart, .shipping = {}, .gateways_down = {}});
    EXPECT_NE(available(result, "payu_instalments"), nullptr) << grosze;
  }
  const auto low = worth(12050);
  EXPECT_EQ(refusal(evaluate(shipped(), {.cart = low, .shipping = {}, .gateways_down = {}}),
                    "payu_instalments"),
            (Refusal{"cart_value_too_low",
                     "Metoda „Raty PayU” jest dostępna dla zamówień od 300,00 zł, a wartość "
                     "koszyka to 120,50 zł."}));
  const auto high = worth(6000000);
  EXPECT_EQ(refusal(evaluate(shipped(), {.cart = high, .shipping = {}, .gateways_down = {}}),
                    "payu_instalments"),
            (Refusal{"cart_value_too_high",
                     "Metoda „Raty PayU” jest dostępna dla zamówień do 50 000,00 zł, a wartość "
                     "koszyka to 60 000,00 zł."}));
}

TEST(Availability, TheCartValueIsTheSubtotalOfEveryLine) {
  // Two units of 150 zł: 300 zł, enough for instalments.
  const auto cart = cart_of({product_line("a", Goods().price(15000).quantity(2))});
  const auto result = evaluate(shipped(), {.cart = cart, .shipping = {}, .gateways_down = {}});
  EXPECT_NE(available(result, "payu_instalments"), nullptr);
}

TEST(Availability, CashOnDeliveryFollowsTheDeliveryMethod) {
  const auto cart = worth(50000);
  // No delivery method yet: it is not known whether the customer can pay on delivery.
  EXPECT_EQ(refusal(evaluate(shipped(), {.cart = cart, .shipping = {}, .gateways_down = {}}),
                    "cash_on_delivery"),
            (Refusal{"no_shipping_method",
                     "Najpierw wybierz metodę dostawy: od niej zależy, czy można zapłacić przy "
                     "odbiorze."}));
  // A courier allows it: offered with its fee.
  const auto courier =
      evaluate(shipped(), {.cart = cart, .shipping = kCourier, .gateways_down = {}});
  const auto* cod = available(courier, "cash_on_delivery");
  ASSERT_NE(cod, nullptr);
  EXPECT_EQ(cod->fee, pln(500));
  EXPECT_EQ(cod->gateway, std::nullopt);
  // A parcel locker does not.
  EXPECT_EQ(refusal(evaluate(shipped(), {.cart = cart, .shipping = kLocker, .gateways_down = {}}),
                    "cash_on_delivery"),
            (Refusal{"shipping_method_excludes_cash_on_delivery",
                     "Wybrana metoda dostawy nie pozwala na płatność przy odbiorze."}));
  // Nor does any delivery method the Shipping says takes no cash.
  const ShippingChoice no_cash{.method_id = "courier", .cash_on_delivery_allowed = false};
  EXPECT_EQ(refusal(evaluate(shipped(), {.cart = cart, .shipping = no_cash, .gateways_down = {}}),
                    "cash_on_delivery")
                .code,
            "shipping_method_excludes_cash_on_delivery");
  // Even if the Shipping one day allowed it for parcel lockers, this file excludes them.
  const ShippingChoice cash_locker{.method_id = "parcel_locker", .cash_on_delivery_allowed = true};
  EXPECT_EQ(
      refusal(evaluate(shipped(), {.cart = cart, .shipping = cash_locker, .gateways_down = {}}),
              "cash_on_delivery"),
      (Refusal{"shipping_method_excluded",
               "Metody „Płatność przy odbiorze (pobranie)” nie można wybrać przy wybranej metodzie "
               "dostawy."}));
}

TEST(Availability, CashOnDeliveryUpTo5000Zloty) {
  const auto at_limit = worth(500000);
  EXPECT_NE(
      available(evaluate(shipped(), {.cart = at_limit, .shipping = kCourier, .gateways_down = {}}),
                "cash_on_delivery"),
      nullptr);
  const auto above = worth(500001);
  EXPECT_EQ(refusal(evaluate(shipped(), {.cart = above, .shipping = kCourier, .gateways_down = {}}),
                    "cash_on_delivery"),
            (Refusal{"cart_value_too_high",
                     "Metoda „Płatność przy odbiorze (pobranie)” jest dostępna dla zamówień do "
                     "5 000,00 zł, a wartość koszyka to 5 000,01 zł."}));
}

TEST(Availability, AGatewayDownTakesAwayOnlyItsMethods) {
  const auto cart = worth(50000);
  const auto result = evaluate(
      shipped(), {.cart = cart, .shipping = kCourier, .gateways_down = {Gateway::przelewy24}});
  EXPECT_EQ(ids_of(result.available),
            (std::vector<std::string>{"payu_transfer", "payu_card", "payu_instalments",
                                      "stripe_card", "cash_on_delivery"}));
  EXPECT_EQ(refusal(result, "blik"),
            (Refusal{"gateway_unavailable",
                     "Metoda „BLIK” jest chwilowo niedostępna. Wybierz inną metodę płatności lub "
                     "spróbuj ponownie za kilka minut."}));
  // Cash on delivery has no gateway to go down.
  const auto all_down =
      evaluate(shipped(), {.cart = cart,
                           .shipping = kCourier,
                           .gateways_down = {Gateway::przelewy24, Gateway::payu, Gateway::stripe}});
  EXPECT_EQ(ids_of(all_down.available), std::vector<std::string>{"cash_on_delivery"});
}

// Conditions the shipped file does not use.
constexpr std::string_view kConditions = R"(methods:
  - id: card
    name: Karta płatnicza
    kind: online
    gateway: stripe
    channel: card
    fee: { fixed: 100, share: "1%", max: 1000 }
  - id: courier_only
    name: Przelew przy dostawie kurierem
    kind: online
    gateway: payu
    allowed_shipping_methods: [courier, two_person]
  - id: after_delivery
    name: Po wyborze dostawy
    kind: online
    gateway: przelewy24
    requires_shipping_method: true
  - id: cash_on_delivery
    name: Pobranie
    kind: cash_on_delivery
    gateway: none
    excluded_categories: [laptop, phone]
)";

const PaymentRules& conditions() {
  static const auto rules = platform::rules::testing::parse_or_throw<PaymentRules>(
      kConditions, "payment_rules.yaml", parse_payment_rules);
  return rules;
}

TEST(Availability, ExcludedCategoriesNamedForTheCustomer) {
  const auto cart = cart_of({product_line("p", Goods().category("phone")),
                             product_line("t", Goods().category("tv")),
                             product_line("l", Goods().category("laptop"))});
  const auto result =
      evaluate(conditions(), {.cart = cart, .shipping = kCourier, .gateways_down = {}});
  EXPECT_EQ(refusal(result, "cash_on_delivery"),
            (Refusal{"category_excluded",
                     "Metody „Pobranie” nie można wybrać dla produktów z kategorii: laptopy, "
                     "telefony."}));
  const auto tv_only = cart_of({product_line("t", Goods().category("tv"))});
  EXPECT_NE(available(evaluate(conditions(),
                               {.cart = tv_only, .shipping = kCourier, .gateways_down = {}}),
                      "cash_on_delivery"),
            nullptr);
}

TEST(Availability, AllowedShippingMethodsAndRequiredShipping) {
  const auto cart = worth(50000);
  // Before a delivery method is chosen, only a method that requires one waits for it.
  const auto none = evaluate(conditions(), {.cart = cart, .shipping = {}, .gateways_down = {}});
  EXPECT_NE(available(none, "courier_only"), nullptr);
  EXPECT_EQ(refusal(none, "after_delivery"),
            (Refusal{"no_shipping_method",
                     "Metodę „Po wyborze dostawy” można wybrać po wybraniu metody dostawy."}));
  const auto locker =
      evaluate(conditions(), {.cart = cart, .shipping = kLocker, .gateways_down = {}});
  EXPECT_EQ(refusal(locker, "courier_only").code, "shipping_method_excluded");
  EXPECT_NE(available(locker, "after_delivery"), nullptr);
  const auto courier =
      evaluate(conditions(), {.cart = cart, .shipping = kCourier, .gateways_down = {}});
  EXPECT_NE(available(courier, "courier_only"), nullptr);
}

TEST(Availability, TheFeeIsComputedOnTheCartValue) {
  // 1 zł + 1% of 234,56 zł (2,3456 zł -> 2,35 zł) = 3,35 zł; at most 10 zł.
  const auto cart = worth(23456);
  const auto availability =
      evaluate(conditions(), {.cart = cart, .shipping = {}, .gateways_down = {}});
  const auto* card = available(availability, "card");
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->fee, pln(335));
  const auto big = worth(500000);
  EXPECT_EQ(offer_of(*conditions().method("card"), big).fee, pln(1000));
}

TEST(Availability, TheFirstReasonIsGiven) {
  // Empty before anything else; a category before the value; the value before the delivery.
  const auto phone = cart_of({product_line("p", Goods().category("phone").price(900000))});
  EXPECT_EQ(refusal_of(*conditions().method("cash_on_delivery"),
                       {.cart = phone, .shipping = {}, .gateways_down = {}})
                ->code,
            "category_excluded");
  const auto big = worth(900000);
  EXPECT_EQ(refusal_of(*shipped().method("cash_on_delivery"),
                       {.cart = big, .shipping = kLocker, .gateways_down = {}})
                ->code,
            "cart_value_too_high");
  EXPECT_EQ(refusal_of(*shipped().method("payu_instalments"),
                       {.cart = worth(100), .shipping = {}, .gateways_down = {Gateway::payu}})
                ->code,
            "cart_value_too_low");
}

}  // namespace
}  // namespace payment
