#include "availability.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contracts/test_cart.hpp"
#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"

using contracts::CartCopy;
using contracts::CartLine;
using contracts::testing::cart_of;
using contracts::testing::Goods;
using contracts::testing::product_line;
using extra_services::LineServices;
using extra_services::Reason;
using extra_services::ServiceKind;
using extra_services::ServiceLineVerdict;
using extra_services::ServiceOffer;
using extra_services::ServicesAvailability;
using extra_services::ServicesRules;
using platform::pln;

namespace extra_services {
void PrintTo(const Reason& reason, std::ostream* out) {  // NOLINT(readability-identifier-naming)
  *out << reason.code << ": " << reason.message;
}
}  // namespace extra_services

namespace {

// Rules for these tests, written out so that each limit a test relies on is visible here (the
// shipped file is the shop's to change; services_rules_test.cpp checks that it loads, and the
// last tests here run it over products of the sample catalog). tv_stand_setup is a service of
// these tests only: an item service with `up_to` that tv_wall_mount excludes.
constexpr std::string_view kRules = R"(delivery_methods:
  - { id: courier, name: Kurier }
  - { id: parcel_locker, name: Paczkomat }
  - { id: two_person, name: Dostawa dwuosobowa }
  - { id: store_pickup, name: Odbiór w sklepie }
services:
  - code: carry_in
    sku: SRV-CARRY-IN
    name: Wniesienie sprzętu do mieszkania
    kind: item
    price: 9900
    quantity: per_unit
    conditions:
      - flags_any: [large_appliance]
      - categories: [tv]
        min_unit_weight_g: 15000
      - categories: [tv]
        min_longest_side_mm: 1200
    not_applicable_message: Wniesienie jest dostępne dla dużego AGD i dużych telewizorów.
    excluded_methods: [parcel_locker, store_pickup]
  - code: assembly
    sku: SRV-ASSEMBLY
    name: Montaż mebli
    kind: item
    price: 14900
    quantity: per_unit
    conditions:
      - categories: [furniture]
        flags_any: [needs_assembly]
  - code: installation_washer
    sku: SRV-INSTALL-WASHER
    name: Instalacja pralki
    kind: item
    price: 12900
    quantity: per_unit
    conditions:
      - categories: [washing_machine]
        flags_any: [needs_installation]
  - code: tv_wall_mount
    sku: SRV-TV-WALL-MOUNT
    name: Montaż TV na ścianie
    kind: item
    price: 19900
    quantity: per_line
    conditions:
      - categories: [tv]
    excludes: [tv_stand_setup]
  - code: tv_stand_setup
    sku: SRV-TV-STAND
    name: Ustawienie TV na szafce
    kind: item
    price: 4900
    quantity: up_to
    max_quantity: 2
    conditions:
      - categories: [tv]
  - code: old_appliance_pickup
    sku: SRV-OLD-PICKUP
    name: Odbiór starego sprzętu
    kind: item
    price: 0
    quantity: per_unit
    conditions:
      - flags_any: [large_appliance]
    required_methods: [two_person]
  - code: sms_notification
    sku: SRV-SMS
    name: Powiadomienie SMS
    kind: standalone
    price: 99
    quantity: per_cart
  - code: gift_wrapping
    sku: SRV-GIFT-WRAP
    name: Pakowanie na prezent
    kind: standalone
    price: 1990
    quantity: up_to
    max_quantity: 3
    excluded_methods: [parcel_locker]
  - code: extended_support
    sku: SRV-EXT-SUPPORT
    name: Rozszerzone wsparcie techniczne
    kind: standalone
    price: 14900
    quantity: per_cart
    required_methods: [courier, two_person]
)";

const ServicesRules& rules() {
  static const auto parsed = platform::rules::testing::parse_or_throw<ServicesRules>(
      kRules, "test_rules.yaml", extra_services::parse_services_rules);
  return parsed;
}

