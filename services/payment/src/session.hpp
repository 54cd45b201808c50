#pragma once
// A customer's payment choice for one checkout session, and the rules for changing it: pure
// functions returning the new session and the changes it publishes (one event each). No I/O,
// thread-compatible values.
//
// The chosen method follows what it depends on: every cart event (follow_cart), every shipping
// event (follow_shipping) and every rules reload (follow_rules) judges it again. A choice no
// longer allowed is cleared with the reason (PaymentMethodCleared); a changed fee, name or
// channel is published again (PaymentMethodSelected). A gateway being down never clears a
// choice: only select_method turns its methods away (the breaker closes again; the customer
// finds out at initialization otherwise).
//
// Versions: these functions leave `version` alone. The caller publishes one event per change,
// the first carrying the stored version + 1, and stores session.version = stored version +
// changes.size() (as the Shipping does).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "availability.hpp"
#include "contracts/cart_copy.hpp"
#include "payment_rules.hpp"
#include "platform/error.hpp"

namespace payment {

// The method as chosen: as it was available when chosen or last judged again.
using ChosenMethod = AvailableMethod;

struct PaymentSession {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;  // the Payment's own per-session version: +1 per event it publishes
  contracts::CartCopy cart;
  std::optional<ShippingChoice> shipping;  // nullopt: no delivery method chosen (or cleared)
  std::int64_t shipping_version = 0;       // of the last shipping event applied; 0: none
  std::optional<ChosenMethod> method;
  std::optional<std::string> email;  // from the Checkout's CustomerDataProvided, for the gateways
  friend bool operator==(const PaymentSession&, const PaymentSession&) = default;
};

enum class ChangeKind {
  method_selected,  // PaymentMethodSelected: a new choice, or its fee (name, channel) changed
  method_cleared,   // PaymentMethodCleared, with `refusal`
};

struct Change {
  ChangeKind kind = ChangeKind::method_selected;
  std::string method_id;           // selected: the session's method; cleared: the one that went
  std::optional<Refusal> refusal;  // method_cleared only
  friend bool operator==(const Change&, const Change&) = default;
};

struct Outcome {
  PaymentSession session;
  std::vector<Change> changes;  // in publishing order; empty: nothing changed
};

// The session with the cart's new copy, its chosen method judged again.
Outcome follow_cart(const PaymentSession& session, contracts::CartCopy cart,
                    const PaymentRules& rules);

// The session with the delivery method the Shipping announced (nullopt: it was cleared) at
// `shipping_version` (the Shipping's per-session version), its chosen method judged again. A
// version not above the session's shipping_version is an older or repeated event: no change at
// all.
Outcome follow_shipping(const PaymentSession& session, std::optional<ShippingChoice> shipping,
                        std::int64_t shipping_version, const PaymentRules& rules);

// The session under new rules (after a reload): a method the rules dropped is cleared
// (method_withdrawn), one they no longer allow cleared with the reason, a changed one published
// again.
Outcome follow_rules(const PaymentSession& session, const PaymentRules& rules);

// The customer chooses a method. Errc::conflict (cart_empty) when the cart is empty;
// Errc::not_found (unknown_method) when the rules have no such method; Errc::invalid with the
// customer's reason in Polish as the message and its code (cart_value_too_high,
// gateway_unavailable, ...) as the reason when it cannot be used now. Choosing the chosen method
// again at the same fee changes nothing.
[[nodiscard]] platform::Result<Outcome> select_method(const PaymentSession& session,
                                                      std::string_view method_id,
                                                      const PaymentRules& rules,
                                                      const std::vector<Gateway>& gateways_down);

}  // namespace payment
