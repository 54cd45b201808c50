#include "offers.hpp"

#include <algorithm>

#include "platform/polish_format.hpp"
#include "platform/rules/percentage.hpp"

namespace warranty {
namespace {
constexpr std::int64_t kWholeBp = platform::rules::kWholeBasisPoints;

// unit_price × bp / 10000, rounded half up. unit prices stay below 10^10 grosze and bp at most
// 10^4 (warranty_rules.cpp), so the product fits an int64.
std::int64_t share_of(std::int64_t unit_price, std::int64_t bp) {
  return (unit_price * bp + kWholeBp / 2) / kWholeBp;
}

std::string range_text(const Plan& plan) {
  const auto& first = plan.prices.front();
  const auto& last = plan.prices.back();
  std::string text = "od " + platform::polish_price(platform::pln(first.from));
  if (last.to) text += " do " + platform::polish_price(platform::pln(*last.to));
  return text;
}
}  // namespace

std::optional<platform::Money> plan_unit_price(const Plan& plan,
                                               const platform::Money& unit_price) {
  const auto price = unit_price.amount;
  for (const auto& band : plan.prices) {
    if (price < band.from || (band.to && price > *band.to)) continue;
    if (band.fixed) return platform::Money{*band.fixed, unit_price.currency};
    auto amount = share_of(price, *band.share_bp);
    if (band.min_price) amount = std::max(amount, *band.min_price);
    if (band.max_price) amount = std::min(amount, *band.max_price);
    return platform::Money{amount, unit_price.currency};
  }
  return std::nullopt;
}

Offer offer_for(const WarrantyRules& rules, const Plan& plan, const contracts::CartLine& line) {
  Offer offer{.plan = &plan,
              .unit_price = platform::Money{0, line.unit_price.currency},
              .reason = std::nullopt};
  if (line.type != "offer") {
    offer.reason =
        Reason{"not_a_product",
               "Gwarancję można dokupić tylko do produktu, nie do akcesorium ani usługi."};
    return offer;
  }
  if (rules.manufacturer_months_for(line.category, line.sku) == 0) {
    offer.reason = Reason{"no_manufacturer_warranty",
                          "Ten produkt nie ma gwarancji producenta: nie można jej przedłużyć ani "
                          "rozszerzyć."};
    return offer;
  }
  if (std::find(plan.categories.begin(), plan.categories.end(), line.category) ==
      plan.categories.end()) {
    offer.reason =
        Reason{"category_not_covered", plan.name + " nie obejmuje produktów tej kategorii."};
    return offer;
  }
  const auto price = plan_unit_price(plan, line.unit_price);
  if (!price) {
    offer.reason = Reason{"price_out_of_range",
                          plan.name + " obejmuje produkty w cenie " + range_text(plan) + "."};
    return offer;
  }
  offer.unit_price = *price;
  return offer;
}

std::vector<Offer> offers_for(const WarrantyRules& rules, const contracts::CartLine& line) {
  std::vector<Offer> offers;
  offers.reserve(rules.plans.size());
  for (const auto& plan : rules.plans) offers.push_back(offer_for(rules, plan, line));
  return offers;
}

}  // namespace warranty
