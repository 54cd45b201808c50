#include "warranty_rules.hpp"

#include <algorithm>
#include <utility>

#include "contracts/catalog_product.hpp"
#include "contracts/sku.hpp"
#include "platform/rules/percentage.hpp"

namespace warranty {
namespace {
using platform::rules::Node;
using platform::rules::quote;

constexpr std::size_t kMaxNameLength = 200;
constexpr std::int64_t kMaxGrosze = 100'000'000'00;  // 100 million zł: far above any product

PriceBand read_band(const Node& node) {
  node.only_keys({"from", "to", "share", "min", "max", "fixed"});
  PriceBand band{.from = node["from"].integer(1, kMaxGrosze),
                 .to = node["to"].optional_integer(1, kMaxGrosze),
                 .share_bp = std::nullopt,
                 .fixed = std::nullopt,
                 .min_price = std::nullopt,
                 .max_price = std::nullopt};
  if (band.to && *band.to < band.from) node["to"].fail("'to' must not be below 'from'");
  const Node share = node["share"];
  const Node fixed = node["fixed"];
  if (share.present() == fixed.present()) {
    node.fail("a price band gives either 'share' (a percentage of the price) or 'fixed' (grosze)");
  }
  if (fixed.present()) {
    band.fixed = fixed.integer(1, kMaxGrosze);
    for (const auto* key : {"min", "max"}) {
      if (node[key].present()) node[key].fail(std::string("'") + key + "' goes only with 'share'");
    }
    return band;
  }
  const auto bp = platform::rules::basis_points(share.string());
  if (!bp || *bp <= 0 || *bp > platform::rules::kWholeBasisPoints) {
    share.fail(
        "'share' must be a percentage above 0 and at most 100, with at most two "
        "decimals (like \"8%\" or \"7.5%\"), got " +
        quote(share.string()));
  }
  band.share_bp = bp;
  band.min_price = node["min"].optional_integer(1, kMaxGrosze);
  band.max_price = node["max"].optional_integer(1, kMaxGrosze);
  if (band.min_price && band.max_price && *band.max_price < *band.min_price) {
    node["max"].fail("'max' must not be below 'min'");
  }
  return band;
}

std::vector<PriceBand> read_prices(const Node& node) {
  std::vector<PriceBand> bands;
  const auto items = node.items();
  for (const Node& item : items) {
    PriceBand band = read_band(item);
    if (!bands.empty()) {
      const auto& last = bands.back();
      if (!last.to) item.fail("only the last price band may leave out 'to'");
      if (band.from != *last.to + 1) {
        item["from"].fail("bands must follow each other without gap or overlap: 'from' must be " +
                          std::to_string(*last.to + 1) + " (one grosz above the last 'to')");
      }
    }
    bands.push_back(band);
  }
  if (bands.empty()) node.fail("'prices' must list at least one price band");
  return bands;
}

Plan read_plan(const Node& node, const WarrantyRules& rules) {
  node.only_keys({"id", "kind", "name", "duration_months", "categories", "prices"});
  Plan plan;
  plan.id = node["id"].identifier();
  plan.kind = node["kind"].one_of<PlanKind>({{"extended", PlanKind::extended},
                                             {"accidental_damage", PlanKind::accidental_damage},
                                             {"theft", PlanKind::theft}});
  plan.name = node["name"].text(kMaxNameLength);
  plan.duration_months = node["duration_months"].integer(1, kMaxDurationMonths);
  const Node categories = node["categories"];
  plan.categories = categories.distinct_one_of(contracts::kGoodsCategories);
  if (plan.categories.empty()) categories.fail("'categories' must list at least one category");
  const auto items = categories.items();
  for (std::size_t i = 0; i < plan.categories.size(); ++i) {
    if (!rules.manufacturer_months.contains(plan.categories[i])) {
      items[i].fail(quote(plan.categories[i]) +
                    " has no manufacturer's warranty under 'manufacturer_warranty.months': "
                    "a plan is sold only for products that have one");
    }
  }
  plan.prices = read_prices(node["prices"]);
  return plan;
}

void read_manufacturer(const Node& node, WarrantyRules& rules) {
  node.only_keys({"months", "skus_without"});
  for (auto& [category, months] : node["months"].entries()) {
    if (std::find(contracts::kGoodsCategories.begin(), contracts::kGoodsCategories.end(),
                  category) == contracts::kGoodsCategories.end()) {
      months.fail(quote(category) + " is not a catalog category of goods");
    }
    rules.manufacturer_months[category] = months.integer(1, kMaxDurationMonths);
  }
  const Node skus = node["skus_without"];
  if (!skus.present()) return;
  for (const Node& item : skus.items()) {
    std::string sku = item.string();
    if (!contracts::is_sku(sku)) {
      item.fail("expected a catalog sku (3 to 40 capital letters, digits or -), got " + quote(sku));
    }
    if (std::find(rules.skus_without.begin(), rules.skus_without.end(), sku) !=
        rules.skus_without.end()) {
      item.fail(quote(sku) + " is listed twice");
    }
    rules.skus_without.push_back(std::move(sku));
  }
}
}  // namespace

std::string_view to_string(PlanKind kind) {
  switch (kind) {
    case PlanKind::extended:
      return "extended";
    case PlanKind::accidental_damage:
      return "accidental_damage";
    case PlanKind::theft:
      return "theft";
  }
  return "extended";
}

std::optional<PlanKind> plan_kind_from(std::string_view text) {
  for (const auto kind : {PlanKind::extended, PlanKind::accidental_damage, PlanKind::theft}) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

const Plan* WarrantyRules::plan(std::string_view id) const {
  const auto it =
      std::find_if(plans.begin(), plans.end(), [&](const Plan& plan) { return plan.id == id; });
  return it == plans.end() ? nullptr : &*it;
}

std::int64_t WarrantyRules::manufacturer_months_for(std::string_view category,
                                                    std::string_view sku) const {
  if (std::find(skus_without.begin(), skus_without.end(), sku) != skus_without.end()) return 0;
  const auto it = manufacturer_months.find(std::string(category));
  return it == manufacturer_months.end() ? 0 : it->second;
}

WarrantyRules parse_warranty_rules(const Node& root) {
  root.only_keys({"manufacturer_warranty", "plans"});
  WarrantyRules rules;
  read_manufacturer(root["manufacturer_warranty"], rules);
  const Node plans = root["plans"];
  const auto items = plans.items();
  for (const Node& item : items) {
    Plan plan = read_plan(item, rules);
    if (rules.plan(plan.id) != nullptr)
      item["id"].fail("plan id " + quote(plan.id) + " is used twice");
    rules.plans.push_back(std::move(plan));
  }
  if (rules.plans.empty()) plans.fail("'plans' must list at least one plan");
  if (rules.plans.size() > kMaxPlans) {
    items[kMaxPlans].fail("'plans' may list at most " + std::to_string(kMaxPlans) + " plans");
  }
  return rules;
}

}  // namespace warranty
