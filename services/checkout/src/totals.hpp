#pragma once
// The totals a session's view implies, with the VAT breakdown a Polish invoice shows. Pure.
//
// What is counted (every priced thing once, SPEC.md decision 1):
//   lines_total       every cart line (products, accessories, services): unit price × quantity
//   warranties_total  the chosen warranties of lines still in the cart (a warranty whose line
//                     is gone ends with it, whether or not WarrantyRemoved has arrived yet)
//   shipping_total    the delivery method's price (0 when a promotion gives free delivery), the
//                     chosen day's surcharge when the day was chosen for that method, the addons
//   payment_fee       the chosen payment method's fee
//   discount_total    the applied promotions' discounts, never more than the goods they reduce
//   grand_total       lines + warranties + shipping + fee − discount
//
// VAT (prices are gross; art. 106e ust. 7 of the VAT act, the "from gross" method): everything
// is grouped by its rate; a promotion's allocation reduces its own line's group, a discount
// that no line in the cart carries is spread over the goods groups in proportion to their
// gross (largest remainder, to the grosz). Per group, VAT = gross × rate / (100 + rate), rounded
// half up to the grosz (0.5 gr up), and net = gross − VAT, so net + VAT = gross in each group
// and the groups' gross add up to grand_total exactly.
#include <vector>

#include "checkout_rules.hpp"
#include "platform/money.hpp"
#include "view.hpp"

namespace checkout {

struct VatGroup {
  VatRate rate;
  platform::Money net;
  platform::Money vat;
  platform::Money gross;
  friend bool operator==(const VatGroup&, const VatGroup&) = default;
};

struct Totals {
  platform::Money lines_total;
  platform::Money warranties_total;
  platform::Money shipping_total;
  platform::Money payment_fee;
  platform::Money discount_total;
  platform::Money grand_total;
  std::vector<VatGroup> vat;  // by rate, highest first; exempt last
  friend bool operator==(const Totals&, const Totals&) = default;
};

// The VAT in a gross amount at `rate`, rounded half up to the grosz (exempt: 0).
std::int64_t vat_in_gross(std::int64_t gross, const VatRate& rate);

// Whether the warranty's line is still in the cart (only those are counted and shown).
bool counts(const CheckoutView& view, const WarrantyChoice& warranty);
// Whether the chosen day belongs to the chosen method (a day of another method is not counted).
bool day_counts(const ShippingPart& shipping);
bool free_delivery(const PromotionPart& promotion);

Totals compute_totals(const CheckoutView& view, const VatRules& vat);

}  // namespace checkout
