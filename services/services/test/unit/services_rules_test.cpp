#include "services_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"

using extra_services::Condition;
using extra_services::QuantityRule;
using extra_services::ServiceKind;
using extra_services::ServicesRules;
using platform::pln;

namespace {

// The smallest useful document; the error tests below change one thing in it, so the line and
// column each expects can be read off here (line 1 is `delivery_methods`).
constexpr std::string_view kMinimal = R"(delivery_methods:
  - { id: courier, name: Kurier }
  - { id: parcel_locker, name: Paczkomat }
  - { id: two_person, name: Dostawa dwuosobowa }
services:
  - code: carry_in
    sku: SRV-CARRY-IN
    name: Wniesienie
    kind: item
    price: 9900
    quantity: per_unit
    conditions:
      - flags_any: [large_appliance]
      - categories: [tv]
        min_unit_weight_g: 15000
    excluded_methods: [parcel_locker]
  - code: old_appliance_pickup
    sku: SRV-OLD-PICKUP
    name: Odbiór starego sprzętu
    kind: item
    price: 0
    quantity: per_unit
    required_methods: [two_person]
  - code: gift_wrapping
    sku: SRV-GIFT-WRAP
    name: Pakowanie na prezent
    kind: standalone
    price: 1990
    quantity: up_to
    max_quantity: 10
)";

platform::Result<ServicesRules> parse(std::string_view text) {
  return platform::rules::parse_rules<ServicesRules>(text, "services_rules.yaml",
                                                     extra_services::parse_services_rules);
}

// kMinimal with `from` (which must occur exactly once) replaced by `to`.
std::string minimal_with(std::string_view from, std::string_view to) {
  return platform::rules::testing::replace_once(kMinimal, from, to);
}

// Expects the error to be reported at `position` ("12:7") and to contain `what`.
void expect_error(std::string_view text, std::string_view position, std::string_view what) {
  platform::rules::testing::expect_rules_error(parse(text), position, what);
}

// A standalone service appended to kMinimal (from line 31 on).
std::string minimal_plus(std::string_view service) {
  return std::string(kMinimal) + std::string(service);
}

std::vector<std::string> codes_of(const ServicesRules& rules) {
  std::vector<std::string> codes;
  for (const auto& service : rules.services) codes.push_back(service.code);
  return codes;
}

}  // namespace

TEST(ServicesRules, TheShippedFileLoads) {
  auto rules = platform::rules::load_rules<ServicesRules>(
      EXTRA_SERVICES_CONFIG_DIR "/services_rules.yaml", extra_services::parse_services_rules);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(
      codes_of(*rules),
      (std::vector<std::string>{"carry_in", "assembly", "installation_washer",
                                "installation_dishwasher", "tv_wall_mount", "old_appliance_pickup",
                                "sms_notification", "gift_wrapping", "extended_support"}));
  // Every service sku of tools/catalog/sample_catalog.jsonl, each once.
  std::vector<std::string> skus;
  for (const auto& service : rules->services) skus.push_back(service.sku);
  std::sort(skus.begin(), skus.end());
  EXPECT_EQ(skus, (std::vector<std::string>{"SRV-ASSEMBLY", "SRV-CARRY-IN", "SRV-EXT-SUPPORT",
                                            "SRV-GIFT-WRAP", "SRV-INSTALL-DISHWASHER",
                                            "SRV-INSTALL-WASHER", "SRV-OLD-PICKUP", "SRV-SMS",
                                            "SRV-TV-WALL-MOUNT"}));
  ASSERT_NE(rules->delivery_method("parcel_locker"), nullptr);
  EXPECT_EQ(rules->delivery_method("parcel_locker")->name, "Paczkomat");

  const auto* carry_in = rules->by_code("carry_in");
  ASSERT_NE(carry_in, nullptr);
  EXPECT_EQ(carry_in->kind, ServiceKind::item);
  EXPECT_EQ(carry_in->price, pln(9900));
  EXPECT_EQ(carry_in->quantity, QuantityRule::per_unit);
  ASSERT_EQ(carry_in->conditions.size(), 3U);
  EXPECT_EQ(carry_in->conditions[1], (Condition{{"tv"}, {}, 15000, std::nullopt}));
  EXPECT_EQ(carry_in->conditions[2], (Condition{{"tv"}, {}, std::nullopt, 1200}));
  EXPECT_EQ(carry_in->excluded_methods,
            (std::vector<std::string>{"parcel_locker", "store_pickup"}));
  ASSERT_TRUE(carry_in->not_applicable_message);
  // A folded block scalar: one line for the customer.
  EXPECT_EQ(carry_in->not_applicable_message->find('\n'), std::string::npos);

  // Free by the WEEE act although the catalog says 19,00 zł.
  const auto* pickup = rules->by_sku("SRV-OLD-PICKUP");
  ASSERT_NE(pickup, nullptr);
  EXPECT_EQ(pickup->price, pln(0));
  EXPECT_EQ(pickup->required_methods, std::vector<std::string>{"two_person"});

  const auto* washer = rules->by_code("installation_washer");
  ASSERT_NE(washer, nullptr);
  EXPECT_EQ(washer->quantity, QuantityRule::per_unit);

  const auto* wrap = rules->by_code("gift_wrapping");
  ASSERT_NE(wrap, nullptr);
  EXPECT_EQ(wrap->kind, ServiceKind::standalone);
  EXPECT_EQ(wrap->quantity, QuantityRule::up_to);
  EXPECT_EQ(wrap->max_quantity, 10);
  const auto* support = rules->by_code("extended_support");
  ASSERT_NE(support, nullptr);
  EXPECT_EQ(support->quantity, QuantityRule::per_cart);
  EXPECT_EQ(support->max_quantity, 1);
}

