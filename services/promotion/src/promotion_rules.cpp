#include "promotion_rules.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "contracts/catalog_product.hpp"
#include "contracts/sku.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/rules/identifier.hpp"

namespace promotion {
namespace {
using platform::rules::Node;
using platform::rules::quote;

constexpr std::size_t kMaxNameLength = 200;
constexpr std::int64_t kMaxGrosze = 100'000'000'00;  // 100 million zł: far above any cart
constexpr std::int64_t kMaxBuy = 100;
constexpr std::int64_t kMaxComponentCount = 99;
constexpr std::int64_t kMaxGlobalLimit = 1'000'000'000;
constexpr std::int64_t kMaxPerCustomerLimit = 1'000'000;
constexpr std::int64_t kMaxHoldMinutes = std::int64_t{24} * 60;
constexpr std::size_t kMaxCodeLength = 32;
constexpr std::size_t kMinCodeLength = 3;
constexpr std::size_t kMaxPrefixLength = 40;

constexpr std::array<std::pair<std::string_view, RuleKind>, 7> kKinds = {{
    {"percent_off", RuleKind::percent_off},
    {"amount_off", RuleKind::amount_off},
    {"second_item_discount", RuleKind::second_item_discount},
    {"buy_n_get_one_free", RuleKind::buy_n_get_one_free},
    {"cart_threshold", RuleKind::cart_threshold},
    {"free_delivery", RuleKind::free_delivery},
    {"bundle", RuleKind::bundle},
}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "2026-12-01 00:00" in Warsaw → the instant; nullopt when the text is not of that shape.
std::optional<platform::TimePoint> warsaw_minute(std::string_view text) {
  constexpr std::size_t kLength = 16;  // YYYY-MM-DD HH:MM
  if (text.size() != kLength || text[10] != ' ' || text[13] != ':') return std::nullopt;
  const auto date = platform::parse_date(text.substr(0, 10));
  if (!date || !is_digit(text[11]) || !is_digit(text[12]) || !is_digit(text[14]) ||
      !is_digit(text[15])) {
    return std::nullopt;
  }
  const int hour = ((text[11] - '0') * 10) + (text[12] - '0');
  const int minute = ((text[14] - '0') * 10) + (text[15] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return platform::from_warsaw(*date, std::chrono::minutes(hour * 60 + minute));
}

std::optional<platform::TimePoint> read_time(const Node& node, std::optional<std::string>& text) {
  if (!node.present()) return std::nullopt;
  text = node.string();
  const auto at = warsaw_minute(*text);
  if (!at) {
    node.fail(node.describe() +
              " must be a Warsaw local time \"YYYY-MM-DD HH:MM\" (like \"2026-12-01 00:00\"), "
              "got " +
              quote(*text));
  }
  return at;
}

std::int64_t read_percent(const Node& node) {
  const std::string text = node.string();
  const auto bp = basis_points(text);
  if (!bp || *bp <= 0 || *bp > kWholeBp) {
    node.fail(node.describe() +
              " must be a percentage above 0 and at most 100, with at most two decimals (like "
              "\"10%\" or \"7.5%\"), got " +
              quote(text));
  }
  return *bp;
}

std::string read_sku(const Node& node) {
  std::string sku = node.string();
  if (!contracts::is_sku(sku)) {
    node.fail("expected a catalog sku (3 to 40 capital letters, digits or -), got " + quote(sku));
  }
  return sku;
}

const Brand* find_brand(const std::vector<Brand>& brands, std::string_view name) {
  const auto it =
      std::find_if(brands.begin(), brands.end(), [&](const Brand& b) { return b.name == name; });
  return it == brands.end() ? nullptr : &*it;
}

void finish_target(Target& target, const std::vector<Brand>& brands) {
  for (const auto& category : target.categories) {
    const auto it =
        std::find(contracts::kGoodsCategories.begin(), contracts::kGoodsCategories.end(), category);
    target.category_bits |= 1U << static_cast<unsigned>(it - contracts::kGoodsCategories.begin());
  }
  for (const auto& name : target.brands) {
    const auto* brand = find_brand(brands, name);
    target.sku_prefixes.insert(target.sku_prefixes.end(), brand->sku_prefixes.begin(),
                               brand->sku_prefixes.end());
  }
}

std::vector<std::string> read_brand_names(const Node& node, const std::vector<Brand>& brands) {
  std::vector<std::string> names;
  if (!node.present()) return names;
  for (const Node& item : node.items()) {
    std::string name = item.identifier();
    if (find_brand(brands, name) == nullptr) {
      item.fail(quote(name) + " is not a brand of 'brands' at the top of the file");
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      item.fail(quote(name) + " is listed twice");
    }
    names.push_back(std::move(name));
  }
  return names;
}

Target read_target(const Node& node, const std::vector<Brand>& brands) {
  node.only_keys({"skus", "categories", "brands"});
  Target target;
  if (node["skus"].present()) {
    for (const Node& item : node["skus"].items()) {
      std::string sku = read_sku(item);
      if (std::find(target.skus.begin(), target.skus.end(), sku) != target.skus.end()) {
        item.fail(quote(sku) + " is listed twice");
      }
      target.skus.push_back(std::move(sku));
    }
  }
  target.categories = node["categories"].distinct_one_of(contracts::kGoodsCategories);
  target.brands = read_brand_names(node["brands"], brands);
  if (target.whole_cart()) {
    node.fail(
        "'target' must list at least one of skus, categories, brands (leave 'target' out for "
        "every product in the cart)");
  }
  finish_target(target, brands);
  return target;
}

Component read_component(const Node& node, const std::vector<Brand>& brands) {
  node.only_keys({"sku", "category", "brand", "count"});
  Component component;
  int given = 0;
  if (node["sku"].present()) {
    component.target.skus.push_back(read_sku(node["sku"]));
    ++given;
  }
  if (node["category"].present()) {
    const Node category = node["category"];
    std::string name = category.string();
    if (std::find(contracts::kGoodsCategories.begin(), contracts::kGoodsCategories.end(), name) ==
        contracts::kGoodsCategories.end()) {
      category.fail(quote(name) +
                    " is not a catalog category of goods (tv, fridge, washing_machine, "
                    "dishwasher, furniture, laptop, phone, accessory)");
    }
    component.target.categories.push_back(std::move(name));
    ++given;
  }
  if (node["brand"].present()) {
    const Node brand = node["brand"];
    std::string name = brand.identifier();
    if (find_brand(brands, name) == nullptr) {
      brand.fail(quote(name) + " is not a brand of 'brands' at the top of the file");
    }
    component.target.brands.push_back(std::move(name));
    ++given;
  }
  if (given != 1) node.fail("a bundle component gives exactly one of sku, category, brand");
  component.count = node["count"].present() ? node["count"].integer(1, kMaxComponentCount) : 1;
  finish_target(component.target, brands);
  return component;
}

std::vector<Brand> read_brands(const Node& node) {
  std::vector<Brand> brands;
  if (!node.present()) return brands;
  for (auto& [name, prefixes] : node.entries()) {
    if (!platform::rules::is_identifier(name)) {
      prefixes.fail(
          "a brand name must be lowercase letters, digits and _ (like \"samsung\"), got " +
          quote(name));
    }
    Brand brand{.name = name, .sku_prefixes = {}};
    for (const Node& item : prefixes.items()) {
      std::string prefix = item.string();
      const bool sku_characters = std::all_of(prefix.begin(), prefix.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-';
      });
      if (!sku_characters || prefix.size() > kMaxPrefixLength) {
        item.fail("a sku prefix is up to 40 capital letters, digits or - (like \"TV-SAM-\"), got " +
                  quote(prefix));
      }
      brand.sku_prefixes.push_back(std::move(prefix));
    }
    if (brand.sku_prefixes.empty()) {
      prefixes.fail("brand " + quote(name) + " must list at least one sku prefix");
    }
    brands.push_back(std::move(brand));
  }
  return brands;
}

// Fails at `key` when it is given but does not go with the promotion's kind.
void only_for(const Node& node, std::string_view key, bool allowed, std::string_view kinds) {
  if (!allowed && node[key].present()) {
    node[key].fail("'" + std::string(key) + "' goes only with kind " + std::string(kinds));
  }
}

void read_kind_values(const Node& node, Promotion& promotion, const std::vector<Brand>& brands) {
  const auto kind = promotion.rule_kind;
  using enum RuleKind;
  const bool percent_kinds = kind == percent_off || kind == second_item_discount ||
                             kind == cart_threshold || kind == bundle;
  const bool amount_kinds = kind == amount_off || kind == cart_threshold || kind == bundle;
  only_for(node, "percent", percent_kinds,
           "percent_off, second_item_discount, cart_threshold or bundle");
  only_for(node, "amount", amount_kinds, "amount_off, cart_threshold or bundle");
  only_for(node, "per", kind == amount_off, "amount_off");
  only_for(node, "buy", kind == buy_n_get_one_free, "buy_n_get_one_free");
  only_for(node, "components", kind == bundle, "bundle");
  if (kind == bundle && node["target"].present()) {
    node["target"].fail("a bundle has no 'target': its 'components' say what it is about");
  }
  if (node["target"].present()) promotion.target = read_target(node["target"], brands);

  const Node percent = node["percent"];
  const Node amount = node["amount"];
  if (kind == cart_threshold || kind == bundle) {
    if (percent.present() == amount.present()) {
      node.fail("a " + promotion.kind +
                " gives either 'percent' (like \"10%\") or 'amount' (grosze), not both");
    }
  }
  if (percent_kinds && (percent.present() || kind == percent_off || kind == second_item_discount)) {
    promotion.percent_bp = read_percent(percent);
  }
  if (amount_kinds && (amount.present() || kind == amount_off)) {
    promotion.amount = amount.integer(1, kMaxGrosze);
  }
  if (kind == amount_off) {
    promotion.per =
        node["per"].one_of<AmountPer>({{"unit", AmountPer::unit}, {"cart", AmountPer::cart}});
  }
  if (kind == buy_n_get_one_free) promotion.buy = node["buy"].integer(1, kMaxBuy);
  if (kind == bundle) {
    const Node components = node["components"];
    promotion.components =
        components.list([&](const Node& item) { return read_component(item, brands); });
    std::int64_t units = 0;
    for (const auto& component : promotion.components) units += component.count;
    if (units < 2) {
      components.fail("a bundle's 'components' must add up to at least 2 products");
    }
  }
  const Node min_value = node["min_value"];
  if (kind == cart_threshold || min_value.present()) {
    promotion.min_value = min_value.integer(1, kMaxGrosze);
  }
}

void read_code(const Node& node, Promotion& promotion) {
  const Node code = node["code"];
  if (code.present()) {
    std::string text = code.string();
    if (!is_code(text)) {
      code.fail("'code' must be 3 to 32 capital letters, digits, _ or - (like \"TV50\"), got " +
                quote(text));
    }
    if (promotion.opt_in) {
      node["opt_in"].fail(
          "a promotion with a 'code' applies when the customer applies the code: leave out "
          "'opt_in'");
    }
    promotion.code = std::move(text);
  } else {
    for (const auto* key : {"code_global_limit", "code_per_customer_limit", "code_hold_minutes"}) {
      if (node[key].present()) node[key].fail(std::string("'") + key + "' goes only with a 'code'");
    }
    return;
  }
  promotion.code_global_limit = node["code_global_limit"].optional_integer(1, kMaxGlobalLimit);
  promotion.code_per_customer_limit =
      node["code_per_customer_limit"].optional_integer(1, kMaxPerCustomerLimit);
  if (const auto minutes = node["code_hold_minutes"].optional_integer(1, kMaxHoldMinutes)) {
    promotion.code_hold = std::chrono::minutes(*minutes);
  }
}

Promotion read_promotion(const Node& node, const std::vector<Brand>& brands) {
  node.only_keys({"id",
                  "name",
                  "kind",
                  "target",
                  "percent",
                  "amount",
                  "per",
                  "buy",
                  "components",
                  "min_value",
                  "priority",
                  "exclusive_group",
                  "stop_further",
                  "opt_in",
                  "code",
                  "valid_from",
                  "valid_to",
                  "code_global_limit",
                  "code_per_customer_limit",
                  "code_hold_minutes"});
  Promotion promotion;
  promotion.id = node["id"].identifier();
  promotion.name = node["name"].text(kMaxNameLength);
  promotion.rule_kind = node["kind"].one_of<RuleKind>({{kKinds[0].first, kKinds[0].second},
                                                       {kKinds[1].first, kKinds[1].second},
                                                       {kKinds[2].first, kKinds[2].second},
                                                       {kKinds[3].first, kKinds[3].second},
                                                       {kKinds[4].first, kKinds[4].second},
                                                       {kKinds[5].first, kKinds[5].second},
                                                       {kKinds[6].first, kKinds[6].second}});
  promotion.kind = std::string(to_string(promotion.rule_kind));
  read_kind_values(node, promotion, brands);
  if (node["priority"].present()) {
    promotion.priority = node["priority"].integer(-kMaxPriority, kMaxPriority);
  }
  if (node["exclusive_group"].present()) {
    promotion.exclusive_group = node["exclusive_group"].identifier();
  }
  if (node["stop_further"].present()) promotion.stop_further = node["stop_further"].boolean();
  if (node["opt_in"].present()) promotion.opt_in = node["opt_in"].boolean();
  read_code(node, promotion);
  promotion.valid_from = read_time(node["valid_from"], promotion.valid_from_text);
  promotion.valid_to = read_time(node["valid_to"], promotion.valid_to_text);
  if (promotion.valid_from && promotion.valid_to && *promotion.valid_to <= *promotion.valid_from) {
    node["valid_to"].fail("'valid_to' must be after 'valid_from'");
  }
  return promotion;
}
template <class F>
void for_each_target(PromotionRules& rules, F&& use) {
  for (auto& promotion : rules.promotions) {
    use(promotion.target);
    for (auto& component : promotion.components) use(component.target);
  }
}

// The terms of PromotionRules and each target's ids among them.
void index_terms(PromotionRules& rules) {
  for_each_target(rules, [&](const Target& target) {
    rules.sku_terms.insert(rules.sku_terms.end(), target.skus.begin(), target.skus.end());
    rules.prefix_terms.insert(rules.prefix_terms.end(), target.sku_prefixes.begin(),
                              target.sku_prefixes.end());
  });
  for (auto* terms : {&rules.sku_terms, &rules.prefix_terms}) {
    std::sort(terms->begin(), terms->end());
    terms->erase(std::unique(terms->begin(), terms->end()), terms->end());
  }
  const auto id_in = [](const std::vector<std::string>& terms, const std::string& term) {
    return static_cast<std::uint32_t>(std::lower_bound(terms.begin(), terms.end(), term) -
                                      terms.begin());
  };
  const auto skus = static_cast<std::uint32_t>(rules.sku_terms.size());
  for_each_target(rules, [&](Target& target) {
    for (const auto& sku : target.skus) target.term_ids.push_back(id_in(rules.sku_terms, sku));
    for (const auto& prefix : target.sku_prefixes) {
      target.term_ids.push_back(skus + id_in(rules.prefix_terms, prefix));
    }
  });
}
}  // namespace

std::string_view to_string(RuleKind kind) {
  for (const auto& [name, value] : kKinds) {
    if (value == kind) return name;
  }
  return "percent_off";
}

bool is_code(std::string_view code) {
  return code.size() >= kMinCodeLength && code.size() <= kMaxCodeLength &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-';
         });
}

