#pragma once
// The extra-services rules a shop employee edits (config/services_rules.yaml): which services the
// shop sells with the cart, for which products, at what price, how many, and with which delivery
// methods. Parsed into plain structs at start and on SIGHUP (platform/rules); a bad file is
// rejected with its line and column. Pure: no I/O.
//
// The YAML shape (config/services_rules.yaml explains every key to a shop employee):
//
//   delivery_methods:                 # the Shipping's method ids the rules may name, with the
//     - { id: courier, name: Kurier } # names customers see (messages quote them); at least one
//   services:                         # in the order customers see them; at most 50
//     - code: carry_in                # ^[a-z][a-z0-9_]{0,63}$, unique
//       sku: SRV-CARRY-IN             # the catalog's sku, ^SRV-[A-Z0-9-]{1,36}$, unique
//       name: Wniesienie sprzętu do mieszkania   # Polish, at most 200 characters
//       kind: item                    # item (service_item: tied to a product line, needs
//                                     # parent_item_id) or standalone (service_standalone)
//       price: 9900                   # per unit, in grosze
//       quantity: per_unit            # item: per_unit (at most one per unit of the product
//                                     # line) or per_line (one per product line); standalone:
//                                     # per_cart (one per order); either: up_to, with
//       max_quantity: 5               # only with up_to: 1..999 per product line / per order
//       conditions:                   # item only, optional: the service fits a product line
//         - flags_any: [large_appliance]       # when ANY condition holds; a condition holds
//         - categories: [tv]                   # when ALL its parts do: the category is one of
//           min_unit_weight_g: 15000           # `categories`, the line has a flag of
//           min_longest_side_mm: 1200          # `flags_any`, one unit weighs at least
//                                              # min_unit_weight_g, its longest side is at
//                                              # least min_longest_side_mm. No conditions: any
//                                              # product line.
//       not_applicable_message: "..."  # item only, optional: the Polish sentence a customer
//                                      # reads when the product does not fit the conditions
//       excluded_methods: [parcel_locker]  # optional: not with these delivery methods
//       required_methods: [two_person]     # optional: only with one of these delivery methods
//       excludes: [carry_in]          # item only, optional: item services that cannot be on the
//                                     # same product line together with this one (both ways)
//
// Categories and flags are the catalog's (contracts/events/common.schema.json): categories tv,
// fridge, washing_machine, dishwasher, furniture, laptop, phone, accessory; flags
// large_appliance, needs_assembly, needs_installation, fragile.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/money.hpp"
#include "platform/rules/node.hpp"

namespace extra_services {

// item: tied to a product line (the cart line has parent_item_id); standalone: for the order.
enum class ServiceKind { item, standalone };
// "service_item" / "service_standalone", as ServiceAvailabilityCalculated names them.
std::string_view to_string(ServiceKind kind);

// How many of a service a product line (item) or the order (standalone) may have.
enum class QuantityRule {
  per_unit,  // item: at most the product line's quantity (one installation per washing machine)
  per_line,  // item: one for the product line, whatever its quantity
  per_cart,  // standalone: one for the order
  up_to,     // either: at most ServiceRule::max_quantity per product line / per order
};

// One way a product line fits an item service: every part given must hold.
struct Condition {
  std::vector<std::string> categories;  // the line's category is one of these; empty: any
  std::vector<std::string> flags_any;   // the line has one of these flags; empty: no flag needed
  std::optional<std::int64_t> min_unit_weight_g;    // one unit weighs at least this
  std::optional<std::int64_t> min_longest_side_mm;  // a unit's longest side is at least this
  friend bool operator==(const Condition&, const Condition&) = default;
};

// A delivery method of the Shipping service, as these rules know it: its id and its name for
// messages ("Paczkomat"). Kept in step with services/shipping/config/delivery_rules.yaml by hand:
// the services never call each other.
struct DeliveryMethod {
  std::string id;
  std::string name;
  friend bool operator==(const DeliveryMethod&, const DeliveryMethod&) = default;
};

struct ServiceRule {
  std::string code;  // carry_in, assembly, installation_washer, sms_notification, ...
  std::string sku;   // the catalog's SRV-... sku: the service's identity in the cart
  std::string name;  // in Polish, shown to customers
  ServiceKind kind = ServiceKind::item;
  platform::Money price;  // per unit; the Cart prices service lines with it, not the catalog's
  QuantityRule quantity = QuantityRule::per_unit;
  std::int64_t max_quantity = 1;      // up_to only (1 for per_line and per_cart, unused per_unit)
  std::vector<Condition> conditions;  // item: any of them; empty: every product line
  std::optional<std::string> not_applicable_message;
  std::vector<std::string> excluded_methods;  // delivery method ids
  std::vector<std::string> required_methods;  // any of these; empty: any method
  std::vector<std::string> excludes;          // codes of item services, symmetric
  friend bool operator==(const ServiceRule&, const ServiceRule&) = default;
};

struct ServicesRules {
  std::vector<DeliveryMethod> delivery_methods;
  std::vector<ServiceRule> services;  // in the order customers see them
  friend bool operator==(const ServicesRules&, const ServicesRules&) = default;

  // nullptr when unknown.
  [[nodiscard]] const ServiceRule* by_code(std::string_view code) const;
  [[nodiscard]] const ServiceRule* by_sku(std::string_view sku) const;
  [[nodiscard]] const DeliveryMethod* delivery_method(std::string_view id) const;
};

// Whether `a` and `b` may not share a product line (either one excludes the other).
bool exclusive(const ServiceRule& a, const ServiceRule& b);

// The largest quantity of a cart line (common.schema.json#/$defs/quantity).
inline constexpr std::int64_t kMaxQuantity = 999;
// ServiceAvailabilityCalculated lists at most 50 services per line and 50 standalone ones.
inline constexpr std::size_t kMaxServices = 50;

// Reads the rules document (shape above); throws platform::rules::RulesError naming the line and
// column of the first mistake: unknown keys, codes that are not ids, skus that are not
// SRV-..., duplicate codes, skus or method ids (at the duplicate), categories or flags the
// catalog does not have, delivery methods not declared under delivery_methods, a method both
// excluded and required, quantity rules that do not fit the kind (per_unit for a standalone,
// max_quantity without up_to), conditions or exclusions on a standalone service, a condition
// with no parts, an exclusion of itself, of a standalone or of an unknown code.
ServicesRules parse_services_rules(const platform::rules::Node& root);

}  // namespace extra_services
