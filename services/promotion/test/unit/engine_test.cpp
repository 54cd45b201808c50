// Every rule kind on its own (engine.hpp), to the grosz: which lines it touches, how much each
// line gets, rounding, caps, service lines, windows, opt-ins and the near misses of each kind.
#include "engine.hpp"

#include <gtest/gtest.h>

#include <string>

#include "promotion_test_support.hpp"

namespace promotion {
namespace {
using testing::applied_ids;
using testing::cart;
using testing::evaluate_at;
using testing::line;
using testing::part;
using testing::service_line;

using Parts = std::vector<Allocation>;

// A rules file with one promotion `p` named "Promocja" of the body given.
PromotionRules one(const std::string& body) {
  return testing::rules("promotions:\n  - id: p\n    name: Promocja\n" + body);
}

TEST(PercentOff, EachTargetedLineRoundedHalfUp) {
  const auto rules =
      one("    kind: percent_off\n    percent: \"10%\"\n"
          "    target: { categories: [tv] }\n");
  const auto result = evaluate_at(rules, cart({line("a", "TV-SAM-55Q80C", "tv", 329900),
                                               line("b", "TV-LG-43UR78", "tv", 149999, 2),
                                               line("c", "ACC-HDMI-VIV-15", "accessory", 4499)}));
  ASSERT_EQ(result.applied.size(), 1U);
  const auto& applied = result.applied[0];
  EXPECT_EQ(applied.promotion_id, "p");
  EXPECT_EQ(applied.kind, "percent_off");
  EXPECT_EQ(applied.allocations, (Parts{part("a", 32990), part("b", 30000)}))
      << "299 998 gr × 10% = 29 999,8 gr rounds up";
  EXPECT_EQ(applied.discount, platform::pln(62990));
  EXPECT_EQ(result.total_discount, platform::pln(62990));
  EXPECT_FALSE(result.free_delivery);

  const auto half = one("    kind: percent_off\n    percent: \"7.5%\"\n");
  EXPECT_EQ(evaluate_at(half, cart({line("a", "ACC-X", "accessory", 1100)})).total_discount,
            platform::pln(83))
      << "82,5 gr rounds half up";
  EXPECT_EQ(evaluate_at(half, cart({line("a", "ACC-X", "accessory", 1099)})).total_discount,
            platform::pln(82))
      << "82,425 gr";
}

TEST(PercentOff, ServiceLinesNeverGetAProductDiscount) {
  const auto rules = one("    kind: percent_off\n    percent: \"100%\"\n");
  const auto result = evaluate_at(
      rules, cart({service_line("s", 9900), line("a", "FR-LG-GBP62PZNAC", "fridge", 309900)}));
  ASSERT_EQ(result.applied.size(), 1U);
  EXPECT_EQ(result.applied[0].allocations, (Parts{part("a", 309900)}));
  EXPECT_TRUE(evaluate_at(rules, cart({service_line("s", 9900)})).applied.empty());
}

TEST(AmountOff, PerUnitCappedAtTheLine) {
  const auto rules =
      one("    kind: amount_off\n    amount: 2000\n    per: unit\n"
          "    target: { categories: [phone] }\n");
  const auto result = evaluate_at(
      rules, cart({line("a", "PH-SAM-GALAXYA15-4128", "phone", 77900, 2),
                   line("b", "PH-CHEAP", "phone", 1500), line("c", "LT-X", "laptop", 200000)}));
  ASSERT_EQ(result.applied.size(), 1U);
  EXPECT_EQ(result.applied[0].allocations, (Parts{part("a", 4000), part("b", 1500)}));
  EXPECT_EQ(result.total_discount, platform::pln(5500));
}

TEST(AmountOff, PerCartSplitOverTheTargetedLines) {
  const auto rules =
      one("    kind: amount_off\n    amount: 5000\n    per: cart\n"
          "    target: { categories: [accessory] }\n");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-HDMI-UGR-2M", "accessory", 6599),
                                               line("t", "TV-LG-48C3", "tv", 439900),
                                               line("b", "ACC-HDMI-VIV-15", "accessory", 4499)}));
  ASSERT_EQ(result.applied.size(), 1U);
  EXPECT_EQ(result.applied[0].allocations, (Parts{part("a", 2973), part("b", 2027)}));
  // More than the lines are worth: capped at their value.
  const auto small = evaluate_at(rules, cart({line("a", "ACC-DW-SALT-FIN-15", "accessory", 1899)}));
  EXPECT_EQ(small.total_discount, platform::pln(1899));
}

