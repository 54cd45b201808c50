#pragma once
// The promotion rules the marketing team edits (config/promotion_rules.yaml): which promotions
// and discount codes the shop runs, on which products, how they stack. Parsed into plain structs
// at start and on SIGHUP (platform/rules); a bad file is rejected with its line and column. Pure:
// no I/O. What a promotion gives a cart is engine.hpp's business.
//
// The YAML shape (config/promotion_rules.yaml explains every key to a shop employee):
//
//   brands:                           # optional: a brand is a list of sku prefixes (the catalog
//     samsung: ["TV-SAM-", "PH-SAM-"] # has no brand field); names ^[a-z][a-z0-9_]{0,63}$
//   near_miss_within: "30%"           # optional (default 30%): a minimum value counts as almost
//                                     # met when the cart is this close below it
//   promotions:                       # at most 1000
//     - id: tv_second_half            # ^[a-z][a-z0-9_]{0,63}$, unique
//       name: Drugi telewizor 50% taniej   # Polish, at most 200 characters
//       kind: second_item_discount    # percent_off | amount_off | second_item_discount |
//                                     # buy_n_get_one_free | cart_threshold | free_delivery |
//                                     # bundle
//       target: { categories: [tv], skus: [...], brands: [samsung] }  # optional: lines that
//                                     # match ANY listed sku, category or brand; left out: every
//                                     # product line. Service lines never get a discount.
//       percent: "50%"                # percent_off, second_item_discount, cart_threshold, bundle:
//                                     # above 0, at most 100, up to two decimals ("7.5%")
//       amount: 10000                 # amount_off, cart_threshold, bundle: grosze (> 0)
//       per: unit                     # amount_off only, required: unit | cart
//       buy: 3                        # buy_n_get_one_free only: 1..100 ("3+1": every 4th free)
//       components:                   # bundle only: what makes one set, each one of sku,
//         - { category: tv, count: 1 }         # category or brand with a count (1..99)
//         - { sku: ACC-SB-SAM-HWQ600C, count: 1 }
//       min_value: 50000              # optional (required for cart_threshold): the value in
//                                     # grosze the targeted lines (no target: all product lines)
//                                     # must reach, at cart prices
//       priority: 100                 # optional, default 0, -1000..1000: higher applies first
//       exclusive_group: tv           # optional id: at most one promotion of a group applies
//       stop_further: false           # optional: when it applies, nothing after it does
//       opt_in: false                 # optional: applies only when the customer chooses it
//       code: TV50                    # optional, ^[A-Z0-9_-]{3,32}$, unique: applies only when
//                                     # the code is applied (not with opt_in)
//       valid_from: "2026-12-01 00:00"  # optional, Europe/Warsaw local time: from this minute
//       valid_to: "2027-01-01 00:00"    # optional: until this minute (it no longer applies at it)
//       code_global_limit: 1000       # optional, code only: uses in all, 1..10^9
//       code_per_customer_limit: 1    # optional, code only: uses per customer, 1..10^6
//       code_hold_minutes: 15         # optional, code only, default 15, 1..1440: how long an
//                                     # applied code's use is reserved before the order
//
// Kinds: percent_off takes `percent` of each targeted line (rounded half up to the grosz per
// line); amount_off takes `amount` from each targeted unit (per: unit) or once from the targeted
// lines together (per: cart, split over them by value); second_item_discount sorts the targeted
// units by price, highest first, pairs them, and takes `percent` off the cheaper of each pair;
// buy_n_get_one_free gives every (buy+1)-th targeted unit free, the cheapest units first;
// cart_threshold takes `percent` or `amount` off the targeted lines once their value reaches
// min_value; free_delivery makes delivery free once min_value is reached (no discount on lines);
// bundle takes `percent` or `amount` off each complete set of its components.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.hpp"
#include "platform/rules/node.hpp"
#include "platform/rules/percentage.hpp"

namespace promotion {

enum class RuleKind {
  percent_off,
  amount_off,
  second_item_discount,
  buy_n_get_one_free,
  cart_threshold,
  free_delivery,
  bundle,
};
// The kind's name in the file and in events ("second_item_discount").
std::string_view to_string(RuleKind kind);

// Which cart lines a promotion (or a bundle component) is about. Empty: every product line.
struct Target {
  std::vector<std::string> skus;
  std::vector<std::string> categories;  // the catalog's categories of goods
  std::vector<std::string> brands;      // names under `brands`
  // Precomputed at parse time: one bit per category of contracts::kGoodsCategories, the sku
  // prefixes of all the brands listed, and the skus and prefixes as PromotionRules::terms ids.
  std::uint32_t category_bits = 0;
  std::vector<std::string> sku_prefixes;
  std::vector<std::uint32_t> term_ids;

