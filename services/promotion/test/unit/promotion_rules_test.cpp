// The promotion rules file (promotion_rules.hpp): the shipped file, every kind read, and each
// mistake reported at its line and column.
#include "promotion_rules.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "platform/rules/load.hpp"
#include "promotion_test_support.hpp"

namespace promotion {
namespace {
using namespace std::chrono_literals;
using platform::rules::testing::replace_once;
using testing::parse;

// The error tests below change one thing here, so the line and column each expects can be read
// off (line 1 is `brands:`).
constexpr std::string_view kMinimal = R"(brands:
  samsung: ["TV-SAM-", "PH-SAM-"]
promotions:
  - id: tv_10
    name: Telewizory -10%
    kind: percent_off
    percent: "10%"
    target: { categories: [tv], brands: [samsung] }
    priority: 10
    exclusive_group: tv
  - id: phones_pair
    name: Drugi smartfon -50%
    kind: second_item_discount
    percent: "50%"
    target: { skus: [PH-APP-IPHONE15-128], categories: [phone] }
    exclusive_group: tv
  - id: set
    name: Zestaw
    kind: bundle
    components:
      - { category: tv, count: 1 }
      - { sku: ACC-SB-SAM-HWQ600C, count: 2 }
    amount: 30000
  - id: code_agd
    name: Kod AGD
    kind: cart_threshold
    min_value: 150000
    amount: 10000
    code: AGD10
    valid_from: "2026-03-29 01:00"
    valid_to: "2026-10-25 03:00"
    code_global_limit: 10
    code_hold_minutes: 30
  - id: cables
    name: Kable 3+1
    kind: buy_n_get_one_free
    buy: 3
  - id: per_unit
    name: 20 zł na sztukę
    kind: amount_off
    amount: 2000
    per: unit
    opt_in: true
  - id: free
    name: Darmowa dostawa
    kind: free_delivery
    min_value: 30000
    stop_further: true
)";

void expect_error(std::string_view from, std::string_view to, std::string_view position,
                  std::string_view what) {
  platform::rules::testing::expect_rules_error(parse(replace_once(kMinimal, from, to)), position,
                                               what);
}

TEST(PromotionRules, TheShippedFileLoadsWithEveryKind) {
  auto rules = platform::rules::load_rules<PromotionRules>(
      PROMOTION_CONFIG_DIR "/promotion_rules.yaml", parse_promotion_rules);
  ASSERT_TRUE(rules) << rules.error().message;
  std::set<std::string> kinds;
  for (const auto& p : rules->promotions) kinds.insert(p.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"percent_off", "amount_off", "second_item_discount",
                                          "buy_n_get_one_free", "cart_threshold", "free_delivery",
                                          "bundle"}));
  const auto* agd = rules->by_code("AGD7");
  ASSERT_NE(agd, nullptr);
  EXPECT_EQ(agd->id, "code_agd_7_5");
  EXPECT_EQ(agd->percent_bp, 750);
  EXPECT_EQ(agd->code_global_limit, 1000);
  EXPECT_EQ(agd->code_per_customer_limit, 1);
  EXPECT_EQ(agd->code_hold, 15min);
  // 1 December 00:00 in Warsaw (CET, UTC+1) is 30 November 23:00 UTC.
  EXPECT_EQ(agd->valid_from, std::chrono::sys_days{2026y / 11 / 30} + 23h);
  EXPECT_EQ(agd->valid_to, std::chrono::sys_days{2026y / 12 / 31} + 23h);
  const auto* set = rules->by_id("tv_soundbar_set");
  ASSERT_NE(set, nullptr);
  ASSERT_EQ(set->components.size(), 2U);
  EXPECT_EQ(set->components[1].target.skus, std::vector<std::string>{"ACC-SB-SAM-HWQ600C"});
  EXPECT_TRUE(rules->by_id("laptop_newsletter_5")->opt_in);
  EXPECT_TRUE(rules->by_id("code_acc_50")->stop_further);
  const auto& galaxy = rules->by_id("samsung_phone_200")->target;
  EXPECT_EQ(galaxy.sku_prefixes, std::vector<std::string>{"PH-SAM-GALAXY"})
      << "Samsung phones only, not every Samsung product and every phone";
  EXPECT_TRUE(galaxy.categories.empty());
  EXPECT_EQ(rules->by_code("NOPE"), nullptr);
}

