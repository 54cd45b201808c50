#pragma once
// What one promotion gives a cart on the values its lines have left after earlier discounts: the
// rule kinds of promotion_rules.hpp computed to the grosz. The engine's building block
// (engine.hpp stacks them); not meant for the service. Pure: no I/O; a Scratch is one thread's.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "promotion_rules.hpp"

namespace promotion::detail {

// One cart line as the engine reads it.
struct LineView {
  std::string_view sku;
  std::int64_t unit = 0;      // unit price, grosze
  std::int64_t quantity = 0;  // 0 when the cart says less than 1
  std::int64_t value = 0;     // unit × quantity: the line's value at cart prices
  std::uint32_t category_bit = 0;
  bool goods = false;                    // false for service lines: they never get a discount
  std::span<const std::uint64_t> terms;  // bit t: the sku is or starts with rules' term t
};

// The cart's lines as the engine reads them; `terms` holds the bits the views point into.
[[nodiscard]] std::vector<LineView> views_of(const PromotionRules& rules,
                                             const contracts::CartCopy& cart,
                                             std::vector<std::uint64_t>& terms);

// Whether a product line is one of `target`'s (never a service line).
[[nodiscard]] bool matches(const Target& target, const LineView& line);

// Units of equal value on one line (a line's value left, split over its units, leaves at most two
// values a grosz apart).
struct Run {
  std::int64_t value = 0;
  std::int64_t count = 0;
  std::uint32_t line = 0;
};

// Buffers reused by every computation of one evaluation, so that none allocates once warm.
struct Scratch {
  std::vector<Run> runs;
  std::vector<std::uint32_t> order;
  std::vector<std::int64_t> values;
  std::vector<std::int64_t> taken;
  std::vector<std::int64_t> remainders;
};

struct Outcome {
  std::int64_t discount = 0;  // the sum of the parts
  bool free_delivery = false;
  [[nodiscard]] bool applies() const { return discount > 0 || free_delivery; }
};

// A bundle's components' lines: rows[c × lines + i] flags line i for component c
// (components × lines flags).
void component_rows(const Promotion& promotion, std::span<const LineView> lines,
                    std::span<std::uint8_t> rows);

// What `promotion` gives: its part of each line written into `parts` (one per line, each at most
// the line's `remaining` value). `match` flags the lines of the promotion's target;
// `component_match` is component_rows() for a bundle (empty otherwise). The caller has checked
// what does not depend on earlier discounts: the window, the choice, min_value. A promotion that
// gives nothing on some values gives nothing on smaller ones either.
Outcome compute(const Promotion& promotion, std::span<const LineView> lines,
                std::span<const std::uint8_t> match, std::span<const std::uint8_t> component_match,
                std::span<const std::int64_t> remaining, std::span<std::int64_t> parts,
                Scratch& scratch);

// Units of the lines matching `match` (and of value left above 0 in `remaining`).
[[nodiscard]] std::int64_t units_of(std::span<const LineView> lines,
                                    std::span<const std::uint8_t> match,
                                    std::span<const std::int64_t> remaining);

// `amount` × `bp` / 10000, rounded half up to the grosz.
[[nodiscard]] constexpr std::int64_t percent_of(std::int64_t amount, std::int64_t bp) {
  return (amount * bp + kWholeBp / 2) / kWholeBp;
}

}  // namespace promotion::detail
