#include "availability.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace extra_services {
namespace {
using contracts::CartCopy;
using contracts::CartLine;

// The item services already allowed on each product line, by its item id (filled while judging
// the service lines, read when offering more).
using AllowedOnLines = std::map<std::string, std::vector<const ServiceRule*>, std::less<>>;

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::int64_t longest_side(const CartLine& line) {
  return std::max({line.dimensions_mm.width, line.dimensions_mm.height, line.dimensions_mm.depth});
}

bool holds(const Condition& condition, const CartLine& line) {
  if (!condition.categories.empty() && !contains(condition.categories, line.category)) {
    return false;
  }
  if (!condition.flags_any.empty() &&
      std::none_of(condition.flags_any.begin(), condition.flags_any.end(),
                   [&](const std::string& flag) { return line.has_flag(flag); })) {
    return false;
  }
  if (condition.min_unit_weight_g && line.weight_g < *condition.min_unit_weight_g) return false;
  if (condition.min_longest_side_mm && longest_side(line) < *condition.min_longest_side_mm) {
    return false;
  }
  return true;
}

std::string quoted(std::string_view name) {
  return "„" + std::string(name) + "”";
}

std::string service_name(const ServiceRule& rule) {
  return quoted(rule.name);
}

// "„Kurier” lub „Dostawa dwuosobowa”": the methods by the names customers know.
std::string method_names(const ServicesRules& rules, const std::vector<std::string>& ids) {
  std::string text;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) text += i + 1 == ids.size() ? " lub " : ", ";
    const auto* method = rules.delivery_method(ids[i]);
    text += quoted(method != nullptr ? method->name : ids[i]);
  }
  return text;
}

std::optional<Reason> method_reason(const ServicesRules& rules, const ServiceRule& rule,
                                    const std::optional<std::string>& method) {
  if (!method) return std::nullopt;  // nothing chosen yet: checked once the customer chooses
  if (contains(rule.excluded_methods, *method)) {
    return Reason{"method_excluded", "Usługa " + service_name(rule) +
                                         " nie jest dostępna przy dostawie " +
                                         method_names(rules, {*method}) + "."};
  }
  if (!rule.required_methods.empty() && !contains(rule.required_methods, *method)) {
    return Reason{"method_required", "Usługa " + service_name(rule) + " wymaga dostawy " +
                                         method_names(rules, rule.required_methods) + "."};
  }
  return std::nullopt;
}

Reason not_applicable(const ServiceRule& rule, const CartLine& product) {
  if (rule.not_applicable_message) return {"not_applicable", *rule.not_applicable_message};
  return {"not_applicable", "Usługa " + service_name(rule) + " nie jest dostępna dla produktu " +
                                quoted(product.name) + "."};
}

std::optional<Reason> item_reason(const ServicesRules& rules, const ServiceRule& rule,
                                  const CartLine& product, const std::optional<std::string>& method,
                                  const AllowedOnLines& allowed) {
  if (!fits(rule, product)) return not_applicable(rule, product);
  if (auto reason = method_reason(rules, rule, method)) return reason;
  if (const auto on_line = allowed.find(product.item_id); on_line != allowed.end()) {
    for (const auto* other : on_line->second) {
      if (other != &rule && exclusive(rule, *other)) {
        return Reason{"excluded_by_service",
                      "Usługi " + service_name(rule) + " nie można zamówić razem z usługą " +
                          service_name(*other) + " dla tego samego produktu."};
      }
    }
  }
  return std::nullopt;
}

std::optional<Reason> standalone_reason(const ServicesRules& rules, const ServiceRule& rule,
                                        bool has_products,
                                        const std::optional<std::string>& method) {
  if (!has_products) {
    return Reason{"no_products",
                  "Usługę " + service_name(rule) + " można zamówić tylko razem z produktami."};
  }
  return method_reason(rules, rule, method);
}

bool has_products(const CartCopy& cart) {
  return std::any_of(cart.lines.begin(), cart.lines.end(),
                     [](const CartLine& line) { return !line.is_service(); });
}

// "najwyżej raz", "najwyżej 3 razy".
std::string times(std::int64_t count) {
  return count == 1 ? "najwyżej raz" : "najwyżej " + std::to_string(count) + " razy";
}

// The quantity rule in a sentence.
std::string limit_sentence(const ServiceRule& rule, std::int64_t limit) {
  const std::string start = "Usługę " + service_name(rule) + " można zamówić ";
  switch (rule.quantity) {
    case QuantityRule::per_unit:
      return start + "raz na każdą sztukę produktu (" + times(limit) + ").";
    case QuantityRule::per_line:
      return start + "najwyżej raz dla produktu.";
    case QuantityRule::per_cart:
      return start + "najwyżej raz w zamówieniu.";
    case QuantityRule::up_to:
      return start + times(limit) +
             (rule.kind == ServiceKind::item ? " dla produktu." : " w zamówieniu.");
  }
  return start + times(limit) + ".";
}

ServiceLineVerdict refuse(ServiceLineVerdict verdict, std::string code, std::string message) {
  verdict.allowed = false;
  verdict.quantity = 0;
  verdict.reason = Reason{std::move(code), std::move(message)};
  return verdict;
}

