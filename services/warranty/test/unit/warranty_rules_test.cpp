// The warranty rules file (warranty_rules.hpp): the shipped file, and each mistake reported at its
// line and column.
#include "warranty_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"

namespace warranty {
namespace {

// The error tests below change one thing here, so the line and column each expects can be read
// off (line 1 is `manufacturer_warranty`).
constexpr std::string_view kMinimal = R"(manufacturer_warranty:
  months: { tv: 24, phone: 24 }
  skus_without: [TV-OUTLET-1]
plans:
  - id: ext_12m
    kind: extended
    name: Gwarancja +1 rok
    duration_months: 12
    categories: [tv, phone]
    prices:
      - { from: 1, to: 99999, share: "10%", min: 4900 }
      - { from: 100000, share: "7.5%", max: 59900 }
  - id: theft_12m
    kind: theft
    name: Kradzież
    duration_months: 12
    categories: [phone]
    prices:
      - { from: 50000, to: 299999, fixed: 14900 }
)";

platform::Result<WarrantyRules> parse(std::string_view text) {
  return platform::rules::parse_rules<WarrantyRules>(text, "warranty_rules.yaml",
                                                     parse_warranty_rules);
}

void expect_error(std::string_view from, std::string_view to, std::string_view position,
                  std::string_view what) {
  platform::rules::testing::expect_rules_error(
      parse(platform::rules::testing::replace_once(kMinimal, from, to)), position, what);
}

TEST(WarrantyRules, TheShippedFileLoads) {
  auto rules = platform::rules::load_rules<WarrantyRules>(
      WARRANTY_CONFIG_DIR "/warranty_rules.yaml", parse_warranty_rules);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->plans.size(), 5U);
  EXPECT_EQ(rules->plans[0].id, "ext_12m");
  const auto* theft = rules->plan("theft_12m");
  ASSERT_NE(theft, nullptr);
  EXPECT_EQ(theft->kind, PlanKind::theft);
  EXPECT_EQ(theft->categories, (std::vector<std::string>{"laptop", "phone"}));
  const auto* accidental = rules->plan("accidental_24m");
  ASSERT_NE(accidental, nullptr);
  EXPECT_EQ(accidental->kind, PlanKind::accidental_damage);
  EXPECT_EQ(rules->manufacturer_months_for("tv", "TV-ANY"), 24);
  EXPECT_EQ(rules->manufacturer_months_for("accessory", "ACC-ANY"), 0);
}

TEST(WarrantyRules, ReadsBandsSharesAndTheManufacturersWarranty) {
  auto rules = parse(kMinimal);
  ASSERT_TRUE(rules) << rules.error().message;
  const auto& ext = rules->plans[0];
  ASSERT_EQ(ext.prices.size(), 2U);
  EXPECT_EQ(ext.prices[0], (PriceBand{1, 99999, 1000, std::nullopt, 4900, std::nullopt}));
  EXPECT_EQ(ext.prices[1],
            (PriceBand{100000, std::nullopt, 750, std::nullopt, std::nullopt, 59900}));
  EXPECT_EQ(rules->plans[1].prices[0].fixed, 14900);
  EXPECT_EQ(rules->manufacturer_months_for("tv", "TV-OUTLET-1"), 0) << "listed without one";
  EXPECT_EQ(rules->manufacturer_months_for("phone", "PH-1"), 24);
  EXPECT_EQ(rules->plan("nope"), nullptr);
}

TEST(WarrantyRules, SharesTakeUpToTwoDecimalsWithAPointOrAComma) {
  auto rules = parse(platform::rules::testing::replace_once(kMinimal, "\"7.5%\"", "\"7,25%\""));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->plans[0].prices[1].share_bp, 725);
  for (const auto* bad : {"\"7.125%\"", "\"7%%\"", "\"7.%\"", "\"0%\"", "\"100.01%\"", "\"7.5\"",
                          "\"-5%\"", "\"1e2%\""}) {
    expect_error("\"7.5%\"", bad, "12:32", "'share' must be a percentage");
  }
  auto whole = parse(platform::rules::testing::replace_once(kMinimal, "\"7.5%\"", "\"100%\""));
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->plans[0].prices[1].share_bp, 10000);
}

TEST(WarrantyRules, MistakesAreReportedWhereTheyAre) {
  expect_error("from: 100000", "from: 100001", "12:17", "'from' must be 100000");
  expect_error("from: 100000", "from: 99999", "12:17", "without gap or overlap");
  expect_error("to: 99999, share", "share", "12:9", "only the last price band may leave out 'to'");
  expect_error("share: \"10%\", min: 4900", "share: \"10%\", fixed: 4900", "11:9",
               "either 'share'");
  expect_error("fixed: 14900", "fixed: 14900, min: 100", "19:55", "'min' goes only with 'share'");
  expect_error("min: 4900", "min: 4900, max: 100", "11:61", "'max' must not be below 'min'");
  expect_error("categories: [phone]", "categories: [phone, fridge]", "17:25",
               "no manufacturer's warranty");
  expect_error("categories: [phone]", "categories: [phone, service]", "17:25", "one of");
  expect_error("id: theft_12m", "id: ext_12m", "13:9", "is used twice");
  expect_error("kind: theft", "kind: burglary", "14:11", "one of");
  expect_error("duration_months: 12\n    categories: [tv",
               "duration_months: 0\n    categories: [tv", "8:22", "");
  expect_error("skus_without: [TV-OUTLET-1]", "skus_without: [tv-outlet]", "3:18",
               "expected a catalog sku");
  expect_error("months: { tv: 24", "months: { sofa: 24", "2:19", "not a catalog category");
  expect_error("    name: Kradzież\n", "    name: Kradzież\n    colour: red\n", "16:5", "colour");
}

TEST(WarrantyRules, NamesAreCountedInCharactersNotBytes) {
  const std::string polish(200, 'x');
  std::string name = "ż" + polish.substr(1);  // 200 characters, 201 bytes
  EXPECT_TRUE(parse(platform::rules::testing::replace_once(kMinimal, "Kradzież", name)));
  expect_error("Kradzież", name + "x", "15:11", "at most 200 characters");
}

}  // namespace
}  // namespace warranty