// A service line as the Cart holds it: the catalog's price (not the rules'), no weight or size.
CartLine service(std::string item_id, std::string sku, std::optional<std::string> parent,
                 std::int64_t quantity = 1, std::int64_t unit_price = 1900) {
  CartLine line;
  line.item_id = std::move(item_id);
  line.type = "service";
  line.sku = std::move(sku);
  line.name = "Usługa " + line.sku;
  line.category = "service";
  line.unit_price = pln(unit_price);
  line.quantity = quantity;
  line.parent_item_id = std::move(parent);
  if (!line.parent_item_id) line.flags = {"standalone"};
  return line;
}

Goods fridge(std::int64_t quantity = 1) {
  return Goods()
      .category("fridge")
      .weight(62400)
      .size(600, 1850, 650)
      .flags({"large_appliance"})
      .quantity(quantity);
}

Goods washer(std::int64_t quantity = 1) {
  return Goods()
      .category("washing_machine")
      .weight(70000)
      .size(597, 850, 610)
      .flags({"large_appliance", "needs_installation"})
      .quantity(quantity);
}

// A TV the large_appliance flag does not cover: only its weight or size can make it fit.
Goods tv(std::int64_t grams, std::int64_t width) {
  return Goods().category("tv").weight(grams).size(width, 700, 200).flags({"fragile"});
}

Goods phone() {
  return Goods().category("phone").weight(200).size(75, 160, 9);
}

Goods wardrobe() {
  return Goods()
      .category("furniture")
      .weight(90000)
      .size(1500, 2000, 600)
      .flags({"needs_assembly"});
}

ServicesAvailability evaluate(const CartCopy& cart,
                              const std::optional<std::string>& method = std::nullopt) {
  return extra_services::evaluate_services(rules(), cart, method);
}

// The offer of service `code` for product line `item_id`.
ServiceOffer offer(const ServicesAvailability& result, std::string_view item_id,
                   std::string_view code) {
  const auto* line = result.for_item(item_id);
  EXPECT_NE(line, nullptr) << item_id;
  if (line == nullptr) return {};
  for (const auto& option : line->services) {
    if (option.code == code) return option;
  }
  ADD_FAILURE() << code << " is not offered for " << item_id;
  return {};
}

ServiceOffer standalone(const ServicesAvailability& result, std::string_view code) {
  for (const auto& option : result.standalone) {
    if (option.code == code) return option;
  }
  ADD_FAILURE() << code << " is not a standalone offer";
  return {};
}

ServiceLineVerdict verdict(const ServicesAvailability& result, std::string_view item_id) {
  const auto* found = result.verdict(item_id);
  EXPECT_NE(found, nullptr) << item_id;
  return found != nullptr ? *found : ServiceLineVerdict{};
}

std::string reason_code(const ServiceOffer& option) {
  return option.reason ? option.reason->code : "";
}

std::string reason_code(const ServiceLineVerdict& verdict) {
  return verdict.reason ? verdict.reason->code : "";
}

std::vector<std::string> codes(const std::vector<ServiceOffer>& offers) {
  std::vector<std::string> out;
  out.reserve(offers.size());
  for (const auto& option : offers) out.push_back(option.code);
  return out;
}

std::vector<std::string> available(const std::vector<ServiceOffer>& offers) {
  std::vector<std::string> out;
  for (const auto& option : offers) {
    if (option.available) out.push_back(option.code);
  }
  return out;
}

}  // namespace

TEST(ServiceOffers, CarryInForLargeAppliances) {
  const auto result = evaluate(cart_of({product_line("f", fridge(2))}));
  const auto carry_in = offer(result, "f", "carry_in");
  EXPECT_TRUE(carry_in.available);
  EXPECT_FALSE(carry_in.reason);
  EXPECT_EQ(carry_in.sku, "SRV-CARRY-IN");
  EXPECT_EQ(carry_in.name, "Wniesienie sprzętu do mieszkania");
  EXPECT_EQ(carry_in.kind, ServiceKind::item);
  EXPECT_EQ(carry_in.price, pln(9900));
  EXPECT_EQ(carry_in.max_quantity, 2);  // one per fridge
}

