#pragma once
// What still stands between the session and its order: the summary's `readiness`, and the
// first check of finalize. Each blocker has a code a client can act on and a Polish message the
// storefront shows as it comes. Pure.
#include <optional>
#include <string>
#include <vector>

#include "checkout_rules.hpp"
#include "consents.hpp"
#include "view.hpp"

namespace checkout {

struct Blocker {
  std::string code;  // empty_cart, line_not_validated, price_change_not_seen,
                     // no_delivery_method, no_address, no_parcel_locker, no_delivery_day,
                     // no_payment_method, no_customer_data, consent_missing
  std::string message;
  std::optional<std::string> item_id;     // line_not_validated, price_change_not_seen
  std::optional<std::string> consent_id;  // consent_missing
  friend bool operator==(const Blocker&, const Blocker&) = default;
};

std::vector<Blocker> readiness(const CheckoutView& view, bool has_customer_data,
                               const std::vector<GivenConsent>& consents,
                               const CheckoutRules& rules);

}  // namespace checkout