TEST(ServicesRules, ReadsTheMinimalDocumentWithDefaults) {
  auto rules = parse(kMinimal);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->delivery_methods.size(), 3U);
  EXPECT_EQ(rules->delivery_methods[2].name, "Dostawa dwuosobowa");
  ASSERT_EQ(rules->services.size(), 3U);
  const auto& pickup = rules->services[1];
  EXPECT_TRUE(pickup.conditions.empty());  // every product
  EXPECT_FALSE(pickup.not_applicable_message);
  EXPECT_TRUE(pickup.excluded_methods.empty());
  EXPECT_TRUE(pickup.excludes.empty());
  EXPECT_EQ(rules->by_code("gift_wrapping"), &rules->services[2]);
  EXPECT_EQ(rules->by_sku("SRV-CARRY-IN"), &rules->services[0]);
  EXPECT_EQ(rules->by_code("SRV-CARRY-IN"), nullptr);
  EXPECT_EQ(rules->by_sku("carry_in"), nullptr);
  EXPECT_EQ(rules->delivery_method("store_pickup"), nullptr);
  EXPECT_EQ(to_string(ServiceKind::item), "service_item");
  EXPECT_EQ(to_string(ServiceKind::standalone), "service_standalone");
}

TEST(ServicesRules, UnknownKeysFailAtTheKey) {
  expect_error(minimal_with("services:\n", "colour: red\nservices:\n"), "5:1",
               "unknown key 'colour'");
  expect_error(minimal_with("    kind: standalone\n", "    kind: standalone\n    colour: red\n"),
               "28:5", "unknown key 'colour'");
  expect_error(minimal_with("min_unit_weight_g: 15000", "min_weight_g: 15000"), "15:9",
               "unknown key 'min_weight_g'");
  expect_error(minimal_with("{ id: courier, name: Kurier }", "{ id: courier, nazwa: Kurier }"),
               "2:20", "unknown key 'nazwa'");
}

TEST(ServicesRules, RequiredKeysAreNamed) {
  expect_error(minimal_with("    sku: SRV-CARRY-IN\n", ""), "6:5", "'sku' is required");
  expect_error(minimal_with("    quantity: per_unit\n    required", "    required"), "17:5",
               "'quantity' is required");
  expect_error(minimal_with("    price: 1990\n", ""), "24:5", "'price' is required");
  expect_error(std::string(kMinimal.substr(kMinimal.find("services:"))), "1:1",
               "'delivery_methods' is required");
}

TEST(ServicesRules, CodesMustBeIds) {
  expect_error(minimal_with("code: carry_in", "code: Carry_in"), "6:11", "must be an id");
  expect_error(minimal_with("code: carry_in", "code: carry-in"), "6:11", "must be an id");
  expect_error(minimal_with("code: carry_in", "code: a" + std::string(64, 'b')), "6:11",
               "must be an id");
  expect_error(minimal_with("id: courier", "id: 1courier"), "2:11", "must be an id");
  // 64 characters is the longest code.
  const std::string longest = "c" + std::string(63, '_');
  auto rules = parse(minimal_with("code: carry_in", "code: " + longest));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->services[0].code, longest);
}

