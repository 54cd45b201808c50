#include "delivery_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"

using platform::pln;
using shipping::AddonPricing;
using shipping::DeliveryRules;
using shipping::Destination;
using namespace std::chrono_literals;

namespace {

// The smallest useful document; the error tests below change one thing in it, so the line and
// column each expects can be read off here (line 1 is `cutoff`).
constexpr std::string_view kMinimal = R"(cutoff: "14:00"
methods:
  - id: courier
    name: Kurier
    destination: address
    calendar_service: standard
    price_bands:
      - { up_to_g: 5000, price: 1499 }
      - { up_to_g: 31500, price: 2499 }
    estimate: { min_working_days: 1, max_working_days: 2 }
  - id: store_pickup
    name: Odbiór w sklepie
    destination: store
    price_bands:
      - { price: 0 }
    estimate: { min_working_days: 1, max_working_days: 3 }
addons:
  - id: sunday_delivery
    name: Dostawa w niedzielę
    price: 2999
    methods: [courier]
    days: [sunday]
)";

platform::Result<DeliveryRules> parse(std::string_view text) {
  return platform::rules::parse_rules<DeliveryRules>(text, "delivery_rules.yaml",
                                                     shipping::parse_delivery_rules);
}

std::string error_of(std::string_view text) {
  return platform::rules::testing::error_of(parse(text));
}

// kMinimal with `from` (which must occur exactly once) replaced by `to`.
std::string minimal_with(std::string_view from, std::string_view to) {
  return platform::rules::testing::replace_once(kMinimal, from, to);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Expects the error to be reported at `position` ("12:7") and to contain `what`.
void expect_error(std::string_view text, std::string_view position, std::string_view what) {
  platform::rules::testing::expect_rules_error(parse(text), position, what);
}

}  // namespace

TEST(DeliveryRules, TheShippedFileLoads) {
  auto rules = platform::rules::load_rules<DeliveryRules>(
      SHIPPING_CONFIG_DIR "/delivery_rules.yaml", shipping::parse_delivery_rules);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->cutoff, 14h);
  std::vector<std::string> ids;
  for (const auto& method : rules->methods) ids.push_back(method.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"courier", "parcel_locker", "two_person", "store_pickup"}));

  const auto* courier = rules->method("courier");
  ASSERT_NE(courier, nullptr);
  EXPECT_EQ(courier->calendar_service, "standard");
  EXPECT_EQ(courier->max_item_weight_g, 31500);
  EXPECT_EQ(courier->max_dimension_mm, 1200);
  EXPECT_EQ(courier->free_from, pln(29900));
  EXPECT_TRUE(courier->cash_on_delivery);

  const auto* locker = rules->method("parcel_locker");
  ASSERT_NE(locker, nullptr);
  EXPECT_EQ(locker->destination, Destination::parcel_locker);
  EXPECT_EQ(locker->calendar_service, "locker");
  EXPECT_EQ(locker->max_dimension_mm, 640);
  EXPECT_FALSE(locker->cash_on_delivery);

  const auto* pickup = rules->method("store_pickup");
  ASSERT_NE(pickup, nullptr);
  EXPECT_EQ(pickup->destination, Destination::store);
  EXPECT_FALSE(pickup->calendar_service);
  ASSERT_EQ(pickup->price_bands.size(), 1U);
  EXPECT_EQ(pickup->price_bands[0].up_to_g, shipping::kAnyWeight);
  EXPECT_EQ(pickup->price_bands[0].price, pln(0));

  const auto* evening = rules->addon("evening_delivery");
  ASSERT_NE(evening, nullptr);
  ASSERT_TRUE(evening->window);
  EXPECT_EQ(evening->window->from, 18h);
  EXPECT_EQ(evening->window->to, 22h);
  EXPECT_EQ(evening->days.size(), 5U);
  // Carrying in and taking away the old appliance are the Services service's (counted once).
  EXPECT_EQ(rules->addon("carry_in"), nullptr);
  EXPECT_EQ(rules->addon("old_appliance_pickup"), nullptr);
}