TEST(PromotionRules, ReadsEveryKindsValues) {
  auto rules = parse(kMinimal);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->promotions.size(), 7U);
  const auto& tv = rules->promotions[0];
  EXPECT_EQ(tv.rule_kind, RuleKind::percent_off);
  EXPECT_EQ(tv.kind, "percent_off");
  EXPECT_EQ(tv.percent_bp, 1000);
  EXPECT_EQ(tv.priority, 10);
  EXPECT_EQ(tv.target.categories, std::vector<std::string>{"tv"});
  EXPECT_EQ(tv.target.sku_prefixes, (std::vector<std::string>{"TV-SAM-", "PH-SAM-"}));
  EXPECT_EQ(tv.target.category_bits, 1U) << "tv is the first category";
  EXPECT_EQ(tv.group_index, 0);
  EXPECT_EQ(rules->promotions[1].group_index, 0);
  EXPECT_EQ(rules->exclusive_groups, std::vector<std::string>{"tv"});
  EXPECT_EQ(rules->promotions[1].target.skus, std::vector<std::string>{"PH-APP-IPHONE15-128"});
  EXPECT_EQ(rules->promotions[2].components[1].count, 2);
  EXPECT_EQ(rules->promotions[2].amount, 30000);
  const auto& code = rules->promotions[3];
  EXPECT_EQ(code.code, "AGD10");
  EXPECT_EQ(code.min_value, 150000);
  EXPECT_EQ(code.code_hold, 30min);
  EXPECT_EQ(code.code_per_customer_limit, std::nullopt);
  // Summer time starts 29 March 2026 at 02:00 CET: 01:00 is still CET (00:00 UTC); it ends
  // 25 October 2026 at 03:00 CEST, which is 01:00 UTC... and 03:00 is then CET (02:00 UTC).
  EXPECT_EQ(code.valid_from, std::chrono::sys_days{2026y / 3 / 29} + 0h);
  EXPECT_EQ(code.valid_to, std::chrono::sys_days{2026y / 10 / 25} + 2h);
  EXPECT_EQ(rules->promotions[4].buy, 3);
  EXPECT_TRUE(rules->promotions[4].target.whole_cart());
  EXPECT_EQ(rules->promotions[5].per, AmountPer::unit);
  EXPECT_TRUE(rules->promotions[5].opt_in);
  EXPECT_TRUE(rules->promotions[6].stop_further);
  EXPECT_EQ(rules->near_miss_within_bp, 3000);
}

TEST(PromotionRules, PercentagesTakeUpToTwoDecimals) {
  EXPECT_EQ(basis_points("7.5%"), 750);
  EXPECT_EQ(basis_points("7,25%"), 725);
  EXPECT_EQ(basis_points("100%"), 10000);
  for (const auto* bad : {"7.125%", "7%%", "7.%", "7.5", "-5%", "1e2%", "%", ""}) {
    EXPECT_EQ(basis_points(bad), std::nullopt) << bad;
  }
  for (const auto* bad : {"\"0%\"", "\"100.01%\"", "\"7.125%\"", "10"}) {
    expect_error("percent: \"10%\"", std::string("percent: ") + bad, "7:14",
                 "'percent' must be a percentage");
  }
}

TEST(PromotionRules, CodesHaveOneShape) {
  EXPECT_TRUE(is_code("AGD7"));
  EXPECT_TRUE(is_code("BLACK_FRIDAY-2026"));
  EXPECT_FALSE(is_code("ab1"));
  EXPECT_FALSE(is_code("AB"));
  EXPECT_FALSE(is_code(std::string(33, 'A')));
  EXPECT_FALSE(is_code("AGD 7"));
  expect_error("code: AGD10", "code: agd10", "29:11", "'code' must be 3 to 32 capital letters");
}