TEST(ServiceOffers, CarryInForTvsFromTheWeightLimitOn) {
  // 15 kg exactly fits; a gram less does not (and the TV is small: 1199 mm at most).
  const auto result =
      evaluate(cart_of({product_line("at", tv(15000, 1199)), product_line("below", tv(14999, 1199)),
                        product_line("phone", phone().weight(50000))}));
  EXPECT_TRUE(offer(result, "at", "carry_in").available);
  const auto below = offer(result, "below", "carry_in");
  EXPECT_FALSE(below.available);
  EXPECT_EQ(below.max_quantity, 0);
  EXPECT_EQ(
      below.reason,
      (Reason{"not_applicable", "Wniesienie jest dostępne dla dużego AGD i dużych telewizorów."}));
  // The weight limit is for TVs only: a heavy phone is still no TV.
  EXPECT_EQ(reason_code(offer(result, "phone", "carry_in")), "not_applicable");
}

TEST(ServiceOffers, CarryInForTvsFromTheSizeLimitOn) {
  // The longest side counts, whichever it is.
  const auto result = evaluate(cart_of({product_line("wide", tv(5000, 1200)),
                                        product_line("tall", tv(5000, 700).size(700, 1200, 100)),
                                        product_line("narrow", tv(5000, 1199))}));
  EXPECT_TRUE(offer(result, "wide", "carry_in").available);
  EXPECT_TRUE(offer(result, "tall", "carry_in").available);
  EXPECT_EQ(reason_code(offer(result, "narrow", "carry_in")), "not_applicable");
}

TEST(ServiceOffers, EveryPartOfAConditionHolds) {
  const auto result = evaluate(cart_of({
      product_line("wardrobe", wardrobe()),
      product_line("table", Goods().category("furniture").weight(20000)),  // sold assembled
      product_line("kit", Goods().category("accessory").flags({"needs_assembly"})),
  }));
  EXPECT_TRUE(offer(result, "wardrobe", "assembly").available);
  EXPECT_EQ(reason_code(offer(result, "table", "assembly")), "not_applicable");
  EXPECT_EQ(reason_code(offer(result, "kit", "assembly")), "not_applicable");
  // Without a message of its own the reason names the product.
  EXPECT_EQ(offer(result, "table", "assembly").reason->message,
            "Usługa „Montaż mebli” nie jest dostępna dla produktu „Produkt table”.");
}

TEST(ServiceOffers, EachProductLineGetsEveryItemServiceInTheRulesOrder) {
  const auto result = evaluate(cart_of({product_line("w", washer()), product_line("p", phone()),
                                        service("s1", "SRV-SMS", std::nullopt)}));
  // Product lines in the cart's order; service lines have no services of their own.
  ASSERT_EQ(result.items.size(), 2U);
  EXPECT_EQ(result.items[0].item_id, "w");
  EXPECT_EQ(result.items[0].sku, "SKU-w");
  EXPECT_EQ(result.items[1].item_id, "p");
  EXPECT_EQ(result.for_item("s1"), nullptr);
  const std::vector<std::string> item_services = {
      "carry_in",      "assembly",       "installation_washer",
      "tv_wall_mount", "tv_stand_setup", "old_appliance_pickup"};
  EXPECT_EQ(codes(result.items[0].services), item_services);
  EXPECT_EQ(codes(result.items[1].services), item_services);
  EXPECT_EQ(available(result.items[0].services),
            (std::vector<std::string>{"carry_in", "installation_washer", "old_appliance_pickup"}));
  EXPECT_TRUE(available(result.items[1].services).empty());
  EXPECT_EQ(codes(result.standalone),
            (std::vector<std::string>{"sms_notification", "gift_wrapping", "extended_support"}));
}

TEST(ServiceOffers, QuantityRules) {
  const auto result =
      evaluate(cart_of({product_line("w", washer(3)), product_line("tv", tv(20000, 1400))}));
  // per_unit: one installation per washing machine of the line.
  EXPECT_EQ(offer(result, "w", "installation_washer").max_quantity, 3);
  EXPECT_EQ(offer(result, "w", "carry_in").max_quantity, 3);
  // per_line: one whatever the quantity; up_to: the rule's maximum.
  EXPECT_EQ(offer(result, "tv", "tv_wall_mount").max_quantity, 1);
  EXPECT_EQ(offer(result, "tv", "tv_stand_setup").max_quantity, 2);
  EXPECT_EQ(extra_services::quantity_limit(*rules().by_code("installation_washer"), nullptr), 0);
  // Standalone: per_cart is one, up_to its maximum.
  EXPECT_EQ(standalone(result, "sms_notification").max_quantity, 1);
  EXPECT_EQ(standalone(result, "gift_wrapping").max_quantity, 3);
}