TEST(DeliveryRules, ReadsTheMinimalDocumentWithDefaults) {
  auto rules = parse(kMinimal);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->methods.size(), 2U);
  const auto& courier = rules->methods[0];
  EXPECT_EQ(courier.name, "Kurier");
  EXPECT_FALSE(courier.max_total_weight_g);
  EXPECT_FALSE(courier.free_from);
  EXPECT_FALSE(courier.cash_on_delivery);
  EXPECT_TRUE(courier.excluded_categories.empty());
  ASSERT_EQ(courier.price_bands.size(), 2U);
  EXPECT_EQ(courier.price_bands[1].up_to_g, 31500);
  EXPECT_EQ(courier.price_bands[1].price, pln(2499));
  EXPECT_EQ(courier.estimate.max_working_days, 2);
  ASSERT_EQ(rules->addons.size(), 1U);
  EXPECT_EQ(rules->addons[0].pricing, AddonPricing::per_delivery);
  EXPECT_EQ(rules->addons[0].days, std::vector<std::chrono::weekday>{std::chrono::Sunday});
  EXPECT_FALSE(rules->addons[0].window);
  EXPECT_EQ(rules->method("store_pickup"), &rules->methods[1]);
  EXPECT_EQ(rules->method("pallet"), nullptr);
  EXPECT_EQ(rules->addon("sunday_delivery"), &rules->addons[0]);
  EXPECT_EQ(rules->addon("courier"), nullptr);
}

TEST(DeliveryRules, AddonsMayBeLeftOut) {
  const std::string text(kMinimal.substr(0, kMinimal.find("addons:")));
  auto rules = parse(text);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_TRUE(rules->addons.empty());
}

TEST(DeliveryRules, UnknownKeysFailAtTheKey) {
  expect_error(minimal_with("    calendar_service: standard\n",
                            "    calendar_service: standard\n    colour: red\n"),
               "7:5", "unknown key 'colour'");
  expect_error(minimal_with("cutoff: \"14:00\"\n", "cutoff: \"14:00\"\nfree_from: 100\n"), "2:1",
               "unknown key 'free_from'");
  expect_error(minimal_with("{ up_to_g: 5000, price: 1499 }", "{ up_to: 5000, price: 1499 }"),
               "8:11", "unknown key 'up_to'");
  expect_error(minimal_with("    days: [sunday]\n", "    days: [sunday]\n    colour: red\n"),
               "23:5", "unknown key 'colour'");
}

TEST(DeliveryRules, IdsMustBeLowercaseWords) {
  expect_error(minimal_with("id: courier", "id: Courier"), "3:9", "must be an id");
  expect_error(minimal_with("id: courier", "id: 2courier"), "3:9", "must be an id");
  expect_error(minimal_with("id: sunday_delivery", "id: sunday-delivery"), "18:9", "must be an id");
  expect_error(minimal_with("id: courier", "id: a" + std::string(64, 'b')), "3:9", "must be an id");
  // 64 characters is the longest id.
  const std::string longest = "c" + std::string(63, '_');
  auto rules = parse(replace_all(std::string(kMinimal), "courier", longest));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->methods[0].id, longest);
  EXPECT_EQ(rules->addons[0].methods[0], longest);
}

TEST(DeliveryRules, DuplicateIdsFailAtTheDuplicate) {
  expect_error(minimal_with("id: store_pickup", "id: courier"), "11:9",
               "method id \"courier\" is used twice");
  std::string text(kMinimal);
  text += R"(  - id: sunday_delivery
    name: Znowu niedziela
    price: 100
    methods: [courier]
)";
  expect_error(text, "23:9", "addon id \"sunday_delivery\" is used twice");
}

TEST(DeliveryRules, BandsAscendAndThereIsAtLeastOne) {
  expect_error(minimal_with("up_to_g: 31500", "up_to_g: 5000"), "9:20",
               "must be above the previous band's 5000 g");
  expect_error(minimal_with("up_to_g: 31500", "up_to_g: 4000"), "9:20", "previous band");
  expect_error(minimal_with("      - { up_to_g: 5000, price: 1499 }\n      - { up_to_g: 31500, "
                            "price: 2499 }\n",
                            "      []\n"),
               "8:7", "'price_bands' must list at least one weight band");
  expect_error(minimal_with("{ up_to_g: 5000, price: 1499 }", "{ price: 1499 }"), "8:9",
               "'up_to_g' is required");
  expect_error(minimal_with("price: 1499", "price: 14.99"), "8:33", "amount in grosze");
  expect_error(minimal_with("up_to_g: 5000", "up_to_g: 0"), "8:20", "an integer from 1");
}

