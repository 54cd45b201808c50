#include "services_rules.hpp"

#include <algorithm>
#include <utility>

#include "contracts/catalog_product.hpp"

namespace extra_services {
namespace {
using platform::rules::Node;
using platform::rules::quote;

constexpr std::int64_t kMaxGrams = 10'000'000;     // 10 t: far above any product
constexpr std::int64_t kMaxMillimetres = 100'000;  // 100 m
constexpr std::string_view kSkuPrefix = "SRV-";
constexpr std::size_t kMaxSkuSuffix = 36;  // 40 characters in all, as common.schema.json#/sku
constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxMessageLength = 500;

bool is_service_sku(std::string_view text) {
  if (!text.starts_with(kSkuPrefix)) return false;
  const auto suffix = text.substr(kSkuPrefix.size());
  return !suffix.empty() && suffix.size() <= kMaxSkuSuffix &&
         std::all_of(suffix.begin(), suffix.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::string read_sku(const Node& node) {
  std::string sku = node.string();
  if (!is_service_sku(sku)) {
    node.fail(node.describe() +
              " must be the catalog's service sku: SRV- and then 1 to 36 capital letters, digits "
              "or - (like \"SRV-CARRY-IN\"), got " +
              quote(sku));
  }
  return sku;
}

std::vector<DeliveryMethod> read_delivery_methods(const Node& node) {
  std::vector<DeliveryMethod> methods;
  for (const Node& item : node.items()) {
    item.only_keys({"id", "name"});
    DeliveryMethod method{.id = item["id"].identifier(), .name = item["name"].text(kMaxNameLength)};
    if (std::any_of(methods.begin(), methods.end(),
                    [&](const DeliveryMethod& m) { return m.id == method.id; })) {
      item["id"].fail("delivery method id " + quote(method.id) + " is used twice");
    }
    methods.push_back(std::move(method));
  }
  if (methods.empty()) {
    node.fail("'delivery_methods' must list at least one delivery method (those of the Shipping)");
  }
  return methods;
}

// Delivery method ids, each one declared under delivery_methods and listed once.
std::vector<std::string> read_methods(const Node& node,
                                      const std::vector<DeliveryMethod>& declared) {
  std::vector<std::string> ids;
  if (!node.present()) return ids;
  for (const Node& item : node.items()) {
    std::string id = item.identifier();
    if (std::none_of(declared.begin(), declared.end(),
                     [&](const DeliveryMethod& m) { return m.id == id; })) {
      item.fail(quote(id) + " is not a delivery method of 'delivery_methods'");
    }
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      item.fail(quote(id) + " is listed twice in " + node.describe());
    }
    ids.push_back(std::move(id));
  }
  return ids;
}

Condition read_condition(const Node& node) {
  node.only_keys({"categories", "flags_any", "min_unit_weight_g", "min_longest_side_mm"});
  // The catalog's categories and flags of goods: "service" and "standalone" only ever mark
  // service lines, which no service is sold for.
  Condition condition{
      .categories = node["categories"].distinct_one_of(contracts::kGoodsCategories),
      .flags_any = node["flags_any"].distinct_one_of(contracts::kGoodsFlags),
      .min_unit_weight_g = node["min_unit_weight_g"].optional_integer(1, kMaxGrams),
      .min_longest_side_mm = node["min_longest_side_mm"].optional_integer(1, kMaxMillimetres)};
  // An empty condition would fit every product: leaving 'conditions' out says that plainly.
  if (condition.categories.empty() && condition.flags_any.empty() && !condition.min_unit_weight_g &&
      !condition.min_longest_side_mm) {
    node.fail(
        "a condition must give at least one of categories, flags_any, min_unit_weight_g, "
        "min_longest_side_mm (leave 'conditions' out to offer the service for every product)");
  }
  return condition;
}

QuantityRule read_quantity(const Node& service, ServiceKind kind, std::int64_t& max_quantity) {
  const Node node = service["quantity"];
  const auto rule = node.one_of<QuantityRule>({{"per_unit", QuantityRule::per_unit},
                                               {"per_line", QuantityRule::per_line},
                                               {"per_cart", QuantityRule::per_cart},
                                               {"up_to", QuantityRule::up_to}});
  if (kind == ServiceKind::standalone &&
      (rule == QuantityRule::per_unit || rule == QuantityRule::per_line)) {
    node.fail(
        "a standalone service belongs to no product line: its 'quantity' is per_cart or up_to");
  }
  if (kind == ServiceKind::item && rule == QuantityRule::per_cart) {
    node.fail(
        "an item service is counted per product line: its 'quantity' is per_unit, per_line or "
        "up_to");
  }
  const Node max = service["max_quantity"];
  if (rule == QuantityRule::up_to) {
    max_quantity = max.integer(1, kMaxQuantity);
  } else if (max.present()) {
    max.fail("'max_quantity' goes only with 'quantity: up_to' (" + node.string() +
             " sets the limit itself)");
  } else {
    max_quantity = 1;
  }
  return rule;
}

ServiceRule read_service(const Node& node, const std::vector<DeliveryMethod>& methods) {
  node.only_keys({"code", "sku", "name", "kind", "price", "quantity", "max_quantity", "conditions",
                  "not_applicable_message", "excluded_methods", "required_methods", "excludes"});
  ServiceRule rule;
  rule.code = node["code"].identifier();
  rule.sku = read_sku(node["sku"]);
  rule.name = node["name"].text(kMaxNameLength);
  rule.kind = node["kind"].one_of<ServiceKind>(
      {{"item", ServiceKind::item}, {"standalone", ServiceKind::standalone}});
  rule.price = platform::pln(node["price"].money());
  rule.quantity = read_quantity(node, rule.kind, rule.max_quantity);

  const Node conditions = node["conditions"];
  const Node message = node["not_applicable_message"];
  const Node excludes = node["excludes"];
  if (rule.kind == ServiceKind::standalone) {
    for (const Node& item_only : {conditions, message, excludes}) {
      if (item_only.present()) {
        item_only.fail("a standalone service belongs to no product line, so it has no " +
                       item_only.describe());
      }
    }
  }
  if (conditions.present()) {
    rule.conditions = conditions.list(read_condition);
    if (rule.conditions.empty()) {
      conditions.fail(
          "'conditions' must list at least one condition (leave it out to offer the service for "
          "every product)");
    }
  }
  if (message.present()) rule.not_applicable_message = message.text(kMaxMessageLength);

  rule.excluded_methods = read_methods(node["excluded_methods"], methods);
  const Node required = node["required_methods"];
  rule.required_methods = read_methods(required, methods);
  for (std::size_t i = 0; i < rule.required_methods.size(); ++i) {
    const auto& id = rule.required_methods[i];
    if (std::find(rule.excluded_methods.begin(), rule.excluded_methods.end(), id) !=
        rule.excluded_methods.end()) {
      required.items()[i].fail(quote(id) +
                               " is both required and excluded: no delivery could have the "
                               "service");
    }
  }
  // Checked against the other services once all are read (an exclusion may name a later one).
  if (excludes.present()) {
    for (const Node& item : excludes.items()) rule.excludes.push_back(item.identifier());
  }
  return rule;
}

void check_excludes(const Node& node, const ServiceRule& rule, const ServicesRules& rules) {
  const auto items = node["excludes"].present() ? node["excludes"].items() : std::vector<Node>{};
  for (std::size_t i = 0; i < rule.excludes.size(); ++i) {
    const auto& code = rule.excludes[i];
    const Node& item = items[i];
    if (code == rule.code) item.fail("a service cannot exclude itself");
    const auto* other = rules.by_code(code);
    if (other == nullptr) item.fail(quote(code) + " is not the code of a service of 'services'");
    if (other->kind == ServiceKind::standalone) {
      item.fail(quote(code) +
                " is a standalone service: it belongs to no product line to exclude it from");
    }
    if (std::find(rule.excludes.begin(), rule.excludes.begin() + static_cast<std::ptrdiff_t>(i),
                  code) != rule.excludes.begin() + static_cast<std::ptrdiff_t>(i)) {
      item.fail(quote(code) + " is listed twice in 'excludes'");
    }
  }
}

}  // namespace

std::string_view to_string(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::item:
      return "service_item";
    case ServiceKind::standalone:
      return "service_standalone";
  }
  return "service_item";
}

const ServiceRule* ServicesRules::by_code(std::string_view code) const {
  const auto it = std::find_if(services.begin(), services.end(),
                               [&](const ServiceRule& s) { return s.code == code; });
  return it == services.end() ? nullptr : &*it;
}

const ServiceRule* ServicesRules::by_sku(std::string_view sku) const {
  const auto it = std::find_if(services.begin(), services.end(),
                               [&](const ServiceRule& s) { return s.sku == sku; });
  return it == services.end() ? nullptr : &*it;
}

const DeliveryMethod* ServicesRules::delivery_method(std::string_view id) const {
  const auto it = std::find_if(delivery_methods.begin(), delivery_methods.end(),
                               [&](const DeliveryMethod& m) { return m.id == id; });
  return it == delivery_methods.end() ? nullptr : &*it;
}

bool exclusive(const ServiceRule& a, const ServiceRule& b) {
  const auto lists = [](const ServiceRule& rule, const std::string& code) {
    return std::find(rule.excludes.begin(), rule.excludes.end(), code) != rule.excludes.end();
  };
  return lists(a, b.code) || lists(b, a.code);
}

ServicesRules parse_services_rules(const Node& root) {
  root.only_keys({"delivery_methods", "services"});
  ServicesRules rules;
  rules.delivery_methods = read_delivery_methods(root["delivery_methods"]);
  const Node services = root["services"];
  const auto items = services.items();
  for (const Node& item : items) {
    ServiceRule rule = read_service(item, rules.delivery_methods);
    if (rules.by_code(rule.code) != nullptr) {
      item["code"].fail("service code " + quote(rule.code) + " is used twice");
    }
    if (rules.by_sku(rule.sku) != nullptr) {
      item["sku"].fail("service sku " + quote(rule.sku) + " is used twice");
    }
    rules.services.push_back(std::move(rule));
  }
  if (rules.services.empty()) services.fail("'services' must list at least one service");
  if (rules.services.size() > kMaxServices) {
    items[kMaxServices].fail("'services' may list at most " + std::to_string(kMaxServices) +
                             " services (ServiceAvailabilityCalculated carries no more)");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    check_excludes(items[i], rules.services[i], rules);
  }
  return rules;
}

}  // namespace extra_services
