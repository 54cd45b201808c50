#pragma once
// Carts and rules for the Promotion's unit tests: lines with a given sku, category, price and
// quantity, rules parsed from text written out in the test, and readable output.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "contracts/test_cart.hpp"
#include "engine.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/rules/testing.hpp"
#include "promotion_rules.hpp"

namespace promotion {

// Readable failures (GoogleTest finds PrintTo by this name).
// NOLINTNEXTLINE(readability-identifier-naming)
inline void PrintTo(const Allocation& a, std::ostream* out) {
  *out << a.item_id << ": " << platform::to_string(a.amount);
}

namespace testing {

// A product line: type accessory for the accessory category, offer otherwise.
inline contracts::CartLine line(std::string item_id, std::string sku, std::string category,
                                std::int64_t unit_price, std::int64_t quantity = 1) {
  contracts::CartLine line;
  line.item_id = std::move(item_id);
  line.type = category == "accessory" ? "accessory" : "offer";
  line.sku = std::move(sku);
  line.name = "Produkt " + line.item_id;
  line.category = std::move(category);
  line.unit_price = platform::pln(unit_price);
  line.quantity = quantity;
  return line;
}

inline contracts::CartLine service_line(std::string item_id, std::int64_t unit_price,
                                        std::int64_t quantity = 1) {
  contracts::CartLine line;
  line.item_id = std::move(item_id);
  line.type = "service";
  line.sku = "SRV-CARRY-IN";
  line.name = "Wniesienie";
  line.category = "service";
  line.unit_price = platform::pln(unit_price);
  line.quantity = quantity;
  return line;
}

inline contracts::CartCopy cart(std::vector<contracts::CartLine> lines) {
  return contracts::testing::cart_of(std::move(lines));
}

inline PromotionRules rules(std::string_view text) {
  return platform::rules::testing::parse_or_throw<PromotionRules>(text, "promotion_rules.yaml",
                                                                  parse_promotion_rules);
}

inline platform::Result<PromotionRules> parse(std::string_view text) {
  return platform::rules::parse_rules<PromotionRules>(text, "promotion_rules.yaml",
                                                      parse_promotion_rules);
}

// Warsaw local time.
inline platform::TimePoint warsaw(std::chrono::year_month_day date, int hour, int minute = 0) {
  return platform::from_warsaw(date, std::chrono::minutes(hour * 60 + minute));
}

// A moment when no window of the tests' rules matters.
inline const platform::TimePoint kNow = warsaw(std::chrono::year{2026} / 12 / 7, 12);

inline Evaluation evaluate_at(const PromotionRules& rules, const contracts::CartCopy& cart,
                              const Choices& choices = {}, platform::TimePoint now = kNow) {
  return evaluate(rules, cart, choices, now);
}

// The ids applied, in order.
inline std::vector<std::string> applied_ids(const Evaluation& evaluation) {
  std::vector<std::string> ids;
  for (const auto& a : evaluation.applied) ids.push_back(a.promotion_id);
  return ids;
}

inline Allocation part(std::string item_id, std::int64_t grosze) {
  return Allocation{.item_id = std::move(item_id), .amount = platform::pln(grosze)};
}

}  // namespace testing
}  // namespace promotion
