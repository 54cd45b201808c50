#pragma once
// The rules a shop employee edits for the Checkout (config/checkout_rules.yaml): the VAT rate of
// each kind of thing sold and the consent texts a customer accepts. Parsed into plain structs at
// start and on SIGHUP (platform/rules); a bad file is rejected with its line and column. Pure.
//
//   vat:
//     goods: 23                  # a product or accessory whose category is not listed below
//     categories: { books: 5 }   # by the catalog's category
//     services: 23               # carrying in, assembly, installation, SMS, gift wrapping
//     warranties: 23             # or zw: exempt (sold as insurance)
//     delivery: 23               # the delivery method, its day surcharge and its addons
//     payment_fee: 23            # e.g. the cash-on-delivery fee
//   consents:                    # in the order the customer sees them; at most 20
//     - id: terms_of_sale        # ^[a-z][a-z0-9_]{0,63}$, unique
//       required: true           # the order cannot be placed without it
//       version: "2026-01"       # a new version asks every customer again
//       title: Regulamin sklepu
//       text: Akceptuję regulamin sklepu ...
//
// A rate is a whole percentage from 0 to 99 or `zw` (zwolniony: exempt, no VAT).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "platform/rules/node.hpp"

namespace checkout {

struct VatRate {
  int percent = 23;
  bool exempt = false;
  // "23%", "8%", "0%", "zw": the column an invoice shows.
  std::string label() const;
  friend bool operator==(const VatRate&, const VatRate&) = default;
  // By percentage, then exempt after 0%: the order of an invoice's VAT table (read backwards).
  friend bool operator<(const VatRate& a, const VatRate& b) {
    return a.percent != b.percent ? a.percent < b.percent : a.exempt < b.exempt;
  }
  friend bool operator>(const VatRate& a, const VatRate& b) { return b < a; }
};

struct VatRules {
  VatRate goods;
  std::map<std::string, VatRate> categories;
  VatRate services;
  VatRate warranties;
  VatRate delivery;
  VatRate payment_fee;
  const VatRate& for_category(const std::string& category) const;
  friend bool operator==(const VatRules&, const VatRules&) = default;
};

struct ConsentText {
  std::string id;
  bool required = false;
  std::string version;
  std::string title;
  std::string text;
  friend bool operator==(const ConsentText&, const ConsentText&) = default;
};

struct CheckoutRules {
  VatRules vat;
  std::vector<ConsentText> consents;
  const ConsentText* consent(const std::string& id) const;
  friend bool operator==(const CheckoutRules&, const CheckoutRules&) = default;
};

inline constexpr std::size_t kMaxConsents = 20;

// Throws platform::rules::RulesError naming the line and column of the first problem.
CheckoutRules parse_checkout_rules(const platform::rules::Node& root);

}  // namespace checkout
