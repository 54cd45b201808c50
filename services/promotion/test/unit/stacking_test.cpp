// Stacking (engine.hpp): priority order on the values left, exclusive groups, stop_further, the
// best combination and its tie-breaker, and near misses beside applied promotions.
#include <gtest/gtest.h>

#include <string>

#include "engine.hpp"
#include "promotion_test_support.hpp"

namespace promotion {
namespace {
using testing::applied_ids;
using testing::cart;
using testing::evaluate_at;
using testing::line;
using testing::part;

using Ids = std::vector<std::string>;
using Parts = std::vector<Allocation>;

TEST(Stacking, EachDiscountOnWhatTheOnesBeforeItLeft) {
  const auto rules = testing::rules(R"(promotions:
  - id: minus_10_zl
    name: 10 zł mniej
    kind: amount_off
    amount: 1000
    per: cart
    priority: 5
  - id: ten_percent
    name: 10% taniej
    kind: percent_off
    percent: "10%"
    priority: 10
)");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 10000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"ten_percent", "minus_10_zl"})) << "higher priority first";
  EXPECT_EQ(result.applied[0].discount, platform::pln(1000));
  EXPECT_EQ(result.applied[1].discount, platform::pln(1000));
  EXPECT_EQ(result.total_discount, platform::pln(2000));

  const auto swapped =
      testing::rules(platform::rules::testing::replace_once(R"(promotions:
  - id: minus_10_zl
    name: 10 zł mniej
    kind: amount_off
    amount: 1000
    per: cart
    priority: 5
  - id: ten_percent
    name: 10% taniej
    kind: percent_off
    percent: "10%"
    priority: 10
)",
                                                            "priority: 5", "priority: 20"));
  const auto after = evaluate_at(swapped, cart({line("a", "ACC-X", "accessory", 10000)}));
  EXPECT_EQ(applied_ids(after), (Ids{"minus_10_zl", "ten_percent"}));
  EXPECT_EQ(after.applied[1].discount, platform::pln(900)) << "10% of the 90 zł left";
}

TEST(Stacking, EqualPrioritiesApplyInFileOrder) {
  const auto rules = testing::rules(R"(promotions:
  - id: first
    name: Pierwsza
    kind: percent_off
    percent: "50%"
  - id: second
    name: Druga
    kind: amount_off
    amount: 3000
    per: unit
)");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 10000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"first", "second"}));
  EXPECT_EQ(result.total_discount, platform::pln(8000));
}

TEST(Stacking, ALineNeverGoesBelowZero) {
  const auto rules = testing::rules(R"(promotions:
  - id: all
    name: Gratis
    kind: percent_off
    percent: "100%"
    target: { categories: [tv] }
    priority: 2
  - id: more
    name: Jeszcze 100 zł
    kind: amount_off
    amount: 10000
    per: unit
    priority: 1
)");
  const auto result = evaluate_at(
      rules, cart({line("t", "TV-X", "tv", 50000), line("a", "ACC-X", "accessory", 3000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"all", "more"}));
  EXPECT_EQ(result.applied[0].allocations, (Parts{part("t", 50000)}));
  EXPECT_EQ(result.applied[1].allocations, (Parts{part("a", 3000)})) << "nothing left of the TV";
  EXPECT_EQ(result.total_discount, platform::pln(53000));
}

constexpr std::string_view kTvGroup = R"(promotions:
  - id: tv_10
    name: Telewizory -10%
    kind: percent_off
    percent: "10%"
    target: { categories: [tv] }
    priority: 100
    exclusive_group: tv
  - id: tv_second_half
    name: Drugi telewizor 50% taniej
    kind: second_item_discount
    percent: "50%"
    target: { categories: [tv] }
    priority: 100
    exclusive_group: tv
  - id: cables
    name: Kable -5%
    kind: percent_off
    percent: "5%"
    target: { categories: [accessory] }
    priority: 50
)";

TEST(ExclusiveGroups, TheMemberThatGivesTheMost) {
  const auto rules = testing::rules(kTvGroup);
  const auto two = evaluate_at(rules, cart({line("t", "TV-SAM-55Q80C", "tv", 329900, 2),
                                            line("h", "ACC-HDMI-VIV-15", "accessory", 4499)}));
  EXPECT_EQ(applied_ids(two), (Ids{"tv_second_half", "cables"}));
  EXPECT_EQ(two.total_discount, platform::pln(164950 + 225));
  const auto one = evaluate_at(rules, cart({line("t", "TV-SAM-55Q80C", "tv", 329900),
                                            line("h", "ACC-HDMI-VIV-15", "accessory", 4499)}));
  EXPECT_EQ(applied_ids(one), (Ids{"tv_10", "cables"}));
  EXPECT_EQ(one.total_discount, platform::pln(32990 + 225));
  EXPECT_EQ(one.near_misses.size(), 1U) << "one more TV: the other member almost applies";
}

TEST(ExclusiveGroups, MembersAtDifferentPriorities) {
  // The group's second member comes after another promotion: chosen on what it gives at the
  // group's first member, applied at its own place.
  const auto rules = testing::rules(R"(promotions:
  - id: small
    name: 5% taniej
    kind: percent_off
    percent: "5%"
    priority: 30
    exclusive_group: g
  - id: middle
    name: 100 zł mniej
    kind: amount_off
    amount: 10000
    per: cart
    priority: 20
  - id: big
    name: 20% taniej
    kind: percent_off
    percent: "20%"
    priority: 10
    exclusive_group: g
)");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 100000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"middle", "big"}));
  EXPECT_EQ(result.total_discount, platform::pln(10000 + 18000));
}

constexpr std::string_view kStop = R"(promotions:
  - id: first
    name: Najpierw 10 zł
    kind: amount_off
    amount: 1000
    per: cart
    priority: 200
  - id: stopper
    name: 50% i nic więcej
    kind: percent_off
    percent: "50%"
    priority: 100
    stop_further: true
  - id: b
    name: 10% taniej
    kind: percent_off
    percent: "10%"
    priority: 50
  - id: c
    name: Jeszcze 10% taniej
    kind: percent_off
    percent: "10%"
    priority: 40
)";