TEST(ServiceOffers, MethodExclusionCountsOnceAMethodIsChosen) {
  const auto cart = cart_of({product_line("f", fridge())});
  EXPECT_TRUE(offer(evaluate(cart), "f", "carry_in").available);  // nothing chosen yet
  EXPECT_TRUE(offer(evaluate(cart, "two_person"), "f", "carry_in").available);
  EXPECT_TRUE(offer(evaluate(cart, "courier"), "f", "carry_in").available);
  const auto locker = offer(evaluate(cart, "parcel_locker"), "f", "carry_in");
  EXPECT_FALSE(locker.available);
  EXPECT_EQ(locker.max_quantity, 0);
  EXPECT_EQ(locker.reason, (Reason{"method_excluded",
                                   "Usługa „Wniesienie sprzętu do mieszkania” nie jest dostępna "
                                   "przy dostawie „Paczkomat”."}));
  EXPECT_EQ(reason_code(offer(evaluate(cart, "store_pickup"), "f", "carry_in")), "method_excluded");
  // A method the rules do not declare excludes nothing.
  EXPECT_TRUE(offer(evaluate(cart, "pallet"), "f", "carry_in").available);
  // The conditions come first: a phone is no carry-in product with any method.
  EXPECT_EQ(reason_code(offer(evaluate(cart_of({product_line("p", phone())}), "parcel_locker"), "p",
                              "carry_in")),
            "not_applicable");
}

TEST(ServiceOffers, MethodRequirementCountsOnceAMethodIsChosen) {
  const auto cart = cart_of({product_line("f", fridge(2))});
  const auto open = offer(evaluate(cart), "f", "old_appliance_pickup");
  EXPECT_TRUE(open.available);  // nothing chosen yet
  EXPECT_EQ(open.price, pln(0));
  EXPECT_EQ(open.max_quantity, 2);
  EXPECT_TRUE(offer(evaluate(cart, "two_person"), "f", "old_appliance_pickup").available);
  const auto courier = offer(evaluate(cart, "courier"), "f", "old_appliance_pickup");
  EXPECT_FALSE(courier.available);
  EXPECT_EQ(courier.reason,
            (Reason{"method_required",
                    "Usługa „Odbiór starego sprzętu” wymaga dostawy „Dostawa dwuosobowa”."}));
  EXPECT_EQ(reason_code(offer(evaluate(cart, "pallet"), "f", "old_appliance_pickup")),
            "method_required");
  // Two methods to choose from are both named.
  EXPECT_EQ(standalone(evaluate(cart, "store_pickup"), "extended_support").reason,
            (Reason{"method_required",
                    "Usługa „Rozszerzone wsparcie techniczne” wymaga dostawy "
                    "„Kurier” lub „Dostawa dwuosobowa”."}));
}

TEST(ServiceOffers, StandaloneServicesNeedAProduct) {
  for (const auto& cart : {cart_of({}), cart_of({service("s1", "SRV-SMS", std::nullopt)})}) {
    const auto result = evaluate(cart);
    EXPECT_TRUE(result.items.empty());
    ASSERT_EQ(result.standalone.size(), 3U);
    for (const auto& option : result.standalone) {
      EXPECT_FALSE(option.available) << option.code;
      EXPECT_EQ(reason_code(option), "no_products") << option.code;
      EXPECT_EQ(option.max_quantity, 0);
    }
    EXPECT_EQ(result.standalone[0].reason->message,
              "Usługę „Powiadomienie SMS” można zamówić tylko razem z produktami.");
  }
  const auto result = evaluate(cart_of({product_line("p", phone())}), "parcel_locker");
  EXPECT_EQ(available(result.standalone), std::vector<std::string>{"sms_notification"});
  EXPECT_EQ(reason_code(standalone(result, "gift_wrapping")), "method_excluded");
  EXPECT_EQ(standalone(result, "gift_wrapping").kind, ServiceKind::standalone);
  EXPECT_EQ(standalone(result, "gift_wrapping").price, pln(1990));
  EXPECT_EQ(reason_code(standalone(result, "extended_support")), "method_required");
}

