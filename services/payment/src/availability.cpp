#include "availability.hpp"

#include <algorithm>
#include <utility>

#include "contracts/catalog_product.hpp"
#include "platform/polish_format.hpp"

namespace payment {
namespace {
using contracts::CartCopy;

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The excluded categories the cart has, in the rule's order, as a customer reads them.
std::string excluded_in(const MethodRule& rule, const CartCopy& cart) {
  std::string names;
  for (const auto& category : rule.excluded_categories) {
    const bool present = std::any_of(cart.lines.begin(), cart.lines.end(),
                                     [&](const auto& line) { return line.category == category; });
    if (!present) continue;
    if (!names.empty()) names += ", ";
    names += contracts::polish_category_plural(category);
  }
  return names;
}

std::string quoted(const MethodRule& rule) {
  return "„" + rule.name + "”";
}

std::optional<Refusal> shipping_refusal(const MethodRule& rule, const PaymentContext& context) {
  if (!context.shipping) {
    if (!rule.requires_shipping_method) return std::nullopt;
    if (rule.kind == MethodKind::cash_on_delivery) {
      return Refusal{"no_shipping_method",
                     "Najpierw wybierz metodę dostawy: od niej zależy, czy można zapłacić przy "
                     "odbiorze."};
    }
    return Refusal{"no_shipping_method",
                   "Metodę " + quoted(rule) + " można wybrać po wybraniu metody dostawy."};
  }
  const auto& shipping = *context.shipping;
  if (rule.kind == MethodKind::cash_on_delivery && !shipping.cash_on_delivery_allowed) {
    return Refusal{"shipping_method_excludes_cash_on_delivery",
                   "Wybrana metoda dostawy nie pozwala na płatność przy odbiorze."};
  }
  if ((!rule.allowed_shipping_methods.empty() &&
       !contains(rule.allowed_shipping_methods, shipping.method_id)) ||
      contains(rule.excluded_shipping_methods, shipping.method_id)) {
    return Refusal{"shipping_method_excluded",
                   "Metody " + quoted(rule) + " nie można wybrać przy wybranej metodzie dostawy."};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> refusal_of(const MethodRule& rule, const PaymentContext& context) {
  const auto& cart = context.cart;
  if (cart.empty()) return Refusal{"empty_cart", "Koszyk jest pusty."};
  if (auto names = excluded_in(rule, cart); !names.empty()) {
    return Refusal{
        "category_excluded",
        "Metody " + quoted(rule) + " nie można wybrać dla produktów z kategorii: " + names + "."};
  }
  const auto value = cart.subtotal();
  if (rule.min_cart_value && value.amount < *rule.min_cart_value) {
    return Refusal{"cart_value_too_low",
                   "Metoda " + quoted(rule) + " jest dostępna dla zamówień od " +
                       platform::polish_price(platform::pln(*rule.min_cart_value)) +
                       ", a wartość koszyka to " + platform::polish_price(value) + "."};
  }
  if (rule.max_cart_value && value.amount > *rule.max_cart_value) {
    return Refusal{"cart_value_too_high",
                   "Metoda " + quoted(rule) + " jest dostępna dla zamówień do " +
                       platform::polish_price(platform::pln(*rule.max_cart_value)) +
                       ", a wartość koszyka to " + platform::polish_price(value) + "."};
  }
  if (auto refusal = shipping_refusal(rule, context)) return refusal;
  if (rule.gateway && std::find(context.gateways_down.begin(), context.gateways_down.end(),
                                *rule.gateway) != context.gateways_down.end()) {
    return Refusal{"gateway_unavailable",
                   "Metoda " + quoted(rule) +
                       " jest chwilowo niedostępna. Wybierz inną metodę płatności lub spróbuj "
                       "ponownie za kilka minut."};
  }
  return std::nullopt;
}

AvailableMethod offer_of(const MethodRule& rule, const CartCopy& cart) {
  return AvailableMethod{.id = rule.id,
                         .name = rule.name,
                         .kind = rule.kind,
                         .gateway = rule.gateway,
                         .channel = rule.channel,
                         .blik_code = rule.blik_code,
                         .fee = fee_for(rule.fee, cart.subtotal())};
}

Availability evaluate(const PaymentRules& rules, const PaymentContext& context) {
  Availability out;
  for (const auto& rule : rules.methods) {
    if (auto refusal = refusal_of(rule, context)) {
      out.unavailable.push_back(UnavailableMethod{.id = rule.id,
                                                  .name = rule.name,
                                                  .kind = rule.kind,
                                                  .gateway = rule.gateway,
                                                  .channel = rule.channel,
                                                  .blik_code = rule.blik_code,
                                                  .refusal = std::move(*refusal)});
    } else {
      out.available.push_back(offer_of(rule, context.cart));
    }
  }
  return out;
}

}  // namespace payment
