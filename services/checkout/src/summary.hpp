#pragma once
// The document GET /checkout/summary answers and the SSE stream pushes (contracts/openapi/
// checkout.yaml, Summary): every line with its warranties and services, delivery, payment,
// promotions, customer data, consents with their texts, totals with the VAT breakdown, the
// readiness list and the version of every component. Pure.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checkout_rules.hpp"
#include "consents.hpp"
#include "totals.hpp"
#include "view.hpp"

namespace checkout {

struct SummaryInput {
  const CheckoutView* view = nullptr;  // nullptr: the user has no open session
  const Totals* totals = nullptr;
  std::string state = "open";         // open, finalizing, ordered
  std::int64_t checkout_version = 0;  // the Checkout's own per-session version
  std::string customer_json;          // customer_data_to_json, or "" when not given
  std::vector<GivenConsent> consents;
  const CheckoutRules* rules = nullptr;
  std::string opened_at;
  std::string updated_at;
  // With no open session: the session the user's last order closed and that order's brief
  // (order_json), shown as state "ordered" with the order (its status, its payment's redirect).
  std::string ordered_session_id;
  std::string order_json;
};

// The components' versions as a JSON object {"cart": 3, "shipping": 0, ...}.
boost::json::object versions_json(const CheckoutView& view, std::int64_t checkout_version);
boost::json::object totals_json(const Totals& totals);

boost::json::object summary_json(const SummaryInput& input);

}  // namespace checkout