TEST(ServiceOffers, AServiceOnTheLineExcludesAnother) {
  const auto cart = cart_of({product_line("a", tv(20000, 1400)), product_line("b", tv(20000, 1400)),
                             service("m", "SRV-TV-WALL-MOUNT", "a")});
  const auto result = evaluate(cart);
  // Both ways: the wall mount on TV a rules out the stand setup there, not on TV b.
  EXPECT_TRUE(offer(result, "a", "tv_wall_mount").available);
  const auto stand = offer(result, "a", "tv_stand_setup");
  EXPECT_FALSE(stand.available);
  EXPECT_EQ(stand.reason, (Reason{"excluded_by_service",
                                  "Usługi „Ustawienie TV na szafce” nie można zamówić razem z "
                                  "usługą „Montaż TV na ścianie” dla tego samego produktu."}));
  EXPECT_TRUE(offer(result, "b", "tv_stand_setup").available);
  EXPECT_TRUE(offer(result, "a", "carry_in").available);
}

TEST(ServiceVerdicts, AnAllowedLineTakesTheRulesPrice) {
  // The catalog says 19,00 zł for the pickup; the rules make it free.
  const auto result =
      evaluate(cart_of({product_line("f", fridge()), service("s", "SRV-OLD-PICKUP", "f", 1, 1900),
                        service("c", "SRV-CARRY-IN", "f", 1, 12345), product_line("p", phone()),
                        service("sms", "SRV-SMS", std::nullopt, 1, 1)}));
  ASSERT_EQ(result.verdicts.size(), 3U);
  EXPECT_EQ(result.verdicts[0], (ServiceLineVerdict{.item_id = "s",
                                                    .sku = "SRV-OLD-PICKUP",
                                                    .code = "old_appliance_pickup",
                                                    .allowed = true,
                                                    .unit_price = pln(0),
                                                    .quantity = 1,
                                                    .reason = std::nullopt}));
  EXPECT_EQ(result.verdicts[1].item_id, "c");
  EXPECT_TRUE(result.verdicts[1].allowed);
  EXPECT_EQ(result.verdicts[1].unit_price, pln(9900));
  EXPECT_EQ(result.verdicts[2].item_id, "sms");
  EXPECT_TRUE(result.verdicts[2].allowed);
  EXPECT_EQ(result.verdicts[2].unit_price, pln(99));
  EXPECT_FALSE(result.verdicts[2].reason);
  EXPECT_EQ(result.verdict("f"), nullptr);
}

TEST(ServiceVerdicts, AStandaloneServiceGivenAParentIsRemoved) {
  const auto result =
      evaluate(cart_of({product_line("p", phone()), service("w", "SRV-GIFT-WRAP", "p")}));
  const auto wrap = verdict(result, "w");
  EXPECT_FALSE(wrap.allowed);
  EXPECT_EQ(wrap.quantity, 0);
  EXPECT_EQ(wrap.code, "gift_wrapping");
  EXPECT_EQ(wrap.unit_price, pln(1990));
  EXPECT_EQ(wrap.reason,
            (Reason{"standalone_with_parent",
                    "Usługa „Pakowanie na prezent” dotyczy całego zamówienia, a nie jednego "
                    "produktu."}));
}

TEST(ServiceVerdicts, AnItemServiceUnderAPhoneIsRemoved) {
  const auto result =
      evaluate(cart_of({product_line("p", phone()), service("c", "SRV-CARRY-IN", "p"),
                        service("i", "SRV-INSTALL-WASHER", "p")}));
  const auto carry_in = verdict(result, "c");
  EXPECT_FALSE(carry_in.allowed);
  EXPECT_EQ(
      carry_in.reason,
      (Reason{"not_applicable", "Wniesienie jest dostępne dla dużego AGD i dużych telewizorów."}));
  EXPECT_EQ(verdict(result, "i").reason,
            (Reason{"not_applicable",
                    "Usługa „Instalacja pralki” nie jest dostępna dla produktu „Produkt p”."}));
}

