#pragma once
// The warranty rules a shop employee edits (config/warranty_rules.yaml): which warranty plans the
// shop sells, for which products, at what price. Parsed into plain structs at start and on
// SIGHUP (platform/rules); a bad file is rejected with its line and column. Pure: no I/O.
//
// The YAML shape (config/warranty_rules.yaml explains every key to a shop employee):
//
//   manufacturer_warranty:            # plans are sold only for products with one
//     months: { tv: 24, phone: 24 }   # by catalog category; a category not listed has none
//     skus_without: [TV-OUTLET-1]     # optional: products sold without one (outlet, refurbished)
//   plans:                            # in the order customers see them; at most 30
//     - id: ext_12m                   # ^[a-z][a-z0-9_]{0,63}$, unique
//       kind: extended                # extended | accidental_damage | theft
//       name: Gwarancja rozszerzona +1 rok   # Polish, at most 200 characters
//       duration_months: 12           # 1..120
//       categories: [tv, laptop]      # the catalog's goods categories the plan is sold for
//       prices:                       # by the unit price of the product, in grosze; bands in
//         - { from: 1, to: 99999, share: "10%", min: 4900 }   # ascending order, each starting
//         - { from: 100000, fixed: 39900 }                     # one grosz above the last `to`;
//                                     # no `to` on the last band: no upper limit. A band gives
//                                     # either `share` (a percentage of the unit price, up to two
//                                     # decimals: "7.5%") with optional `min` / `max`, or `fixed`.
//
// Prices: a plan costs the same for each unit of its line (one plan per unit). A share is
// computed per unit in grosze and rounded half up to the grosz (commercial rounding: 0.5 gr
// and more up, less down), then held between `min` and `max`; the line's price is that unit
// price times the line's quantity, so it never carries a rounding of its own.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/money.hpp"
#include "platform/rules/node.hpp"

namespace warranty {

// What a plan covers. A line holds at most one plan of each kind.
enum class PlanKind { extended, accidental_damage, theft };
std::string_view to_string(PlanKind kind);
// nullopt for any other text.
std::optional<PlanKind> plan_kind_from(std::string_view text);

// The price of one unit's plan for unit prices in [from, to] (grosze, inclusive).
struct PriceBand {
  std::int64_t from = 1;
  std::optional<std::int64_t> to;         // nullopt: no upper limit
  std::optional<std::int64_t> share_bp;   // basis points of the unit price (750 = 7.5%)
  std::optional<std::int64_t> fixed;      // grosze
  std::optional<std::int64_t> min_price;  // share only
  std::optional<std::int64_t> max_price;  // share only
  friend bool operator==(const PriceBand&, const PriceBand&) = default;
};

struct Plan {
  std::string id;  // ext_24m, accidental_24m, theft_12m: the events' plan_id
  PlanKind kind = PlanKind::extended;
  std::string name;  // in Polish, shown to customers
  std::int64_t duration_months = 12;
  std::vector<std::string> categories;
  std::vector<PriceBand> prices;  // ascending, contiguous
  friend bool operator==(const Plan&, const Plan&) = default;
};

struct WarrantyRules {
  std::map<std::string, std::int64_t> manufacturer_months;  // category → months (> 0)
  std::vector<std::string> skus_without;  // products without a manufacturer's warranty
  std::vector<Plan> plans;                // in the order customers see them
  friend bool operator==(const WarrantyRules&, const WarrantyRules&) = default;

  // nullptr when unknown.
  [[nodiscard]] const Plan* plan(std::string_view id) const;
  // The manufacturer's warranty of a product, in months; 0: none.
  [[nodiscard]] std::int64_t manufacturer_months_for(std::string_view category,
                                                     std::string_view sku) const;
};

inline constexpr std::size_t kMaxPlans = 30;
inline constexpr std::int64_t kMaxDurationMonths = 120;  // WarrantySelected.duration_months

// Reads the rules document (shape above); throws platform::rules::RulesError naming the line and
// column of the first mistake: unknown keys, ids that are not ids or are used twice, categories
// the catalog does not have (or "service"), a plan for a category without a manufacturer's
// warranty, bands out of order, overlapping or with a gap, a band with both or neither of share
// and fixed, min/max with fixed or min above max, a share that is not a percentage with at most
// two decimals between 0 and 100%.
WarrantyRules parse_warranty_rules(const platform::rules::Node& root);

}  // namespace warranty
