#include "totals.hpp"

#include <algorithm>
#include <map>

namespace checkout {
namespace {

using Groups = std::map<VatRate, std::int64_t, std::greater<>>;

std::int64_t discount_of(const CheckoutView& view, const std::string& item_id,
                         std::int64_t line_total) {
  std::int64_t discount = 0;
  for (const auto& promotion : view.promotion.applied) {
    for (const auto& allocation : promotion.allocations) {
      if (allocation.item_id == item_id) discount += allocation.amount.amount;
    }
  }
  return std::min(discount, line_total);
}

// Spreads `amount` over the groups in proportion to their gross (largest remainder), never
// below zero in any group.
void spread_discount(Groups& goods, std::int64_t amount) {
  std::int64_t base = 0;
  for (const auto& [rate, gross] : goods) base += gross;
  if (base <= 0 || amount <= 0) return;
  amount = std::min(amount, base);
  struct Share {
    VatRate rate;
    std::int64_t whole;
    std::int64_t remainder;
  };
  std::vector<Share> shares;
  std::int64_t given = 0;
  for (const auto& [rate, gross] : goods) {
    // 128-bit product: gross × amount can pass 2^63 for very large carts.
    const auto product = static_cast<__int128>(gross) * amount;
    const auto whole = static_cast<std::int64_t>(product / base);
    shares.push_back({rate, whole, static_cast<std::int64_t>(product % base)});
    given += whole;
  }
  std::stable_sort(shares.begin(), shares.end(),
                   [](const Share& a, const Share& b) { return a.remainder > b.remainder; });
  for (auto& share : shares) {
    if (given == amount) break;
    ++share.whole;
    ++given;
  }
  for (const auto& share : shares) goods[share.rate] -= share.whole;
}

}  // namespace

std::int64_t vat_in_gross(std::int64_t gross, const VatRate& rate) {
  if (rate.exempt || rate.percent == 0 || gross == 0) return 0;
  const auto numerator = static_cast<__int128>(gross < 0 ? -gross : gross) * rate.percent * 2;
  const auto denominator = static_cast<__int128>(100 + rate.percent) * 2;
  const auto vat = static_cast<std::int64_t>((numerator + denominator / 2) / denominator);
  return gross < 0 ? -vat : vat;
}

bool counts(const CheckoutView& view, const WarrantyChoice& warranty) {
  return view.cart.find(warranty.item_id) != nullptr;
}

bool day_counts(const ShippingPart& shipping) {
  return shipping.method && shipping.day && shipping.day->method_id == shipping.method->method_id;
}

bool free_delivery(const PromotionPart& promotion) {
  return std::any_of(promotion.applied.begin(), promotion.applied.end(),
                     [](const AppliedPromotion& p) { return p.free_delivery; });
}

Totals compute_totals(const CheckoutView& view, const VatRules& vat) {
  Totals totals;
  Groups goods;   // what discounts may reduce
  Groups others;  // delivery and fees
  std::int64_t allocated = 0;
  for (const auto& line : view.cart.lines) {
    const auto gross = line.line_total().amount;
    totals.lines_total.amount += gross;
    const auto discount = discount_of(view, line.item_id, gross);
    allocated += discount;
    const auto& rate = line.is_service() ? vat.services : vat.for_category(line.category);
    goods[rate] += gross - discount;
  }
  for (const auto& warranty : view.warranty.choices) {
    if (!counts(view, warranty)) continue;
    totals.warranties_total.amount += warranty.price.amount;
    goods[vat.warranties] += warranty.price.amount;
  }
  const auto& shipping = view.shipping;
  if (shipping.method) {
    if (!free_delivery(view.promotion))
      totals.shipping_total.amount += shipping.method->price.amount;
    if (day_counts(shipping)) totals.shipping_total.amount += shipping.day->surcharge.amount;
    for (const auto& addon : shipping.addons) totals.shipping_total.amount += addon.price.amount;
  }
  others[vat.delivery] += totals.shipping_total.amount;
  if (view.payment.method) totals.payment_fee = view.payment.method->fee;
  others[vat.payment_fee] += totals.payment_fee.amount;

  std::int64_t promised = 0;
  for (const auto& promotion : view.promotion.applied) promised += promotion.discount.amount;
  std::int64_t goods_left = 0;
  for (const auto& [rate, gross] : goods) goods_left += gross;
  const auto unallocated = std::clamp<std::int64_t>(promised - allocated, 0, goods_left);
  spread_discount(goods, unallocated);
  totals.discount_total.amount = allocated + unallocated;

  totals.grand_total.amount = totals.lines_total.amount + totals.warranties_total.amount +
                              totals.shipping_total.amount + totals.payment_fee.amount -
                              totals.discount_total.amount;
  for (const auto& [rate, gross] : others) goods[rate] += gross;
  for (const auto& [rate, gross] : goods) {
    if (gross == 0) continue;
    const auto tax = vat_in_gross(gross, rate);
    totals.vat.push_back(
        VatGroup{rate, platform::pln(gross - tax), platform::pln(tax), platform::pln(gross)});
  }
  return totals;
}

}  // namespace checkout