TEST(ServiceVerdicts, AnItemServiceNeedsAProductLineAsItsParent) {
  const auto result = evaluate(
      cart_of({product_line("f", fridge()), service("none", "SRV-CARRY-IN", std::nullopt),
               service("gone", "SRV-CARRY-IN", "removed"), service("sms", "SRV-SMS", std::nullopt),
               service("on_sms", "SRV-CARRY-IN", "sms")}));
  EXPECT_EQ(verdict(result, "none").reason,
            (Reason{"parent_required",
                    "Usługę „Wniesienie sprzętu do mieszkania” trzeba przypisać do produktu w "
                    "koszyku."}));
  EXPECT_EQ(verdict(result, "gone").reason,
            (Reason{"parent_not_found",
                    "Produktu, do którego dodano usługę „Wniesienie sprzętu do mieszkania”, nie "
                    "ma już w koszyku."}));
  EXPECT_EQ(reason_code(verdict(result, "on_sms")), "parent_is_service");
  for (const auto* id : {"none", "gone", "on_sms"}) {
    EXPECT_FALSE(verdict(result, id).allowed) << id;
    EXPECT_EQ(verdict(result, id).quantity, 0) << id;
  }
  EXPECT_TRUE(verdict(result, "sms").allowed);
}

TEST(ServiceVerdicts, AnUnknownSkuIsRemoved) {
  const auto result =
      evaluate(cart_of({product_line("p", phone()), service("x", "SRV-OVEN-INSTALL", "p")}));
  const auto unknown = verdict(result, "x");
  EXPECT_FALSE(unknown.allowed);
  EXPECT_FALSE(unknown.code);
  EXPECT_EQ(unknown.unit_price, pln(0));
  EXPECT_EQ(unknown.reason, (Reason{"unknown_service",
                                    "Usługa „Usługa SRV-OVEN-INSTALL” nie jest już w naszej "
                                    "ofercie."}));
}

TEST(ServiceVerdicts, AQuantityAboveTheMaximumIsReduced) {
  const auto result =
      evaluate(cart_of({product_line("w", washer(2)), service("i", "SRV-INSTALL-WASHER", "w", 3),
                        service("sms", "SRV-SMS", std::nullopt, 2)}));
  const auto install = verdict(result, "i");
  EXPECT_TRUE(install.allowed);
  EXPECT_EQ(install.quantity, 2);
  EXPECT_EQ(install.unit_price, pln(12900));
  EXPECT_EQ(install.reason,
            (Reason{"quantity_reduced",
                    "Usługę „Instalacja pralki” można zamówić raz na każdą sztukę produktu "
                    "(najwyżej 2 razy). Liczbę zmniejszono do 2."}));
  const auto sms = verdict(result, "sms");
  EXPECT_TRUE(sms.allowed);
  EXPECT_EQ(sms.quantity, 1);
  EXPECT_EQ(sms.reason,
            (Reason{"quantity_reduced",
                    "Usługę „Powiadomienie SMS” można zamówić najwyżej raz w zamówieniu. Liczbę "
                    "zmniejszono do 1."}));
  // At the maximum: nothing to say.
  const auto exact =
      evaluate(cart_of({product_line("w", washer(2)), service("i", "SRV-INSTALL-WASHER", "w", 2)}));
  EXPECT_EQ(verdict(exact, "i").quantity, 2);
  EXPECT_FALSE(verdict(exact, "i").reason);
}

