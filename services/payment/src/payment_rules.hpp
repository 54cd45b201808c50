#pragma once
// The payment rules a shop employee edits (config/payment_rules.yaml): the payment methods, in the
// order customers see them, the gateway and channel behind each, its fee, and which carts and
// deliveries it goes with. Parsed into plain structs at start and on SIGHUP (platform/rules, and
// platform::app::ServiceRules keeps them with their document's digest: LoadedRules); a bad file is
// rejected with its line and column. Pure: no I/O, thread-compatible values.
//
// The YAML shape (config/payment_rules.yaml explains every key to a shop employee):
//
//   methods:                               # in the order customers see them; 1 to 30
//     - id: payu_instalments               # ^[a-z][a-z0-9_]{0,63}$, unique
//       name: Raty PayU                    # Polish, at most 200 characters
//       kind: online                       # online | cash_on_delivery
//       gateway: payu                      # przelewy24 | payu | stripe; none for cash on delivery
//       channel: instalments               # optional: transfer | blik | card | instalments;
//                                          # left out: the gateway's own page offers everything
//       blik_code: false                   # optional: true for BLIK level 0 (channel blik)
//       fee: { fixed: 0, share: "1.5%", min: 100, max: 2000 }   # optional, grosze
//       min_cart_value: 30000              # optional, grosze, on the cart's subtotal
//       max_cart_value: 5000000            # optional
//       excluded_categories: [phone]       # optional: the catalog's goods categories
//       allowed_shipping_methods: [courier]          # optional: only with these deliveries
//       excluded_shipping_methods: [parcel_locker]   # optional: never with these
//       requires_shipping_method: true     # optional; always true for cash on delivery
//
// Fees: fixed grosze plus a share of the cart's subtotal (basis points, rounded half up to the
// grosz), the sum then held between `min` and `max` (which only go with a share). A method
// without `fee` is free.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway.hpp"
#include "platform/money.hpp"
#include "platform/rules/digest.hpp"
#include "platform/rules/node.hpp"

namespace payment {

enum class MethodKind { online, cash_on_delivery };
std::string_view to_string(MethodKind kind);  // "online", "cash_on_delivery"

struct Fee {
  std::int64_t fixed = 0;                 // grosze
  std::int64_t share_bp = 0;              // basis points of the cart's subtotal (150 = 1.5%)
  std::optional<std::int64_t> min_price;  // grosze; only with a share
  std::optional<std::int64_t> max_price;  // grosze; only with a share
  friend bool operator==(const Fee&, const Fee&) = default;
};

// The fee for a cart worth `cart_value` (its subtotal): fixed + share rounded half up to the
// grosz, held between min and max. A negative value counts as 0.
platform::Money fee_for(const Fee& fee, const platform::Money& cart_value);

struct MethodRule {
  std::string id;    // the events' method_id: przelewy24, blik, payu_card, cash_on_delivery, ...
  std::string name;  // shown to customers, in Polish
  MethodKind kind = MethodKind::online;
  std::optional<Gateway> gateway;  // set exactly when kind is online
  std::string channel;             // "" (the gateway's page), transfer, blik, card, instalments
  bool blik_code = false;          // BLIK level 0: the code is typed on the shop's page
  Fee fee;
  std::optional<std::int64_t> min_cart_value;  // grosze, on the cart's subtotal
  std::optional<std::int64_t> max_cart_value;
  std::vector<std::string> excluded_categories;        // the catalog's goods categories
  std::vector<std::string> allowed_shipping_methods;   // empty: any
  std::vector<std::string> excluded_shipping_methods;  // the Shipping's method ids
  // Offered only once a delivery method is chosen (always for cash on delivery, which also needs
  // the delivery method to allow it).
  bool requires_shipping_method = false;
  friend bool operator==(const MethodRule&, const MethodRule&) = default;
};

struct PaymentRules {
  std::vector<MethodRule> methods;  // in the order customers see them
  friend bool operator==(const PaymentRules&, const PaymentRules&) = default;

  [[nodiscard]] const MethodRule* method(std::string_view id) const;  // nullptr when unknown
};

// The rules with the digest of their document (what platform::app::ServiceRules holds).
using LoadedRules = platform::rules::Digested<PaymentRules>;

inline constexpr std::size_t kMaxPaymentMethods = 30;
inline constexpr std::size_t kMaxMethodNameLength = 200;

// Reads the rules document (shape above); throws platform::rules::RulesError naming the line and
// column of the first mistake: unknown keys, ids that are not ids or are used twice, names longer
// than 200 characters, negative money, a share that is not a percentage between 0 and 100% with
// at most two decimals, min/max without a share or min above max, min_cart_value above
// max_cart_value, an online method without a gateway, cash on delivery with a gateway, a channel,
// a BLIK code or requires_shipping_method: false, blik_code without channel blik, categories the
// catalog does not have, a shipping method both allowed and excluded.
PaymentRules parse_payment_rules(const platform::rules::Node& root);

}  // namespace payment