bool Promotion::active_at(platform::TimePoint now) const {
  return (!valid_from || now >= *valid_from) && (!valid_to || now < *valid_to);
}

const Promotion* PromotionRules::by_id(std::string_view id) const {
  const auto it = std::find_if(promotions.begin(), promotions.end(),
                               [&](const Promotion& p) { return p.id == id; });
  return it == promotions.end() ? nullptr : &*it;
}

const Promotion* PromotionRules::by_code(std::string_view code) const {
  const auto it = std::find_if(promotions.begin(), promotions.end(),
                               [&](const Promotion& p) { return p.code && *p.code == code; });
  return it == promotions.end() ? nullptr : &*it;
}

PromotionRules parse_promotion_rules(const Node& root) {
  root.only_keys({"brands", "near_miss_within", "promotions"});
  PromotionRules rules;
  rules.brands = read_brands(root["brands"]);
  if (root["near_miss_within"].present()) {
    rules.near_miss_within_bp = read_percent(root["near_miss_within"]);
  }
  const Node promotions = root["promotions"];
  const auto items = promotions.items();
  if (items.size() > kMaxPromotions) {
    items[kMaxPromotions].fail("'promotions' may list at most " + std::to_string(kMaxPromotions) +
                               " promotions");
  }
  rules.promotions.reserve(items.size());
  for (const Node& item : items) {
    Promotion promotion = read_promotion(item, rules.brands);
    if (rules.by_id(promotion.id) != nullptr) {
      item["id"].fail("promotion id " + quote(promotion.id) + " is used twice");
    }
    if (promotion.code && rules.by_code(*promotion.code) != nullptr) {
      item["code"].fail("code " + quote(*promotion.code) + " is used twice");
    }
    if (promotion.exclusive_group) {
      auto& groups = rules.exclusive_groups;
      const auto it = std::find(groups.begin(), groups.end(), *promotion.exclusive_group);
      promotion.group_index = static_cast<std::int32_t>(it - groups.begin());
      if (it == groups.end()) groups.push_back(*promotion.exclusive_group);
    }
    rules.promotions.push_back(std::move(promotion));
  }
  index_terms(rules);
  return rules;
}

}  // namespace promotion
