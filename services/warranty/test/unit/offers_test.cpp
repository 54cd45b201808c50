// What a plan costs and for which lines (offers.hpp): band edges, half-up rounding to the grosz,
// min and max, and each reason a plan is not offered.
#include "offers.hpp"

#include <gtest/gtest.h>

#include "contracts/test_cart.hpp"
#include "platform/rules/testing.hpp"

namespace warranty {
namespace {
using contracts::testing::Goods;
using contracts::testing::product_line;
using platform::pln;

constexpr std::string_view kRules = R"(manufacturer_warranty:
  months: { tv: 24, phone: 24, laptop: 12, furniture: 24 }
  skus_without: [SKU-OUTLET]
plans:
  - id: ext_24m
    kind: extended
    name: Gwarancja +2 lata
    duration_months: 24
    categories: [tv, phone, laptop]
    prices:
      - { from: 100, to: 99999, share: "19.5%", min: 100 }
      - { from: 100000, to: 499999, share: "8%", max: 30000 }
      - { from: 500000, fixed: 45000 }
  - id: theft_12m
    kind: theft
    name: Ochrona przed kradzieżą
    duration_months: 12
    categories: [phone, laptop]
    prices:
      - { from: 50000, to: 299999, fixed: 14900 }
)";

const WarrantyRules& rules() {
  static const WarrantyRules parsed = platform::rules::testing::parse_or_throw<WarrantyRules>(
      kRules, "warranty_rules.yaml", parse_warranty_rules);
  return parsed;
}

const Plan& extended() {
  return *rules().plan("ext_24m");
}

std::optional<platform::Money> extended_price(std::int64_t unit_price) {
  return plan_unit_price(extended(), pln(unit_price));
}

std::string reason_of(const Offer& offer) {
  return offer.reason ? offer.reason->code : "(offered)";
}

TEST(PlanPrice, SharesRoundHalfUpToTheGrosz) {
  EXPECT_EQ(extended_price(1100), pln(215)) << "214,5 gr rounds up, not to the even 214";
  EXPECT_EQ(extended_price(1234), pln(241)) << "240,63 gr";
  EXPECT_EQ(extended_price(1237), pln(241)) << "241,215 gr rounds down";
}

TEST(PlanPrice, BandEdgesBelongToTheirBand) {
  EXPECT_EQ(extended_price(99), std::nullopt) << "below the first band";
  EXPECT_EQ(extended_price(100), pln(100)) << "19,5 gr, held at min";
  EXPECT_EQ(extended_price(99999), pln(19500)) << "19 499,805 gr: the first band's last grosz";
  EXPECT_EQ(extended_price(100000), pln(8000)) << "the second band's first grosz";
  EXPECT_EQ(extended_price(374999), pln(30000)) << "29 999,92 gr";
  EXPECT_EQ(extended_price(375001), pln(30000)) << "held at max";
  EXPECT_EQ(extended_price(499999), pln(30000));
  EXPECT_EQ(extended_price(500000), pln(45000)) << "fixed";
  EXPECT_EQ(extended_price(90'000'000'00), pln(45000)) << "no upper limit on the last band";
}

TEST(PlanPrice, TheTheftPlanStopsAtItsLastBand) {
  const auto& theft = *rules().plan("theft_12m");
  EXPECT_EQ(plan_unit_price(theft, pln(49999)), std::nullopt);
  EXPECT_EQ(plan_unit_price(theft, pln(50000)), pln(14900));
  EXPECT_EQ(plan_unit_price(theft, pln(299999)), pln(14900));
  EXPECT_EQ(plan_unit_price(theft, pln(300000)), std::nullopt);
}

TEST(Offers, APhoneGetsEveryPlanPricedPerUnit) {
  auto phone = product_line("p", Goods().category("phone").price(249900).quantity(3));
  const auto offers = offers_for(rules(), phone);
  ASSERT_EQ(offers.size(), 2U);
  EXPECT_EQ(offers[0].plan->id, "ext_24m");
  EXPECT_TRUE(offers[0].offered());
  EXPECT_EQ(offers[0].unit_price, pln(19992)) << "8% of one unit; the quantity does not count";
  EXPECT_TRUE(offers[1].offered());
  EXPECT_EQ(offers[1].unit_price, pln(14900));
}

TEST(Offers, EachReasonAPlanIsNotOffered) {
  const auto tv = product_line("t", Goods().category("tv").price(329900));
  EXPECT_EQ(reason_of(offer_for(rules(), *rules().plan("theft_12m"), tv)), "category_not_covered");

  auto outlet = product_line("o", Goods().category("tv").price(329900));
  outlet.sku = "SKU-OUTLET";
  EXPECT_EQ(reason_of(offer_for(rules(), extended(), outlet)), "no_manufacturer_warranty");

  const auto fridge = product_line("f", Goods().category("fridge").price(329900));
  EXPECT_EQ(reason_of(offer_for(rules(), extended(), fridge)), "no_manufacturer_warranty");

  const auto sofa = product_line("s", Goods().category("furniture").price(329900));
  EXPECT_EQ(reason_of(offer_for(rules(), extended(), sofa)), "category_not_covered");

  const auto cable = product_line("c", Goods().category("accessory").price(4900));
  EXPECT_EQ(reason_of(offer_for(rules(), extended(), cable)), "not_a_product");

  auto service = product_line("v", Goods().category("tv").price(4900));
  service.type = "service";
  service.category = "service";
  EXPECT_EQ(reason_of(offer_for(rules(), extended(), service)), "not_a_product");

  const auto cheap = product_line("k", Goods().category("phone").price(40000));
  const auto theft = offer_for(rules(), *rules().plan("theft_12m"), cheap);
  EXPECT_EQ(reason_of(theft), "price_out_of_range");
  EXPECT_EQ(theft.reason->message,
            "Ochrona przed kradzieżą obejmuje produkty w cenie od 500,00 zł do 2 999,99 zł.");
  EXPECT_EQ(theft.unit_price, pln(0));
}

}  // namespace
}  // namespace warranty