// Judges the service lines in the cart's order; fills `allowed` with the item services each
// product line keeps.
std::vector<ServiceLineVerdict> judge(const ServicesRules& rules, const CartCopy& cart,
                                      const std::optional<std::string>& method,
                                      AllowedOnLines& allowed) {
  const bool products = has_products(cart);
  // Units taken so far, by (product line or "" for the order, service code).
  std::map<std::pair<std::string, std::string>, std::int64_t> taken;
  std::vector<ServiceLineVerdict> verdicts;
  for (const auto& line : cart.lines) {
    if (!line.is_service()) continue;
    ServiceLineVerdict verdict;
    verdict.item_id = line.item_id;
    verdict.sku = line.sku;
    verdict.unit_price = platform::pln(0);
    const auto* rule = rules.by_sku(line.sku);
    if (rule == nullptr) {
      verdicts.push_back(refuse(std::move(verdict), "unknown_service",
                                "Usługa " + quoted(line.name) + " nie jest już w naszej ofercie."));
      continue;
    }
    verdict.code = rule->code;
    verdict.unit_price = rule->price;
    const CartLine* parent = nullptr;
    std::optional<Reason> reason;
    if (rule->kind == ServiceKind::standalone) {
      if (line.parent_item_id) {
        verdicts.push_back(refuse(std::move(verdict), "standalone_with_parent",
                                  "Usługa " + service_name(*rule) +
                                      " dotyczy całego zamówienia, a nie jednego produktu."));
        continue;
      }
      reason = standalone_reason(rules, *rule, products, method);
    } else {
      if (!line.parent_item_id) {
        verdicts.push_back(
            refuse(std::move(verdict), "parent_required",
                   "Usługę " + service_name(*rule) + " trzeba przypisać do produktu w koszyku."));
        continue;
      }
      parent = cart.find(*line.parent_item_id);
      if (parent == nullptr) {
        verdicts.push_back(refuse(std::move(verdict), "parent_not_found",
                                  "Produktu, do którego dodano usługę " + service_name(*rule) +
                                      ", nie ma już w koszyku."));
        continue;
      }
      if (parent->is_service()) {
        verdicts.push_back(
            refuse(std::move(verdict), "parent_is_service",
                   "Usługi " + service_name(*rule) + " nie można przypisać do innej usługi."));
        continue;
      }
      reason = item_reason(rules, *rule, *parent, method, allowed);
    }
    if (reason) {
      verdicts.push_back(
          refuse(std::move(verdict), std::move(reason->code), std::move(reason->message)));
      continue;
    }
    const std::int64_t limit = quantity_limit(*rule, parent);
    auto& used = taken[{parent != nullptr ? parent->item_id : std::string(), rule->code}];
    const std::int64_t left = limit - used;
    if (left <= 0) {
      verdicts.push_back(refuse(std::move(verdict), "limit_reached", limit_sentence(*rule, limit)));
      continue;
    }
    verdict.allowed = true;
    verdict.quantity = std::min(line.quantity, left);
    used += verdict.quantity;
    if (verdict.quantity < line.quantity) {
      verdict.reason =
          Reason{"quantity_reduced", limit_sentence(*rule, limit) + " Liczbę zmniejszono do " +
                                         std::to_string(verdict.quantity) + "."};
    }
    if (parent != nullptr) {
      auto& kept = allowed[parent->item_id];
      if (std::find(kept.begin(), kept.end(), rule) == kept.end()) kept.push_back(rule);
    }
    verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

ServiceOffer offer(const ServiceRule& rule, std::optional<Reason> reason, std::int64_t limit) {
  const bool available = !reason;
  return {.code = rule.code,
          .sku = rule.sku,
          .name = rule.name,
          .kind = rule.kind,
          .price = rule.price,
          .available = available,
          .reason = std::move(reason),
          .max_quantity = available ? limit : 0};
}

}  // namespace

bool fits(const ServiceRule& rule, const CartLine& line) {
  return rule.conditions.empty() ||
         std::any_of(rule.conditions.begin(), rule.conditions.end(),
                     [&](const Condition& condition) { return holds(condition, line); });
}

std::int64_t quantity_limit(const ServiceRule& rule, const CartLine* line) {
  switch (rule.quantity) {
    case QuantityRule::per_unit:
      return line != nullptr ? line->quantity : 0;
    case QuantityRule::per_line:
    case QuantityRule::per_cart:
      return 1;
    case QuantityRule::up_to:
      return rule.max_quantity;
  }
  return 0;
}

const LineServices* ServicesAvailability::for_item(std::string_view item_id) const {
  const auto it = std::find_if(items.begin(), items.end(),
                               [&](const LineServices& line) { return line.item_id == item_id; });
  return it == items.end() ? nullptr : &*it;
}

const ServiceLineVerdict* ServicesAvailability::verdict(std::string_view item_id) const {
  const auto it =
      std::find_if(verdicts.begin(), verdicts.end(),
                   [&](const ServiceLineVerdict& verdict) { return verdict.item_id == item_id; });
  return it == verdicts.end() ? nullptr : &*it;
}

ServicesAvailability evaluate_services(const ServicesRules& rules, const CartCopy& cart,
                                       const std::optional<std::string>& delivery_method) {
  ServicesAvailability result;
  // Verdicts first: what a product line already keeps decides which exclusions apply to it.
  AllowedOnLines allowed;
  result.verdicts = judge(rules, cart, delivery_method, allowed);
  for (const auto& line : cart.lines) {
    if (line.is_service()) continue;
    LineServices services;
    services.item_id = line.item_id;
    services.sku = line.sku;
    for (const auto& rule : rules.services) {
      if (rule.kind != ServiceKind::item) continue;
      services.services.push_back(offer(rule,
                                        item_reason(rules, rule, line, delivery_method, allowed),
                                        quantity_limit(rule, &line)));
    }
    result.items.push_back(std::move(services));
  }
  const bool products = has_products(cart);
  for (const auto& rule : rules.services) {
    if (rule.kind != ServiceKind::standalone) continue;
    result.standalone.push_back(offer(rule,
                                      standalone_reason(rules, rule, products, delivery_method),
                                      quantity_limit(rule, nullptr)));
  }
  return result;
}

}  // namespace extra_services
