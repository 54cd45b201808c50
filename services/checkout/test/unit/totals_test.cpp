// Totals and the VAT breakdown: what is counted, and the rounding rule (VAT from gross per rate,
// half up to the grosz).
#include "totals.hpp"

#include <gtest/gtest.h>

#include "event_builders.hpp"

namespace checkout {
namespace {
using testing::cart_event;
using testing::Line;

VatRules rules() {
  VatRules vat;
  vat.goods = {23, false};
  vat.categories = {{"books", {5, false}}};
  vat.services = {8, false};
  vat.warranties = {0, true};
  vat.delivery = {23, false};
  vat.payment_fee = {23, false};
  return vat;
}

CheckoutView fold(const std::vector<testing::Event>& events) {
  CheckoutView view;
  view.session_id = testing::kSession;
  for (const auto& event : events) {
    auto next = apply_event(view, event.topic, event.type, event.data);
    EXPECT_TRUE(next) << next.error().message;
    if (next && *next) view = std::move(**next);
  }
  return view;
}

const VatGroup* group(const Totals& totals, const std::string& label) {
  for (const auto& g : totals.vat) {
    if (g.rate.label() == label) return &g;
  }
  return nullptr;
}

TEST(VatInGross, RoundsHalfUpToTheGrosz) {
  // 329 900 × 23 / 123 = 61 688.62 → 61 689
  EXPECT_EQ(vat_in_gross(329900, {23, false}), 61689);
  // 4 999 × 5 / 105 = 238.05 → 238
  EXPECT_EQ(vat_in_gross(4999, {5, false}), 238);
  // 5 × 23 / 123 = 0.93 → 1; 1 × 23 / 123 = 0.19 → 0; 3 × 8 / 108 = 0.22 → 0
  EXPECT_EQ(vat_in_gross(5, {23, false}), 1);
  EXPECT_EQ(vat_in_gross(1, {23, false}), 0);
  EXPECT_EQ(vat_in_gross(3, {8, false}), 0);
  // exactly half a grosz goes up: 123 × 23 / 123 = 23; 2 × 100 / 200 = 1 (a 100% rate would
  // not pass the rules, but the rounding is the same): take 1 gross at 100/... instead check
  // 41 × 23 / 123 = 7.666 → 8 and 16 × 23 / 123 = 2.99 → 3
  EXPECT_EQ(vat_in_gross(41, {23, false}), 8);
  EXPECT_EQ(vat_in_gross(16, {23, false}), 3);
  EXPECT_EQ(vat_in_gross(10000, {0, true}), 0);
  EXPECT_EQ(vat_in_gross(10000, {0, false}), 0);
}

TEST(Totals, OneLineGivesItsPriceAndOneVatGroup) {
  const auto view = fold({cart_event(1, "CartItemAdded", Line{"tv", 329900})});
  const auto totals = compute_totals(view, rules());
  EXPECT_EQ(totals.lines_total.amount, 329900);
  EXPECT_EQ(totals.grand_total.amount, 329900);
  ASSERT_EQ(totals.vat.size(), 1U);
  EXPECT_EQ(totals.vat[0].rate.label(), "23%");
  EXPECT_EQ(totals.vat[0].vat.amount, 61689);
  EXPECT_EQ(totals.vat[0].net.amount, 268211);
  EXPECT_EQ(totals.vat[0].gross.amount, 329900);
}

TEST(Totals, EveryComponentIsCountedOnceAndGroupedByItsRate) {
  const auto view = fold({
      cart_event(1, "CartItemAdded", Line{"tv", 329900}),
      cart_event(2, "CartItemAdded", Line{"book", 4999, 2, "accessory", "books"}),
      cart_event(3, "CartItemAdded", Line{"carry", 4900, 1, "service", "service", "tv"}),
      testing::warranty_selected(1, "tv", 39900),
      testing::method_selected(1, "courier", 14900),
      testing::date_selected(2, "courier", 2000),
      testing::addons_selected(3, {4900, 0}),
      testing::payment_selected(1, "cash_on_delivery", 500),
  });
  const auto totals = compute_totals(view, rules());
  EXPECT_EQ(totals.lines_total.amount, 329900 + 2 * 4999 + 4900);
  EXPECT_EQ(totals.warranties_total.amount, 39900);
  EXPECT_EQ(totals.shipping_total.amount, 14900 + 2000 + 4900);
  EXPECT_EQ(totals.payment_fee.amount, 500);
  EXPECT_EQ(totals.discount_total.amount, 0);
  EXPECT_EQ(totals.grand_total.amount, 329900 + 9998 + 4900 + 39900 + 21800 + 500);
  const auto* standard = group(totals, "23%");
  ASSERT_NE(standard, nullptr);
  EXPECT_EQ(standard->gross.amount, 329900 + 21800 + 500);
  EXPECT_EQ(standard->vat.amount, vat_in_gross(352200, {23, false}));
  ASSERT_NE(group(totals, "5%"), nullptr);
  EXPECT_EQ(group(totals, "5%")->gross.amount, 9998);
  ASSERT_NE(group(totals, "8%"), nullptr);
  EXPECT_EQ(group(totals, "8%")->gross.amount, 4900);
  ASSERT_NE(group(totals, "zw"), nullptr);
  EXPECT_EQ(group(totals, "zw")->vat.amount, 0);
  EXPECT_EQ(group(totals, "zw")->net.amount, 39900);
  std::int64_t gross = 0;
  for (const auto& g : totals.vat) {
    EXPECT_EQ(g.net.amount + g.vat.amount, g.gross.amount);
    gross += g.gross.amount;
  }
  EXPECT_EQ(gross, totals.grand_total.amount);
}

TEST(Totals, AWarrantyOfARemovedLineAndADayOfAnotherMethodAreNotCounted) {
  const auto view = fold({
      cart_event(1, "CartItemAdded", Line{"tv", 329900}),
      cart_event(2, "CartItemAdded", Line{"fridge", 259900, 1, "offer", "fridge"}),
      testing::warranty_selected(1, "fridge", 29900),
      cart_event(3, "CartItemRemoved", Line{"fridge", 259900, 1, "offer", "fridge"}),
      testing::method_selected(1, "courier", 14900),
      testing::date_selected(2, "courier", 2000),
      testing::method_selected(3, "parcel_locker", 1299, false, "parcel_locker"),
  });
  const auto totals = compute_totals(view, rules());
  EXPECT_EQ(totals.warranties_total.amount, 0);
  EXPECT_EQ(totals.shipping_total.amount, 1299);
  EXPECT_EQ(totals.grand_total.amount, 329900 + 1299);
}

TEST(Totals, AnAllocatedDiscountReducesItsOwnLinesRate) {
  const auto view = fold({
      cart_event(1, "CartItemAdded", Line{"tv", 300000}),
      cart_event(2, "CartItemAdded", Line{"book", 100000, 1, "accessory", "books"}),
      testing::promotion_applied(1, "book_sale", {{"book", 10000}}),
  });
  const auto totals = compute_totals(view, rules());
  EXPECT_EQ(totals.discount_total.amount, 10000);
  EXPECT_EQ(totals.grand_total.amount, 390000);
  EXPECT_EQ(group(totals, "5%")->gross.amount, 90000);
  EXPECT_EQ(group(totals, "23%")->gross.amount, 300000);
}

TEST(Totals, AnUnallocatedDiscountIsSpreadOverTheGoodsInProportion) {
  const auto view = fold({
      cart_event(1, "CartItemAdded", Line{"tv", 300000}),
      cart_event(2, "CartItemAdded", Line{"book", 100001, 1, "accessory", "books"}),
      testing::method_selected(1, "courier", 14900, false),
      testing::promotion_applied(1, "cart_10", {}, 10001),
  });
  const auto totals = compute_totals(view, rules());
  EXPECT_EQ(totals.discount_total.amount, 10001);
  // 300 000 / 400 001 × 10 001 = 7 500.56 and 100 001 / 400 001 × 10 001 = 2 500.44: the
  // larger remainder takes the grosz left over; delivery keeps its price.
  EXPECT_EQ(group(totals, "23%")->gross.amount, 300000 - 7501 + 14900);
  EXPECT_EQ(group(totals, "5%")->gross.amount, 100001 - 2500);
  EXPECT_EQ(totals.grand_total.amount, 400001 + 14900 - 10001);
}

TEST(Totals, ADiscountNeverPassesTheGoodsAndFreeDeliveryDropsTheMethodPrice) {
  const auto view = fold({
      cart_event(1, "CartItemAdded", Line{"cable", 5000}),
      testing::method_selected(1, "courier", 14900, false),
      testing::addons_selected(2, {2000}),
      testing::promotion_applied(1, "too_much", {{"cable", 9000}}, 0, true),
  });
  const auto totals = compute_totals(view, rules());
  EXPECT_EQ(totals.discount_total.amount, 5000);
  EXPECT_EQ(totals.shipping_total.amount, 2000);
  EXPECT_EQ(totals.grand_total.amount, 2000);
}

}  // namespace
}  // namespace checkout
