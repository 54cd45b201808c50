#pragma once
// A stored session read back as the domain sees it: the view, the consents given and the totals
// under the rules in force now. What the summary renders and what finalize places. Pure.
#include <vector>

#include "checkout_rules.hpp"
#include "consents.hpp"
#include "store.hpp"
#include "totals.hpp"
#include "view.hpp"

namespace checkout {

struct SessionSnapshot {
  CheckoutView view;
  std::vector<GivenConsent> consents;
  Totals totals;
};

// A stored view or consents that do not parse count as none (they were written by this service;
// the next event rewrites the view).
SessionSnapshot snapshot_of(const StoredSession& stored, const CheckoutRules& rules);

}  // namespace checkout