TEST(PromotionRules, MistakesAreReportedWhereTheyAre) {
  expect_error("kind: percent_off", "kind: percent", "6:11", "one of");
  expect_error("id: phones_pair", "id: tv_10", "11:9", "is used twice");
  expect_error("    buy: 3\n", "    buy: 3\n    code: AGD10\n", "38:11",
               "code \"AGD10\" is used twice");
  expect_error("categories: [tv], brands", "categories: [tvs], brands", "8:28", "one of");
  expect_error("brands: [samsung]", "brands: [sony]", "8:42", "not a brand of 'brands'");
  expect_error("skus: [PH-APP-IPHONE15-128]", "skus: [ph-app]", "15:22", "expected a catalog sku");
  expect_error("target: { skus: [PH-APP-IPHONE15-128], categories: [phone] }", "target: {}",
               "15:13", "'target' must list at least one of");
  expect_error("    buy: 3\n", "    buy: 3\n    percent: \"5%\"\n", "38:14",
               "'percent' goes only with kind");
  expect_error("    buy: 3\n", "    buy: 0\n", "37:10", "");
  expect_error("    buy: 3\n", "", "34:5", "'buy' is required");
  expect_error("    amount: 30000\n", "    amount: 30000\n    percent: \"5%\"\n", "17:5",
               "either 'percent'");
  expect_error("    amount: 30000\n", "    amount: 30000\n    target: { categories: [tv] }\n",
               "24:13", "a bundle has no 'target'");
  expect_error("{ category: tv, count: 1 }", "{ category: tv, sku: TV-SAM-55Q80C }", "21:9",
               "exactly one of sku, category, brand");
  expect_error("{ category: tv, count: 1 }", "{ category: sofa }", "21:21",
               "not a catalog category");
  expect_error("{ sku: ACC-SB-SAM-HWQ600C, count: 2 }", "{ brand: sony }", "22:18",
               "not a brand of 'brands'");
  expect_error(
      "      - { category: tv, count: 1 }\n      - { sku: ACC-SB-SAM-HWQ600C, count: 2 }\n",
      "      - { sku: ACC-SB-SAM-HWQ600C, count: 1 }\n", "21:7",
      "must add up to at least 2 products");
  expect_error("    min_value: 150000\n", "", "24:5", "'min_value' is required");
  expect_error("    per: unit\n", "    per: piece\n", "42:10", "one of");
  expect_error("    opt_in: true\n", "    opt_in: true\n    code: PER_UNIT\n", "43:13",
               "leave out 'opt_in'");
  expect_error("    stop_further: true\n", "    stop_further: true\n    code_hold_minutes: 5\n",
               "49:24", "goes only with a 'code'");
  expect_error("code_hold_minutes: 30", "code_hold_minutes: 0", "33:24", "");
  expect_error("\"2026-10-25 03:00\"", "\"2026-03-29 01:00\"", "31:15",
               "'valid_to' must be after 'valid_from'");
  for (const auto* bad : {"\"2026-10-25\"", "\"2026-10-25 24:00\"", "\"2026-02-30 10:00\"",
                          "\"2026-10-25T03:00\"", "\"2026-10-25 3:00\""}) {
    expect_error("\"2026-10-25 03:00\"", bad, "31:15", "must be a Warsaw local time");
  }
  expect_error("exclusive_group: tv\n  - id: phones", "exclusive_group: TV\n  - id: phones",
               "10:22", "");
  expect_error("samsung: [\"TV-SAM-\"", "Samsung: [\"TV-SAM-\"", "2:12", "a brand name");
  expect_error("\"PH-SAM-\"", "\"ph-sam-\"", "2:24", "a sku prefix");
  expect_error("    name: Zestaw\n", "    name: Zestaw\n    colour: red\n", "19:5", "colour");
  expect_error("promotions:", "near_miss_within: 30\npromotions:", "3:19",
               "'near_miss_within' must be a percentage");
}

}  // namespace
}  // namespace promotion