TEST(DeliveryRules, TheLastBandMustCoverTheWeightLimit) {
  expect_error(minimal_with("    calendar_service: standard\n",
                            "    calendar_service: standard\n    max_total_weight_g: 40000\n"),
               "10:20", "below 'max_total_weight_g' (40000 g)");
  EXPECT_EQ(
      error_of(minimal_with("    calendar_service: standard\n",
                            "    calendar_service: standard\n    max_total_weight_g: 31500\n")),
      "(parsed)");
}

TEST(DeliveryRules, EstimateInRangeAndOrdered) {
  expect_error(minimal_with("{ min_working_days: 1, max_working_days: 2 }",
                            "{ min_working_days: 3, max_working_days: 2 }"),
               "10:56", "'max_working_days' must not be below 'min_working_days' (3)");
  expect_error(minimal_with("{ min_working_days: 1, max_working_days: 2 }",
                            "{ min_working_days: 1, max_working_days: 31 }"),
               "10:56", "an integer from 0 to 30");
  expect_error(
      minimal_with("{ min_working_days: 1, max_working_days: 2 }", "{ min_working_days: 1 }"),
      "10:15", "'max_working_days' is required");
}

TEST(DeliveryRules, CategoriesFlagsAndDestinationsFromTheirSets) {
  const auto with = [](std::string_view line) {
    return minimal_with("    calendar_service: standard\n",
                        "    calendar_service: standard\n" + std::string(line) + "\n");
  };
  expect_error(with("    excluded_categories: [tv, fridges]"), "7:31", R"(one of "tv", "fridge")");
  expect_error(with("    excluded_categories: [service]"), "7:27", "one of");
  expect_error(with("    excluded_categories: [tv, fridge, tv]"), "7:39", "\"tv\" is listed twice");
  expect_error(with("    excluded_flags: [big]"), "7:22", "one of \"large_appliance\"");
  expect_error(with("    requires_any_flag: [standalone]"), "7:25", "one of \"large_appliance\"");
  expect_error(with("    excluded_flags: [fragile]\n    requires_any_flag: [fragile]"), "8:25",
               "both required and excluded");
  expect_error(minimal_with("destination: address", "destination: door"), "5:18",
               R"(one of "address", "parcel_locker", "store")");
  expect_error(with("    cash_on_delivery: yes"), "7:23", "true or false");
  expect_error(with("    max_dimension_mm: -1"), "7:23", "an integer from 1");
}

TEST(DeliveryRules, CalendarServiceFitsTheDestination) {
  expect_error(minimal_with("    destination: store\n",
                            "    destination: store\n    calendar_service: standard\n"),
               "14:23", "has no delivery calendar");
  expect_error(minimal_with("destination: address", "destination: parcel_locker"), "6:23",
               "one of \"locker\"");
  expect_error(minimal_with("calendar_service: standard", "calendar_service: locker"), "6:23",
               "a method delivering to an address uses standard or two_person");
  expect_error(minimal_with("calendar_service: standard", "calendar_service: express"), "6:23",
               R"(one of "standard", "two_person")");
  // An address method without a calendar is fine, but then no addon can be for certain days.
  expect_error(minimal_with("    calendar_service: standard\n", ""), "20:15",
               "method \"courier\" has no delivery calendar");
}

TEST(DeliveryRules, TimesAreHoursAndMinutes) {
  expect_error(minimal_with("cutoff: \"14:00\"", "cutoff: \"14\""), "1:9",
               "'cutoff' must be a time of day HH:MM");
  expect_error(minimal_with("cutoff: \"14:00\"", "cutoff: \"24:00\""), "1:9", "HH:MM");
  expect_error(minimal_with("cutoff: \"14:00\"", "cutoff: \"9:30\""), "1:9", "HH:MM");
  expect_error(minimal_with("cutoff: \"14:00\"", "cutoff:"), "1:1", "'cutoff' must be");
  auto unquoted = parse(minimal_with("cutoff: \"14:00\"", "cutoff: 13:30"));
  ASSERT_TRUE(unquoted) << unquoted.error().message;
  EXPECT_EQ(unquoted->cutoff, 13h + 30min);

  const auto window = [](std::string_view text) {
    return minimal_with("    days: [sunday]\n",
                        "    days: [sunday]\n    window: " + std::string(text) + "\n");
  };
  auto rules = parse(window(R"({ from: "18:00", to: "22:00" })"));
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_TRUE(rules->addons[0].window);
  EXPECT_EQ(rules->addons[0].window->from, 18h);
  expect_error(window(R"({ from: "18:00", to: "18:00" })"), "23:34",
               "'to' must be after 'from' (18:00)");
  expect_error(window(R"({ from: "18:00", to: "18:60" })"), "23:34", "HH:MM");
  expect_error(window(R"({ from: "18:00" })"), "23:13", "'to' is required");
}