TEST(SecondItemDiscount, TheCheaperOfEachPairSortedByPrice) {
  const auto rules =
      one("    kind: second_item_discount\n    percent: \"50%\"\n"
          "    target: { categories: [tv] }\n");
  // Units by price: 3 000, 2 000, 2 000, 1 000 zł → pairs (3 000, 2 000) and (2 000, 1 000).
  const auto result =
      evaluate_at(rules, cart({line("a", "TV-A", "tv", 200000, 2), line("b", "TV-B", "tv", 300000),
                               line("c", "TV-C", "tv", 100000)}));
  ASSERT_EQ(result.applied.size(), 1U);
  EXPECT_EQ(result.applied[0].allocations, (Parts{part("a", 100000), part("c", 50000)}));
  // Three units: one pair; the odd, cheapest unit pays in full.
  const auto odd = evaluate_at(
      rules, cart({line("a", "TV-A", "tv", 200000, 2), line("c", "TV-C", "tv", 100001)}));
  EXPECT_EQ(odd.applied.at(0).allocations, (Parts{part("a", 100000)}));
  // Half up per unit: 50% of 999,99 zł is 500,00 zł (49 999,5 gr).
  const auto pair = evaluate_at(rules, cart({line("a", "TV-A", "tv", 99999, 2)}));
  EXPECT_EQ(pair.total_discount, platform::pln(50000));
}

TEST(SecondItemDiscount, OneUnitIsANearMiss) {
  const auto rules = testing::rules(R"(promotions:
  - id: tv_second_half
    name: Drugi telewizor 50% taniej
    kind: second_item_discount
    percent: "50%"
    target: { categories: [tv] }
)");
  const auto result = evaluate_at(rules, cart({line("a", "TV-SAM-55Q80C", "tv", 329900)}));
  EXPECT_TRUE(result.applied.empty());
  ASSERT_EQ(result.near_misses.size(), 1U);
  EXPECT_EQ(result.near_misses[0].promotion_id, "tv_second_half");
  EXPECT_EQ(result.near_misses[0].reason_code, "one_more_item");
  EXPECT_EQ(result.near_misses[0].message,
            "Dodaj jeszcze 1 produkt z kategorii telewizory, aby skorzystać z promocji „Drugi "
            "telewizor 50% taniej”.");
  EXPECT_TRUE(evaluate_at(rules, cart({line("a", "PH-X", "phone", 100)})).near_misses.empty())
      << "nothing of its target: no near miss";
}

TEST(BuyNGetOneFree, EveryFourthUnitFreeTheCheapestFirst) {
  const auto rules =
      one("    kind: buy_n_get_one_free\n    buy: 3\n"
          "    target: { categories: [accessory] }\n");
  const auto five = evaluate_at(rules, cart({line("a", "ACC-HDMI-UGR-2M", "accessory", 6599, 3),
                                             line("b", "ACC-HDMI-VIV-15", "accessory", 4499, 2)}));
  EXPECT_EQ(five.applied.at(0).allocations, (Parts{part("b", 4499)}));
  const auto eight = evaluate_at(rules, cart({line("a", "ACC-HDMI-UGR-2M", "accessory", 6599, 6),
                                              line("b", "ACC-HDMI-VIV-15", "accessory", 4499),
                                              line("c", "ACC-DW-SALT-FIN-15", "accessory", 1899)}));
  EXPECT_EQ(eight.applied.at(0).allocations, (Parts{part("b", 4499), part("c", 1899)}));
  // Three units: one more makes one free.
  const auto three = evaluate_at(rules, cart({line("a", "ACC-HDMI-UGR-2M", "accessory", 6599, 3)}));
  EXPECT_TRUE(three.applied.empty());
  ASSERT_EQ(three.near_misses.size(), 1U);
  EXPECT_EQ(three.near_misses[0].message,
            "Dodaj jeszcze 1 produkt z kategorii akcesoria, aby skorzystać z promocji „Promocja”.");
  EXPECT_TRUE(
      evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 6599, 2)})).near_misses.empty())
      << "two short is not almost";
}