TEST(ServicesRules, SkusAreTheCatalogsServiceSkus) {
  expect_error(minimal_with("sku: SRV-CARRY-IN", "sku: CARRY-IN"), "7:10",
               "must be the catalog's service sku");
  expect_error(minimal_with("sku: SRV-CARRY-IN", "sku: SRV-carry-in"), "7:10",
               "got \"SRV-carry-in\"");
  expect_error(minimal_with("sku: SRV-CARRY-IN", "sku: SRV-"), "7:10",
               "must be the catalog's service sku");
  expect_error(minimal_with("sku: SRV-CARRY-IN", "sku: SRV-" + std::string(37, 'A')), "7:10",
               "must be the catalog's service sku");
  // 40 characters in all is the longest sku.
  const std::string longest = "SRV-" + std::string(36, '9');
  auto rules = parse(minimal_with("sku: SRV-CARRY-IN", "sku: " + longest));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->services[0].sku, longest);
}

TEST(ServicesRules, DuplicatesFailAtTheDuplicate) {
  expect_error(minimal_with("code: gift_wrapping", "code: carry_in"), "24:11",
               "service code \"carry_in\" is used twice");
  expect_error(minimal_with("sku: SRV-GIFT-WRAP", "sku: SRV-OLD-PICKUP"), "25:10",
               "service sku \"SRV-OLD-PICKUP\" is used twice");
  expect_error(minimal_with("id: two_person", "id: courier"), "4:11",
               "delivery method id \"courier\" is used twice");
  expect_error(minimal_with("[parcel_locker]", "[parcel_locker, courier, parcel_locker]"), "16:48",
               "\"parcel_locker\" is listed twice");
  expect_error(minimal_with("categories: [tv]", "categories: [tv, fridge, tv]"), "14:34",
               "\"tv\" is listed twice in 'categories'");
}

TEST(ServicesRules, CategoriesAndFlagsAreTheCatalogs) {
  // No oven category in the catalog, so no oven installation either.
  expect_error(minimal_with("categories: [tv]", "categories: [oven]"), "14:22",
               R"('categories[0]' must be one of "tv", "fridge")");
  expect_error(minimal_with("flags_any: [large_appliance]", "flags_any: [large_appliance, big]"),
               "13:38", "'flags_any[1]' must be one of \"large_appliance\"");
  // "service" and "standalone" only mark service lines: no service is sold for those.
  expect_error(minimal_with("categories: [tv]", "categories: [service]"), "14:22",
               "must be one of");
  expect_error(minimal_with("flags_any: [large_appliance]", "flags_any: [standalone]"), "13:21",
               "must be one of");
}

TEST(ServicesRules, ConditionsHaveParts) {
  expect_error(minimal_with("      - flags_any: [large_appliance]\n", "      - {}\n"), "13:9",
               "a condition must give at least one of");
  expect_error(minimal_with("    required_methods: [two_person]\n",
                            "    required_methods: [two_person]\n    conditions: []\n"),
               "24:17", "'conditions' must list at least one condition");
  expect_error(minimal_with("min_unit_weight_g: 15000", "min_unit_weight_g: 0"), "15:28",
               "'min_unit_weight_g' must be an integer from 1");
  expect_error(minimal_with("min_unit_weight_g: 15000", "min_unit_weight_g: 15.5"), "15:28",
               "got \"15.5\"");
}

TEST(ServicesRules, DeliveryMethodsAreDeclaredAndNotContradictory) {
  expect_error(minimal_with("[parcel_locker]", "[paczkomat]"), "16:24",
               "\"paczkomat\" is not a delivery method of 'delivery_methods'");
  expect_error(minimal_with("[parcel_locker]", "[Parcel_locker]"), "16:24", "must be an id");
  expect_error(minimal_with("    required_methods: [two_person]\n",
                            "    required_methods: [courier, two_person]\n"
                            "    excluded_methods: [two_person]\n"),
               "23:33", "\"two_person\" is both required and excluded");
  expect_error(minimal_with("delivery_methods:\n  - { id: courier, name: Kurier }\n"
                            "  - { id: parcel_locker, name: Paczkomat }\n"
                            "  - { id: two_person, name: Dostawa dwuosobowa }\n",
                            "delivery_methods: []\n"),
               "1:19", "'delivery_methods' must list at least one delivery method");
}