TEST(DeliveryRules, AddonRules) {
  expect_error(minimal_with("days: [sunday]", "days: [sunday, sundy]"), "22:20",
               "one of \"monday\"");
  expect_error(minimal_with("days: [sunday]", "days: [sunday, sunday]"), "22:20",
               "\"sunday\" is listed twice");
  expect_error(minimal_with("methods: [courier]", "methods: [courier, pallet]"), "21:24",
               "\"pallet\" is not a method of 'methods'");
  expect_error(minimal_with("methods: [courier]", "methods: [courier, courier]"), "21:24",
               "\"courier\" is listed twice");
  expect_error(minimal_with("methods: [courier]", "methods: []"), "21:14",
               "'methods' must list at least one method");
  expect_error(minimal_with("    price: 2999\n",
                            "    price: 2999\n    pricing: per_unit_with_required_flag\n"),
               "21:14", "'requires_any_flag' must list at least one");
  expect_error(minimal_with("    price: 2999\n", "    price: 2999\n    pricing: per_kilogram\n"),
               "21:14", R"(one of "per_delivery", "per_unit_with_required_flag")");
  expect_error(minimal_with("    price: 2999\n", ""), "18:5", "'price' is required in 'addons[0]'");
  // A day-bound addon for a method where no day is chosen.
  expect_error(minimal_with("methods: [courier]", "methods: [courier, store_pickup]"), "21:24",
               "method \"store_pickup\" has no delivery calendar");
  auto rules = parse(minimal_with("    methods: [courier]\n    days: [sunday]\n",
                                  "    pricing: per_unit_with_required_flag\n"
                                  "    requires_any_flag: [large_appliance]\n"
                                  "    methods: [courier, store_pickup]\n"));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->addons[0].methods, (std::vector<std::string>{"courier", "store_pickup"}));
  EXPECT_EQ(rules->addons[0].requires_any_flag, std::vector<std::string>{"large_appliance"});
  EXPECT_TRUE(rules->addons[0].days.empty());
}

TEST(DeliveryRules, TheDocumentNeedsItsParts) {
  expect_error("cutoff: \"14:00\"\nmethods: []\n", "2:10",
               "'methods' must list at least one delivery method");
  expect_error("cutoff: \"14:00\"\n", "1:1", "'methods' is required");
  expect_error(minimal_with("cutoff: \"14:00\"\n", ""), "1:1", "'cutoff' is required");
  EXPECT_NE(error_of("").find("must be a map"), std::string::npos) << error_of("");
}

TEST(DeliveryRules, TimeOfDayAndDestinationText) {
  EXPECT_EQ(shipping::format_time_of_day(18h), "18:00");
  EXPECT_EQ(shipping::format_time_of_day(9h + 5min), "09:05");
  EXPECT_EQ(shipping::format_time_of_day(0min), "00:00");
  EXPECT_EQ(shipping::parse_time_of_day("23:59"), 23h + 59min);
  EXPECT_EQ(shipping::parse_time_of_day("00:00"), 0min);
  EXPECT_FALSE(shipping::parse_time_of_day("24:00"));
  EXPECT_FALSE(shipping::parse_time_of_day("12:60"));
  EXPECT_FALSE(shipping::parse_time_of_day("1200"));
  EXPECT_FALSE(shipping::parse_time_of_day("12:00 "));
  EXPECT_FALSE(shipping::parse_time_of_day("1a:00"));
  EXPECT_EQ(shipping::to_string(Destination::address), "address");
  EXPECT_EQ(shipping::to_string(Destination::parcel_locker), "parcel_locker");
  EXPECT_EQ(shipping::to_string(Destination::store), "store");
}