TEST(StopFurther, ApplyAndStopWhenThatGivesMore) {
  const auto rules = testing::rules(kStop);
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 100000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"first", "stopper"}));
  EXPECT_EQ(result.total_discount, platform::pln(1000 + 49500));
}

TEST(StopFurther, SkipItWhenTheRestGiveMore) {
  const auto rules =
      testing::rules(platform::rules::testing::replace_once(kStop, "\"50%\"", "\"15%\""));
  // Stopping: 10 + 148,50 zł; going on: 10 + 99 + 89,10 zł.
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 100000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"first", "b", "c"}));
  EXPECT_EQ(result.total_discount, platform::pln(1000 + 9900 + 8910));
}

TEST(StopFurther, ALowerStopperIsNotStoppedByAHigherOneSkipped) {
  const auto rules = testing::rules(R"(promotions:
  - id: high
    name: 5% i koniec
    kind: percent_off
    percent: "5%"
    priority: 100
    stop_further: true
  - id: low
    name: 30% i koniec
    kind: percent_off
    percent: "30%"
    priority: 10
    stop_further: true
)");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 100000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"low"}));
}

TEST(BestCombination, FreeDeliveryBreaksATie) {
  const auto rules = testing::rules(R"(promotions:
  - id: stop_10
    name: 10 zł i koniec
    kind: amount_off
    amount: 1000
    per: cart
    priority: 100
    stop_further: true
  - id: other_10
    name: Inne 10 zł
    kind: amount_off
    amount: 1000
    per: cart
    priority: 50
  - id: free
    name: Darmowa dostawa
    kind: free_delivery
    priority: 40
)");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 100000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"other_10", "free"}));
  EXPECT_TRUE(result.free_delivery);
  EXPECT_EQ(result.total_discount, platform::pln(1000));
}

TEST(BestCombination, AGroupMemberIsChosenOnWhatComesBeforeIt) {
  // At the group's first member (small_60) the 50% looks better (550 zł against 60 zł), but by
  // its own place the TV is free and 50% gives 50 zł: small_60 with tv_free gives 1 060 zł.
  const auto rules = testing::rules(R"(promotions:
  - id: small_60
    name: 60 zł na akcesoria
    kind: amount_off
    amount: 6000
    per: cart
    target: { categories: [accessory] }
    priority: 30
    exclusive_group: g
  - id: tv_free
    name: Telewizor gratis
    kind: percent_off
    percent: "100%"
    target: { categories: [tv] }
    priority: 20
  - id: half
    name: Połowa ceny
    kind: percent_off
    percent: "50%"
    priority: 10
    exclusive_group: g
)");
  const auto result = evaluate_at(
      rules, cart({line("t", "TV-X", "tv", 100000), line("a", "ACC-X", "accessory", 10000)}));
  EXPECT_EQ(applied_ids(result), (Ids{"small_60", "tv_free"}));
  EXPECT_EQ(result.total_discount, platform::pln(106000));
}

TEST(BestCombination, NeverWorseThanTheBestSinglePromotion) {
  // Stacked in priority order the free cable leaves the set without its cable; the set alone
  // gives more, so it alone applies.
  const auto rules = testing::rules(R"(promotions:
  - id: free_cable
    name: Kabel gratis
    kind: percent_off
    percent: "100%"
    target: { skus: [ACC-HDMI-VIV-15] }
    priority: 100
  - id: set
    name: Telewizor z kablem 500 zł taniej
    kind: bundle
    components:
      - { category: tv, count: 1 }
      - { sku: ACC-HDMI-VIV-15, count: 1 }
    amount: 50000
    priority: 50
)");
  const auto result = evaluate_at(rules, cart({line("t", "TV-X", "tv", 100000),
                                               line("h", "ACC-HDMI-VIV-15", "accessory", 4499)}));
  EXPECT_EQ(applied_ids(result), (Ids{"set"}));
  EXPECT_EQ(result.total_discount, platform::pln(50000));
}

}  // namespace
}  // namespace promotion
