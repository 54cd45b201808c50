#pragma once
// Which warranty plans a cart line may have and what they cost: the rules (warranty_rules.hpp)
// applied to one line of the Warranty's copy of the cart. Pure: no I/O, thread-compatible values.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "platform/money.hpp"
#include "warranty_rules.hpp"

namespace warranty {

// Why a plan is not offered: a stable code and a Polish sentence for the customer.
struct Reason {
  std::string code;  // not_a_product, no_manufacturer_warranty, category_not_covered,
                     // price_out_of_range
  std::string message;
  friend bool operator==(const Reason&, const Reason&) = default;
};

// One plan for one line: its price per unit when offered, or why not.
struct Offer {
  const Plan* plan = nullptr;    // into the rules the offer was computed from
  platform::Money unit_price;    // per unit of the line; 0 when not offered
  std::optional<Reason> reason;  // set when not offered
  [[nodiscard]] bool offered() const { return !reason; }
};

// The price of one unit's plan for a product of `unit_price`, or nullopt when the price is in
// none of the plan's bands. Shares round half up to the grosz, then min and max hold.
[[nodiscard]] std::optional<platform::Money> plan_unit_price(const Plan& plan,
                                                             const platform::Money& unit_price);

// `plan` judged for `line`.
[[nodiscard]] Offer offer_for(const WarrantyRules& rules, const Plan& plan,
                              const contracts::CartLine& line);

// Every plan of the rules judged for `line`, in the rules' order.
[[nodiscard]] std::vector<Offer> offers_for(const WarrantyRules& rules,
                                            const contracts::CartLine& line);

}  // namespace warranty