TEST(CartThreshold, AnAmountFromACartValueOfProductsOnly) {
  const auto rules = testing::rules(R"(promotions:
  - id: cart_5000
    name: 250 zł rabatu od 5000 zł
    kind: cart_threshold
    min_value: 500000
    amount: 25000
)");
  const auto result = evaluate_at(rules, cart({line("a", "TV-SAM-55Q80C", "tv", 329900),
                                               line("b", "FR-SAM-RB34T672ESA", "fridge", 269900)}));
  EXPECT_EQ(result.applied.at(0).allocations, (Parts{part("a", 13750), part("b", 11250)}));
  // A service line does not count towards the value: 4 798 zł of products.
  const auto below =
      evaluate_at(rules, cart({line("a", "TV-SAM-55Q80C", "tv", 329900), service_line("s", 150000),
                               line("b", "FR-X", "fridge", 149900)}));
  EXPECT_TRUE(below.applied.empty());
  ASSERT_EQ(below.near_misses.size(), 1U);
  EXPECT_EQ(below.near_misses[0].reason_code, "below_minimum");
  EXPECT_EQ(below.near_misses[0].message,
            "Brakuje 202,00 zł do promocji „250 zł rabatu od 5000 zł”.");
  // Further than 30% below: not almost.
  EXPECT_TRUE(evaluate_at(rules, cart({line("a", "TV-X", "tv", 349999)})).near_misses.empty());
  EXPECT_EQ(evaluate_at(rules, cart({line("a", "TV-X", "tv", 350000)})).near_misses.size(), 1U);
}

TEST(CartThreshold, APercentOfTheTargetedLines) {
  const auto rules =
      one("    kind: cart_threshold\n    min_value: 150000\n    percent: \"7.5%\"\n"
          "    target: { categories: [fridge, washing_machine] }\n");
  const auto result = evaluate_at(rules, cart({line("a", "FR-BEK-RCSA270K40WN", "fridge", 139900),
                                               line("b", "ACC-X", "accessory", 100000),
                                               line("c", "WM-X", "washing_machine", 10100)}));
  EXPECT_EQ(result.applied.at(0).allocations, (Parts{part("a", 10493), part("c", 758)}))
      << "10 492,5 gr and 757,5 gr round up";
  EXPECT_TRUE(evaluate_at(rules, cart({line("a", "FR-X", "fridge", 149999),
                                       line("b", "ACC-X", "accessory", 100000)}))
                  .applied.empty())
      << "only the targeted lines count towards the minimum";
}

TEST(FreeDelivery, FromAValueWithoutADiscount) {
  const auto rules = testing::rules(R"(promotions:
  - id: free_300
    name: Darmowa dostawa od 300 zł
    kind: free_delivery
    min_value: 30000
)");
  const auto result = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 15000, 2)}));
  ASSERT_EQ(result.applied.size(), 1U);
  EXPECT_TRUE(result.applied[0].free_delivery);
  EXPECT_EQ(result.applied[0].discount, platform::pln(0));
  EXPECT_TRUE(result.applied[0].allocations.empty());
  EXPECT_TRUE(result.free_delivery);
  EXPECT_EQ(result.total_discount, platform::pln(0));
  const auto short_by = evaluate_at(rules, cart({line("a", "ACC-X", "accessory", 29999)}));
  EXPECT_FALSE(short_by.free_delivery);
  EXPECT_EQ(short_by.near_misses.at(0).message,
            "Brakuje 0,01 zł do promocji „Darmowa dostawa od 300 zł”.");
}

constexpr std::string_view kBundle = R"(promotions:
  - id: tv_soundbar
    name: Telewizor + soundbar
    kind: bundle
    components:
      - { category: tv, count: 1 }
      - { sku: ACC-SB-SAM-HWQ600C, count: 1 }
    amount: 30000
)";

TEST(Bundle, AnAmountOffEachCompleteSet) {
  const auto rules = testing::rules(kBundle);
  const auto tv = line("t", "TV-SAM-55Q80C", "tv", 329900);
  const auto soundbar = line("s", "ACC-SB-SAM-HWQ600C", "accessory", 139900);
  const auto one_set =
      evaluate_at(rules, cart({tv, soundbar, line("h", "ACC-HDMI-VIV-15", "accessory", 4499)}));
  EXPECT_EQ(one_set.applied.at(0).allocations, (Parts{part("t", 21066), part("s", 8934)}));
  // Two TVs, one soundbar: one set, with the dearer TV.
  const auto two_tvs =
      evaluate_at(rules, cart({line("c", "TV-TCL-32P635", "tv", 79900), tv, soundbar}));
  EXPECT_EQ(two_tvs.applied.at(0).allocations, (Parts{part("t", 21066), part("s", 8934)}));
  // Two of each: two sets, 600 zł.
  auto two = tv;
  two.quantity = 2;
  auto bars = soundbar;
  bars.quantity = 2;
  const auto two_sets = evaluate_at(rules, cart({two, bars}));
  EXPECT_EQ(two_sets.applied.at(0).allocations, (Parts{part("t", 42133), part("s", 17867)}));
}

