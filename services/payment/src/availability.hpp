#pragma once
// Which payment methods a customer can use now, with their fees, and why the others not. Pure
// functions of the rules, the service's copy of the cart, the delivery method the Shipping last
// announced and the gateways whose circuit breaker is open: no I/O, thread-safe.
// Customer-facing messages are in Polish (the shop's customers read them as they come), amounts
// as platform::polish_price writes them ("5 000,00 zł").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "gateway.hpp"
#include "payment_rules.hpp"
#include "platform/money.hpp"

namespace payment {

// The delivery method chosen in the Shipping, as ShippingMethodSelected announces it.
struct ShippingChoice {
  std::string method_id;  // the Shipping's id: courier, parcel_locker, two_person, ...
  bool cash_on_delivery_allowed = false;
  friend bool operator==(const ShippingChoice&, const ShippingChoice&) = default;
};

// What availability depends on. `cart` must outlive the context.
struct PaymentContext {
  const contracts::CartCopy& cart;
  std::optional<ShippingChoice> shipping;  // nullopt: no delivery method chosen
  std::vector<Gateway> gateways_down;      // circuit breaker open: their methods are not offered
};

// Why a method cannot be used: a stable code and a sentence for the customer (Polish), as
// PaymentMethodCleared's `reason` carries them. Codes: empty_cart, category_excluded,
// cart_value_too_low, cart_value_too_high, no_shipping_method,
// shipping_method_excludes_cash_on_delivery, shipping_method_excluded, gateway_unavailable, and
// (session.hpp, a method the rules no longer have) method_withdrawn.
struct Refusal {
  std::string code;
  std::string message;
  friend bool operator==(const Refusal&, const Refusal&) = default;
};

// A method the customer can choose, with its fee for this cart.
struct AvailableMethod {
  std::string id;
  std::string name;
  MethodKind kind = MethodKind::online;
  std::optional<Gateway> gateway;  // nullopt for cash on delivery
  std::string channel;             // "" (the gateway's page), transfer, blik, card, instalments
  bool blik_code = false;
  platform::Money fee;
  friend bool operator==(const AvailableMethod&, const AvailableMethod&) = default;
};

struct UnavailableMethod {
  std::string id;
  std::string name;
  MethodKind kind = MethodKind::online;
  std::optional<Gateway> gateway;
  std::string channel;
  bool blik_code = false;
  Refusal refusal;  // the first reason, in the order the codes are listed above
  friend bool operator==(const UnavailableMethod&, const UnavailableMethod&) = default;
};

struct Availability {
  std::vector<AvailableMethod> available;      // in the rules' order
  std::vector<UnavailableMethod> unavailable;  // in the rules' order
};

// Every method of the rules judged for the context.
Availability evaluate(const PaymentRules& rules, const PaymentContext& context);

// Why `rule` cannot be used in the context; nullopt: it can. The first reason of: an empty cart,
// an excluded category, the cart's subtotal below min_cart_value or above max_cart_value, no
// delivery method chosen when one is required, for cash on delivery a delivery method that does
// not allow it, a delivery method not allowed or excluded, the method's gateway down.
std::optional<Refusal> refusal_of(const MethodRule& rule, const PaymentContext& context);

// The method as offered for `cart` (its fee computed on the cart's subtotal).
AvailableMethod offer_of(const MethodRule& rule, const contracts::CartCopy& cart);

}  // namespace payment