TEST(ServicesRules, QuantityRulesFitTheKind) {
  expect_error(minimal_with("quantity: up_to", "quantity: per_unit"), "29:15",
               "a standalone service belongs to no product line: its 'quantity' is per_cart");
  expect_error(minimal_with("quantity: up_to", "quantity: per_line"), "29:15",
               "a standalone service belongs to no product line");
  expect_error(minimal_with("    quantity: per_unit\n    conditions",
                            "    quantity: per_cart\n"
                            "    conditions"),
               "11:15", "an item service is counted per product line");
  expect_error(minimal_with("    quantity: per_unit\n    conditions",
                            "    quantity: per_unit\n"
                            "    max_quantity: 2\n"
                            "    conditions"),
               "12:19", "'max_quantity' goes only with 'quantity: up_to' (per_unit");
  expect_error(minimal_with("    max_quantity: 10\n", ""), "24:5", "'max_quantity' is required");
  expect_error(minimal_with("max_quantity: 10", "max_quantity: 0"), "30:19",
               "'max_quantity' must be an integer from 1 to 999");
  expect_error(minimal_with("max_quantity: 10", "max_quantity: 1000"), "30:19",
               "'max_quantity' must be an integer from 1 to 999");
  expect_error(minimal_with("quantity: up_to", "quantity: many"), "29:15",
               R"('quantity' must be one of "per_unit", "per_line", "per_cart", "up_to")");
  auto rules = parse(minimal_with("    quantity: per_unit\n    required",
                                  "    quantity: up_to\n    max_quantity: 3\n    required"));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->services[1].quantity, QuantityRule::up_to);
  EXPECT_EQ(rules->services[1].max_quantity, 3);
}

TEST(ServicesRules, StandaloneServicesHaveNoLineRules) {
  expect_error(minimal_plus(R"(  - code: sms_notification
    sku: SRV-SMS
    name: Powiadomienie SMS
    kind: standalone
    price: 99
    quantity: per_cart
    conditions:
      - categories: [phone]
)"),
               "38:7",
               "a standalone service belongs to no product line, so it has no 'conditions'");
  expect_error(minimal_plus(R"(  - code: sms_notification
    sku: SRV-SMS
    name: Powiadomienie SMS
    kind: standalone
    price: 99
    quantity: per_cart
    excludes: [gift_wrapping]
)"),
               "37:15", "so it has no 'excludes'");
  expect_error(minimal_with("kind: standalone", "kind: order"), "27:11",
               R"('kind' must be one of "item", "standalone")");
}

TEST(ServicesRules, ExclusionsNameOtherItemServices) {
  // An exclusion may name a service further down the file.
  auto rules = parse(minimal_with("    excluded_methods: [parcel_locker]\n",
                                  "    excluded_methods: [parcel_locker]\n"
                                  "    excludes: [old_appliance_pickup]\n"));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->services[0].excludes, std::vector<std::string>{"old_appliance_pickup"});
  EXPECT_TRUE(exclusive(rules->services[0], rules->services[1]));
  EXPECT_TRUE(exclusive(rules->services[1], rules->services[0]));
  EXPECT_FALSE(exclusive(rules->services[0], rules->services[2]));

  const auto with_excludes = [](std::string_view list) {
    return minimal_with(
        "    excluded_methods: [parcel_locker]\n",
        "    excluded_methods: [parcel_locker]\n    excludes: " + std::string(list) + "\n");
  };
  expect_error(with_excludes("[carry_in]"), "17:16", "a service cannot exclude itself");
  expect_error(with_excludes("[assembly]"), "17:16",
               "\"assembly\" is not the code of a service of 'services'");
  expect_error(with_excludes("[gift_wrapping]"), "17:16", "\"gift_wrapping\" is a standalone");
  expect_error(with_excludes("[old_appliance_pickup, old_appliance_pickup]"), "17:38",
               "\"old_appliance_pickup\" is listed twice in 'excludes'");
  expect_error(with_excludes("[Old]"), "17:16", "must be an id");
}

TEST(ServicesRules, PricesAreGrosze) {
  expect_error(minimal_with("price: 9900", "price: 99.00"), "10:12",
               "'price' must be an amount in grosze");
  expect_error(minimal_with("price: 9900", "price: -1"), "10:12",
               "'price' must be an amount in grosze");
}

TEST(ServicesRules, NamesAreAtMost200Characters) {
  // 200 two-byte letters are 200 characters (400 bytes): fine; 201 are not.
  std::string name;
  for (int i = 0; i < 200; ++i) name += "ż";
  auto rules = parse(minimal_with("name: Wniesienie", "name: " + name));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->services[0].name, name);
  expect_error(minimal_with("name: Wniesienie", "name: " + name + "a"), "8:11",
               "'name' must be at most 200 characters long");
}

TEST(ServicesRules, AtMostFiftyServices) {
  // kMinimal's 3 and 47 more (lines 31 to 77) make 50.
  std::string text(kMinimal);
  for (int i = 4; i <= 50; ++i) {
    text += "  - { code: s" + std::to_string(i) + ", sku: SRV-S" + std::to_string(i) +
            ", name: Usługa, kind: standalone, price: 1, quantity: per_cart }\n";
  }
  auto rules = parse(text);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->services.size(), 50U);
  text +=
      "  - { code: s51, sku: SRV-S51, name: Usługa, kind: standalone, price: 1, quantity: "
      "per_cart }\n";
  expect_error(text, "78:5", "'services' may list at most 50 services");
}