  [[nodiscard]] bool whole_cart() const {
    return skus.empty() && categories.empty() && brands.empty();
  }
  friend bool operator==(const Target&, const Target&) = default;
};

// One part of a bundle: `count` units of lines matching `target` (one sku, category or brand).
struct Component {
  Target target;
  std::int64_t count = 1;
  friend bool operator==(const Component&, const Component&) = default;
};

enum class AmountPer { unit, cart };

struct Promotion {
  std::string id;
  std::string name;  // Polish, shown to customers
  std::string kind;  // to_string(rule_kind): the rule kind name as events carry it
  RuleKind rule_kind = RuleKind::percent_off;
  bool opt_in = false;
  std::optional<std::string> code;  // upper case ^[A-Z0-9_-]{3,32}$
  std::optional<std::int64_t> code_global_limit;
  std::optional<std::int64_t> code_per_customer_limit;
  // How long an applied code's use is reserved before OrderCreated.
  std::chrono::seconds code_hold{900};
  // Parsed from Warsaw local "2026-12-01 00:00": applies at valid_from and later, before valid_to.
  std::optional<platform::TimePoint> valid_from, valid_to;
  std::optional<std::string> valid_from_text, valid_to_text;  // as written, for messages

  std::int64_t priority = 0;
  std::optional<std::string> exclusive_group;
  std::int32_t group_index = -1;  // into PromotionRules::exclusive_groups; -1: none
  bool stop_further = false;

  Target target;
  std::optional<std::int64_t> percent_bp;  // basis points: 750 = 7.5%
  std::optional<std::int64_t> amount;      // grosze
  AmountPer per = AmountPer::cart;         // amount_off only
  std::int64_t buy = 0;                    // buy_n_get_one_free only
  std::vector<Component> components;       // bundle only
  std::optional<std::int64_t> min_value;   // grosze, of the targeted lines at cart prices

  // Whether the promotion is in force at `now` (its valid_from/valid_to window).
  [[nodiscard]] bool active_at(platform::TimePoint now) const;
  friend bool operator==(const Promotion&, const Promotion&) = default;
};

struct Brand {
  std::string name;
  std::vector<std::string> sku_prefixes;
  friend bool operator==(const Brand&, const Brand&) = default;
};

struct PromotionRules {
  std::vector<Brand> brands;
  std::int64_t near_miss_within_bp = 3000;    // 30%
  std::vector<Promotion> promotions;          // in file order
  std::vector<std::string> exclusive_groups;  // every group named, in order of first mention
  // Every sku (sorted, ids 0..) and then every brand prefix (ids from sku_terms.size()) some
  // target names: a line's skus are matched against each once per evaluation, not per rule.
  std::vector<std::string> sku_terms;
  std::vector<std::string> prefix_terms;
  [[nodiscard]] std::size_t term_count() const { return sku_terms.size() + prefix_terms.size(); }
  friend bool operator==(const PromotionRules&, const PromotionRules&) = default;

  // nullptr when unknown. `code` as stored: upper case.
  [[nodiscard]] const Promotion* by_id(std::string_view id) const;
  [[nodiscard]] const Promotion* by_code(std::string_view code) const;
};

inline constexpr std::size_t kMaxPromotions = 1000;
inline constexpr std::int64_t kMaxPriority = 1000;
inline constexpr std::int64_t kWholeBp = 10'000;  // 100%

// Whether `code` has the shape of a discount code: ^[A-Z0-9_-]{3,32}$.
[[nodiscard]] bool is_code(std::string_view code);

// "10%", "7.5%", "7,25%" → basis points (1000, 750, 725); nullopt for any other text: the kit's
// reading of every rules file's percentages.
using platform::rules::basis_points;

// Reads the rules document (shape above); throws platform::rules::RulesError naming the line and
// column of the first mistake: unknown keys, keys that do not go with the promotion's kind (or
// with a promotion without a code), ids, codes or brands that have the wrong shape or are used
// twice, unknown categories or brands, skus that are not skus, a percentage that is not one, a
// window that ends before it starts or is not "YYYY-MM-DD HH:MM", a code with opt_in.
PromotionRules parse_promotion_rules(const platform::rules::Node& root);

}  // namespace promotion