TEST(ServiceVerdicts, EarlierLinesTakeTheUnitsFirst) {
  // Two lines of one service (the Cart merges them, but a copy may still hold both): the
  // maximum is shared in the cart's order.
  const auto result = evaluate(cart_of(
      {product_line("p", phone()), service("w1", "SRV-GIFT-WRAP", std::nullopt, 2),
       service("w2", "SRV-GIFT-WRAP", std::nullopt, 2),
       service("w3", "SRV-GIFT-WRAP", std::nullopt, 1), product_line("tv", tv(20000, 1400)),
       service("m1", "SRV-TV-WALL-MOUNT", "tv"), service("m2", "SRV-TV-WALL-MOUNT", "tv")}));
  EXPECT_EQ(verdict(result, "w1").quantity, 2);
  EXPECT_FALSE(verdict(result, "w1").reason);
  EXPECT_EQ(verdict(result, "w2").quantity, 1);
  EXPECT_EQ(reason_code(verdict(result, "w2")), "quantity_reduced");
  EXPECT_FALSE(verdict(result, "w3").allowed);
  EXPECT_EQ(verdict(result, "w3").reason,
            (Reason{"limit_reached",
                    "Usługę „Pakowanie na prezent” można zamówić najwyżej 3 razy w zamówieniu."}));
  EXPECT_TRUE(verdict(result, "m1").allowed);
  EXPECT_EQ(verdict(result, "m2").reason,
            (Reason{"limit_reached",
                    "Usługę „Montaż TV na ścianie” można zamówić najwyżej raz dla produktu."}));
  // The maximum is per product line for item services.
  const auto two_lines = evaluate(cart_of({product_line("a", washer()), product_line("b", washer()),
                                           service("ia", "SRV-INSTALL-WASHER", "a"),
                                           service("ib", "SRV-INSTALL-WASHER", "b")}));
  EXPECT_TRUE(verdict(two_lines, "ia").allowed);
  EXPECT_TRUE(verdict(two_lines, "ib").allowed);
}

TEST(ServiceVerdicts, TheDeliveryMethodDecidesOnceChosen) {
  const auto cart =
      cart_of({product_line("f", fridge()), service("c", "SRV-CARRY-IN", "f"),
               service("o", "SRV-OLD-PICKUP", "f"), service("x", "SRV-EXT-SUPPORT", std::nullopt)});
  const auto open = evaluate(cart);
  for (const auto* id : {"c", "o", "x"}) EXPECT_TRUE(verdict(open, id).allowed) << id;

  const auto two_person = evaluate(cart, "two_person");
  for (const auto* id : {"c", "o", "x"}) EXPECT_TRUE(verdict(two_person, id).allowed) << id;

  const auto locker = evaluate(cart, "parcel_locker");
  EXPECT_EQ(reason_code(verdict(locker, "c")), "method_excluded");
  EXPECT_EQ(reason_code(verdict(locker, "o")), "method_required");
  EXPECT_EQ(reason_code(verdict(locker, "x")), "method_required");
  EXPECT_EQ(verdict(locker, "c").unit_price, pln(9900));

  const auto courier = evaluate(cart, "courier");
  EXPECT_TRUE(verdict(courier, "c").allowed);
  EXPECT_EQ(reason_code(verdict(courier, "o")), "method_required");
  EXPECT_TRUE(verdict(courier, "x").allowed);
}

TEST(ServiceVerdicts, TheFirstOfTwoExclusiveServicesStays) {
  const auto result =
      evaluate(cart_of({product_line("tv", tv(20000, 1400)), service("s", "SRV-TV-STAND", "tv"),
                        service("m", "SRV-TV-WALL-MOUNT", "tv")}));
  EXPECT_TRUE(verdict(result, "s").allowed);
  EXPECT_EQ(verdict(result, "m").reason,
            (Reason{"excluded_by_service",
                    "Usługi „Montaż TV na ścianie” nie można zamówić razem z usługą „Ustawienie "
                    "TV na szafce” dla tego samego produktu."}));
  // The offers follow what stays: the stand setup may grow, the wall mount is ruled out.
  EXPECT_TRUE(offer(result, "tv", "tv_stand_setup").available);
  EXPECT_EQ(reason_code(offer(result, "tv", "tv_wall_mount")), "excluded_by_service");

  // A line that is not allowed itself excludes nothing.
  const auto orphan = evaluate(
      cart_of({product_line("tv", tv(20000, 1400)), service("s", "SRV-TV-STAND", std::nullopt),
               service("m", "SRV-TV-WALL-MOUNT", "tv")}));
  EXPECT_EQ(reason_code(verdict(orphan, "s")), "parent_required");
  EXPECT_TRUE(verdict(orphan, "m").allowed);
}

