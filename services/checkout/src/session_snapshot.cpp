#include "session_snapshot.hpp"

namespace checkout {

SessionSnapshot snapshot_of(const StoredSession& stored, const CheckoutRules& rules) {
  SessionSnapshot out;
  if (!stored.view.empty()) {
    if (auto parsed = view_from_json(stored.view)) out.view = std::move(*parsed);
  } else {
    out.view.session_id = stored.session_id;
    out.view.user_id = stored.user_id;
  }
  if (!stored.consents.empty()) {
    if (auto parsed = consents_from_json(stored.consents)) out.consents = std::move(*parsed);
  }
  // Computed with the rules in force now: a VAT change shows at once, the same as the next
  // event would store it.
  out.totals = compute_totals(out.view, rules.vat);
  return out;
}

}  // namespace checkout