TEST(Bundle, APercentOffTheSetsUnits) {
  const auto rules = testing::rules(
      platform::rules::testing::replace_once(kBundle, "amount: 30000", "percent: \"10%\""));
  auto tv = line("t", "TV-SAM-55Q80C", "tv", 329900, 2);
  const auto result =
      evaluate_at(rules, cart({tv, line("s", "ACC-SB-SAM-HWQ600C", "accessory", 139900)}));
  EXPECT_EQ(result.applied.at(0).allocations, (Parts{part("t", 32990), part("s", 13990)}))
      << "one TV of the two is in the set";
}

TEST(Bundle, OneMissingComponentIsANearMiss) {
  const auto rules = testing::rules(kBundle);
  const auto result = evaluate_at(rules, cart({line("t", "TV-SAM-55Q80C", "tv", 329900)}));
  EXPECT_TRUE(result.applied.empty());
  ASSERT_EQ(result.near_misses.size(), 1U);
  EXPECT_EQ(result.near_misses[0].message,
            "Dodaj jeszcze 1 szt. produktu ACC-SB-SAM-HWQ600C, aby skompletować zestaw "
            "„Telewizor + soundbar”.");
  EXPECT_TRUE(evaluate_at(rules, cart({line("h", "ACC-HDMI-VIV-15", "accessory", 4499)}))
                  .near_misses.empty());
}

TEST(Targets, BrandsAreSkuPrefixesAndTargetsAddUp) {
  const auto rules = testing::rules(R"(brands:
  samsung: ["TV-SAM-", "PH-SAM-"]
promotions:
  - id: p
    name: Samsung i laptopy -10%
    kind: percent_off
    percent: "10%"
    target: { brands: [samsung], categories: [laptop], skus: [ACC-HDMI-VIV-15] }
)");
  const auto result = evaluate_at(
      rules, cart({line("a", "TV-SAM-55Q80C", "tv", 10000), line("b", "TV-LG-48C3", "tv", 10000),
                   line("c", "LT-HP-15SFQ5111NW", "laptop", 20000),
                   line("d", "ACC-HDMI-VIV-15", "accessory", 4500),
                   line("e", "PH-SAM-GALAXYA15-4128", "phone", 30000)}));
  EXPECT_EQ(result.applied.at(0).allocations,
            (Parts{part("a", 1000), part("c", 2000), part("d", 450), part("e", 3000)}));
}

TEST(Eligibility, WindowsOptInsAndCodes) {
  const auto rules = testing::rules(R"(promotions:
  - id: later
    name: Od przyszłego roku
    kind: percent_off
    percent: "10%"
    valid_from: "2027-01-01 00:00"
  - id: chosen
    name: Do wyboru
    kind: percent_off
    percent: "5%"
    opt_in: true
  - id: coded
    name: Z kodem
    kind: amount_off
    amount: 1000
    per: cart
    code: TAK10
)");
  const auto basket = cart({line("a", "ACC-X", "accessory", 100000)});
  const auto plain = evaluate_at(rules, basket);
  EXPECT_TRUE(plain.applied.empty());
  EXPECT_EQ(plain.opt_ins_available, std::vector<std::string>{"chosen"});
  EXPECT_TRUE(plain.near_misses.empty());
  const auto both = evaluate_at(rules, basket, Choices{.opt_ins = {"chosen"}, .codes = {"TAK10"}});
  EXPECT_EQ(applied_ids(both), (std::vector<std::string>{"chosen", "coded"}));
  EXPECT_EQ(both.applied[1].code, "TAK10");
  EXPECT_EQ(both.applied[0].code, std::nullopt);
  EXPECT_EQ(both.total_discount, platform::pln(5000 + 1000));
  EXPECT_TRUE(both.opt_ins_available.empty());
  const auto next_year =
      evaluate_at(rules, basket, {}, testing::warsaw(std::chrono::year{2027} / 1 / 1, 0));
  EXPECT_EQ(applied_ids(next_year), std::vector<std::string>{"later"});
}

TEST(Evaluate, AnEmptyCartGetsNothing) {
  const auto rules = one("    kind: percent_off\n    percent: \"10%\"\n");
  const auto result = evaluate_at(rules, cart({}));
  EXPECT_TRUE(result.applied.empty());
  EXPECT_TRUE(result.near_misses.empty());
  EXPECT_EQ(result.total_discount, platform::pln(0));
}

}  // namespace
}  // namespace promotion