TEST(ServicesAvailability, IsDeterministic) {
  const auto cart = cart_of({product_line("f", fridge(2)), product_line("tv", tv(20000, 1400)),
                             service("c", "SRV-CARRY-IN", "f", 3),
                             service("g", "SRV-GIFT-WRAP", std::nullopt, 2)});
  const auto first = evaluate(cart, "two_person");
  EXPECT_EQ(first, evaluate(cart, "two_person"));
  // The cart's version and hash are not part of the availability.
  auto later = cart;
  later.version = 42;
  later.cart_hash = "other";
  EXPECT_EQ(first, evaluate(later, "two_person"));
  // A change that matters changes it.
  EXPECT_NE(first, evaluate(cart, "parcel_locker"));
  EXPECT_NE(first, evaluate(cart, "courier"));
  // Nothing chosen yet rules nothing out: here the same as two-person delivery.
  EXPECT_EQ(first, evaluate(cart));
  auto more = cart;
  more.lines[0].quantity = 3;
  EXPECT_NE(first, evaluate(more, "two_person"));
  // The cart's order is the result's order.
  auto reordered = cart;
  std::swap(reordered.lines[0], reordered.lines[1]);
  const auto other = evaluate(reordered, "two_person");
  ASSERT_EQ(other.items.size(), 2U);
  EXPECT_EQ(other.items[0], first.items[1]);
  EXPECT_EQ(other.items[1], first.items[0]);
  EXPECT_EQ(other.verdicts, first.verdicts);
  EXPECT_EQ(other.standalone, first.standalone);
}

// The shipped rules over products of tools/catalog/sample_catalog.jsonl (their data copied here).
TEST(ShippedRules, OfferWhatTheCatalogsProductsNeed) {
  const auto shipped = platform::rules::load_rules<ServicesRules>(
      EXTRA_SERVICES_CONFIG_DIR "/services_rules.yaml", extra_services::parse_services_rules);
  ASSERT_TRUE(shipped) << shipped.error().message;
  const auto cart = cart_of({
      // TV-SAM-55Q80C: 17,8 kg, 1227 mm, large_appliance.
      product_line("qled", Goods()
                               .category("tv")
                               .weight(17800)
                               .size(1227, 777, 260)
                               .flags({"large_appliance", "fragile"})),
      // TV-SAM-50CU7172: 10,3 kg, 1127 mm, no large_appliance flag.
      product_line("uhd",
                   Goods().category("tv").weight(10273).size(1127, 723, 250).flags({"fragile"})),
      // WM-BOS-WAN2810KPL
      product_line("washer", Goods()
                                 .category("washing_machine")
                                 .weight(70297)
                                 .size(597, 850, 610)
                                 .flags({"large_appliance", "needs_installation"})
                                 .quantity(2)),
      // A wardrobe and a phone.
      product_line("wardrobe", wardrobe()),
      product_line("phone", phone()),
      service("pickup", "SRV-OLD-PICKUP", "washer", 1, 1900),
  });
  const auto result = extra_services::evaluate_services(*shipped, cart, "two_person");
  EXPECT_EQ(available(result.for_item("qled")->services),
            (std::vector<std::string>{"carry_in", "tv_wall_mount", "old_appliance_pickup"}));
  EXPECT_EQ(available(result.for_item("uhd")->services), std::vector<std::string>{"tv_wall_mount"});
  EXPECT_EQ(available(result.for_item("washer")->services),
            (std::vector<std::string>{"carry_in", "installation_washer", "old_appliance_pickup"}));
  EXPECT_EQ(offer(result, "washer", "installation_washer").max_quantity, 2);
  EXPECT_EQ(available(result.for_item("wardrobe")->services), std::vector<std::string>{"assembly"});
  EXPECT_TRUE(available(result.for_item("phone")->services).empty());
  EXPECT_EQ(available(result.standalone),
            (std::vector<std::string>{"sms_notification", "gift_wrapping", "extended_support"}));
  EXPECT_EQ(verdict(result, "pickup").unit_price, pln(0));
  EXPECT_TRUE(verdict(result, "pickup").allowed);

  const auto locker = extra_services::evaluate_services(*shipped, cart, "parcel_locker");
  EXPECT_EQ(reason_code(offer(locker, "washer", "carry_in")), "method_excluded");
  EXPECT_EQ(reason_code(verdict(locker, "pickup")), "method_required");
}
