#pragma once
// Which extra services a cart can have, how many, at what price and why not; and the verdict on
// each service line the cart already holds, which the Cart applies (a line validated with the
// rules' price, cut to the quantity allowed, or removed with the reason). Pure functions of the
// rules, the service's copy of the cart and the session's delivery method: no I/O. Messages for
// customers are in Polish.
//
// The delivery method: nullopt while the customer has not chosen one. Until then no method rule
// is checked: a service excluded with some method (carry-in with a parcel locker) or requiring
// one (old appliance pickup with two-person delivery) is offered and allowed, and a later
// choice of method makes it unavailable on the next evaluation. A method id the rules do not
// declare matches no exclusion and meets no requirement.
//
// Deterministic: the same rules, cart and method give equal results (operator==), in a stable
// order: product lines and service lines in the cart's order, services in the rules' order.
// So a caller can compare two evaluations and publish only when availability changed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "platform/money.hpp"
#include "services_rules.hpp"

namespace extra_services {

// Why a service cannot be had: a stable code and a sentence for the customer.
// Offers and verdicts:
//   not_applicable       the product does not fit the service's conditions
//   method_excluded      not with the chosen delivery method
//   method_required      only with another delivery method
//   excluded_by_service  the product line already has a service this one cannot go with
//   no_products          a standalone service for a cart without products
// Verdicts only:
//   unknown_service         the sku is no service of the rules (withdrawn, or not a service)
//   standalone_with_parent  a standalone service tied to a line
//   parent_required         an item service tied to no line
//   parent_not_found        tied to a line the cart does not have
//   parent_is_service       tied to another service line
//   limit_reached           earlier lines of the same service took every unit allowed
//   quantity_reduced        allowed, but fewer than the line asks for (the verdict's quantity)
struct Reason {
  std::string code;
  std::string message;
  friend bool operator==(const Reason&, const Reason&) = default;
};

// A service the customer may add (POST /cart/items, type=service, sku, parent_item_id for an
// item service), or why not.
struct ServiceOffer {
  std::string code;
  std::string sku;
  std::string name;
  ServiceKind kind = ServiceKind::item;
  platform::Money price;  // per unit, from the rules
  bool available = false;
  std::optional<Reason> reason;  // when not available
  // How many the product line (item) or the order (standalone) may hold in all, counting any
  // already in the cart: the line's quantity for per_unit; 0 when not available.
  std::int64_t max_quantity = 0;
  friend bool operator==(const ServiceOffer&, const ServiceOffer&) = default;
};

// Every item service of the rules, in their order, for one product line (offer or accessory).
struct LineServices {
  std::string item_id;
  std::string sku;
  std::vector<ServiceOffer> services;
  friend bool operator==(const LineServices&, const LineServices&) = default;
};

// What the Cart does with one of its service lines.
struct ServiceLineVerdict {
  std::string item_id;  // the service line
  std::string sku;
  std::optional<std::string> code;  // the rule's code; nullopt for unknown_service
  bool allowed = false;
  // The rules' unit price (the Cart's price for the line), whenever the sku is a rule's.
  platform::Money unit_price;
  // The quantity the line may have: min(its quantity, what is left of the maximum); 0 when not
  // allowed. Below the line's quantity: reason quantity_reduced.
  std::int64_t quantity = 0;
  // Not allowed: why. Allowed: quantity_reduced or nothing.
  std::optional<Reason> reason;
  friend bool operator==(const ServiceLineVerdict&, const ServiceLineVerdict&) = default;
};

struct ServicesAvailability {
  std::vector<LineServices> items;           // the product lines, in the cart's order
  std::vector<ServiceOffer> standalone;      // the standalone services, in the rules' order
  std::vector<ServiceLineVerdict> verdicts;  // the service lines, in the cart's order
  friend bool operator==(const ServicesAvailability&, const ServicesAvailability&) = default;

  // nullptr when the cart has no such product line / service line.
  [[nodiscard]] const LineServices* for_item(std::string_view item_id) const;
  [[nodiscard]] const ServiceLineVerdict* verdict(std::string_view item_id) const;
};

// The services for `cart` with `delivery_method` chosen (nullopt: none yet; see above).
//
// An item service is available for a product line when the line fits one of its conditions,
// the method rules allow it, and no service line already allowed on the same product line
// excludes it. A standalone service is available when the cart has a product line and the
// method rules allow it.
//
// The verdicts take the service lines in the cart's order: a line is allowed when its sku is a
// rule's, its parent is what the kind needs (a product line of the cart for an item service, none
// for a standalone one), the service is available there, and an earlier line has not taken every
// unit the quantity rule allows (per product line for an item service, per order for a
// standalone one).
ServicesAvailability evaluate_services(const ServicesRules& rules, const contracts::CartCopy& cart,
                                       const std::optional<std::string>& delivery_method);

// Whether the product line `line` fits the item service's conditions (true with none).
bool fits(const ServiceRule& rule, const contracts::CartLine& line);
// The most of `rule` the product line `line` (item) or the order (standalone: `line` unused)
// may hold by the quantity rule.
std::int64_t quantity_limit(const ServiceRule& rule, const contracts::CartLine* line);

}  // namespace extra_services
