#pragma once
// The consents a customer gives (POST /checkout/consents) against the texts of the rules in
// force: each answer names a consent the rules know and the version of its text the customer was
// shown; what was accepted is kept with that version and the time. A required consent counts
// only while its answer is "granted" for the current version of its text, so a new version asks
// again. Pure.
#include <string>
#include <string_view>
#include <vector>

#include "checkout_rules.hpp"
#include "platform/error.hpp"

namespace checkout {

struct GivenConsent {
  std::string consent_id;
  bool granted = false;
  std::string text_version;
  std::string given_at;  // RFC 3339
  friend bool operator==(const GivenConsent&, const GivenConsent&) = default;
};

// Parses {"consents": [{"consent_id": "...", "granted": true, "text_version": "..."}, ...]}:
// 1..20 answers, each consent once. Errc::malformed for a body of the wrong shape; Errc::invalid
// (reason unknown_consent) naming a consent the rules do not have, (reason stale_consent_text)
// for a version that is not the text in force.
[[nodiscard]] platform::Result<std::vector<GivenConsent>> parse_consents(std::string_view body,
                                                                         const CheckoutRules& rules,
                                                                         std::string_view now);

// `held` with `answers` replacing the answers for the same consents.
std::vector<GivenConsent> merge_consents(std::vector<GivenConsent> held,
                                         const std::vector<GivenConsent>& answers);

// The required consents of `rules` not granted for their current text.
std::vector<const ConsentText*> missing_consents(const std::vector<GivenConsent>& held,
                                                 const CheckoutRules& rules);

// As stored (a JSON array) and back.
std::string consents_to_json(const std::vector<GivenConsent>& consents);
[[nodiscard]] platform::Result<std::vector<GivenConsent>> consents_from_json(std::string_view text);

}  // namespace checkout
