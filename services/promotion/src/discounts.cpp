#include "discounts.hpp"

#include <algorithm>
#include <limits>

#include "allocation.hpp"
#include "contracts/catalog_product.hpp"

namespace promotion::detail {
namespace {
// A bundle's amount × sets beyond this is capped: the allocation caps it at the lines' value.
constexpr std::int64_t kMaxDiscount = std::numeric_limits<std::int64_t>::max() / 4;

// The units of line `i` with value left, as at most two runs: R / q each, and R % q of them one
// grosz more (taken first: the more valuable units are the line's "first" ones).
void add_runs(std::vector<Run>& runs, const LineView& line, std::int64_t remaining,
              std::uint32_t i) {
  if (line.quantity <= 0 || remaining <= 0) return;
  const std::int64_t each = remaining / line.quantity;
  const std::int64_t more = remaining % line.quantity;
  if (more > 0) runs.push_back(Run{.value = each + 1, .count = more, .line = i});
  if (each > 0) runs.push_back(Run{.value = each, .count = line.quantity - more, .line = i});
}

void collect_runs(std::span<const LineView> lines, std::span<const std::uint8_t> match,
                  std::span<const std::int64_t> remaining, Scratch& scratch) {
  scratch.runs.clear();
  for (std::uint32_t i = 0; i < lines.size(); ++i) {
    if (match[i] != 0) add_runs(scratch.runs, lines[i], remaining[i], i);
  }
}

// Positive-value units of a line.
std::int64_t live_units(const LineView& line, std::int64_t remaining) {
  if (line.quantity <= 0 || remaining <= 0) return 0;
  return std::min(line.quantity, remaining);  // a unit is live while it has a grosz left
}

// The value of the `count` most valuable units of a line with `remaining` left.
std::int64_t value_of_units(const LineView& line, std::int64_t remaining, std::int64_t count) {
  const std::int64_t each = remaining / line.quantity;
  const std::int64_t more = remaining % line.quantity;
  return count * each + std::min(count, more);
}

Outcome percent_of_lines(std::int64_t bp, std::span<const std::uint8_t> match,
                         std::span<const std::int64_t> remaining, std::span<std::int64_t> parts) {
  Outcome outcome;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (match[i] == 0 || remaining[i] <= 0) continue;
    parts[i] = percent_of(remaining[i], bp);
    outcome.discount += parts[i];
  }
  return outcome;
}

Outcome amount_over_lines(std::int64_t amount, std::span<const std::uint8_t> match,
                          std::span<const std::int64_t> remaining, std::span<std::int64_t> parts,
                          Scratch& scratch) {
  scratch.values.assign(remaining.begin(), remaining.end());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (match[i] == 0) scratch.values[i] = 0;
  }
  return Outcome{
      .discount = allocate_into(amount, scratch.values, parts, scratch.order, scratch.remainders),
      .free_delivery = false};
}

Outcome amount_per_unit(std::int64_t amount, std::span<const LineView> lines,
                        std::span<const std::uint8_t> match,
                        std::span<const std::int64_t> remaining, std::span<std::int64_t> parts) {
  Outcome outcome;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (match[i] == 0 || remaining[i] <= 0) continue;
    // amount × quantity may pass the line's value (and int64 for absurd amounts): cap first.
    parts[i] = amount > remaining[i] / std::max<std::int64_t>(lines[i].quantity, 1)
                   ? remaining[i]
                   : std::min(remaining[i], amount * lines[i].quantity);
    outcome.discount += parts[i];
  }
  return outcome;
}

Outcome second_item(std::int64_t bp, std::span<const LineView> lines,
                    std::span<const std::uint8_t> match, std::span<const std::int64_t> remaining,
                    std::span<std::int64_t> parts, Scratch& scratch) {
  collect_runs(lines, match, remaining, scratch);
  std::sort(scratch.runs.begin(), scratch.runs.end(), [](const Run& a, const Run& b) {
    return a.value != b.value ? a.value > b.value : a.line < b.line;
  });
  // Units in descending order at positions 1, 2, 3, ...: the even positions are the cheaper of
  // each pair.
  Outcome outcome;
  std::int64_t position = 0;
  for (const auto& run : scratch.runs) {
    const std::int64_t cheaper = (position + run.count) / 2 - position / 2;
    position += run.count;
    const std::int64_t part = cheaper * percent_of(run.value, bp);
    parts[run.line] += part;
    outcome.discount += part;
  }
  return outcome;
}

Outcome buy_n_free(std::int64_t buy, std::span<const LineView> lines,
                   std::span<const std::uint8_t> match, std::span<const std::int64_t> remaining,
                   std::span<std::int64_t> parts, Scratch& scratch) {
  collect_runs(lines, match, remaining, scratch);
  std::int64_t units = 0;
  for (const auto& run : scratch.runs) units += run.count;
  std::int64_t free = units / (buy + 1);
  if (free == 0) return {};
  std::sort(scratch.runs.begin(), scratch.runs.end(), [](const Run& a, const Run& b) {
    return a.value != b.value ? a.value < b.value : a.line < b.line;
  });
  Outcome outcome;
  for (const auto& run : scratch.runs) {
    if (free == 0) break;
    const std::int64_t count = std::min(free, run.count);
    free -= count;
    parts[run.line] += count * run.value;
    outcome.discount += count * run.value;
  }
  return outcome;
}

// Whether `sets` complete bundles can be formed: each component takes its units from its lines,
// the most valuable first, skus before brands before categories (the specific ones first, so
// that "a TV" does not take the TV a sku component needed). Leaves the units taken in
// scratch.taken.
bool fill_bundles(const Promotion& promotion, std::int64_t sets, std::span<const LineView> lines,
                  std::span<const std::uint8_t> component_match,
                  std::span<const std::int64_t> remaining, std::span<const std::uint32_t> by_value,
                  Scratch& scratch) {
  const std::size_t n = lines.size();
  std::fill(scratch.taken.begin(), scratch.taken.end(), 0);
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t c = 0; c < promotion.components.size(); ++c) {
      const auto& target = promotion.components[c].target;
      const int rank = !target.skus.empty() ? 0 : !target.brands.empty() ? 1 : 2;
      if (rank != pass) continue;
      std::int64_t need = sets * promotion.components[c].count;
      for (const auto i : by_value) {
        if (need == 0) break;
        if (component_match[c * n + i] == 0) continue;
        const std::int64_t take =
            std::min(need, live_units(lines[i], remaining[i]) - scratch.taken[i]);
        scratch.taken[i] += take;
        need -= take;
      }
      if (need > 0) return false;
    }
  }
  return true;
}

Outcome bundle(const Promotion& promotion, std::span<const LineView> lines,
               std::span<const std::uint8_t> component_match,
               std::span<const std::int64_t> remaining, std::span<std::int64_t> parts,
               Scratch& scratch) {
  const std::size_t n = lines.size();
  const std::size_t components = promotion.components.size();
  std::int64_t most = -1;
  for (std::size_t c = 0; c < components; ++c) {
    std::int64_t units = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (component_match[c * n + i] != 0) units += live_units(lines[i], remaining[i]);
    }
    const std::int64_t sets = units / promotion.components[c].count;
    most = most < 0 ? sets : std::min(most, sets);
  }
  if (most <= 0) return {};
  // Lines by unit value left, highest first: a set takes the most valuable units.
  auto& by_value = scratch.order;
  by_value.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) by_value[i] = i;
  const auto unit_value = [&](std::uint32_t i) {
    return lines[i].quantity > 0 ? remaining[i] / lines[i].quantity : 0;
  };
  std::sort(by_value.begin(), by_value.end(), [&](std::uint32_t a, std::uint32_t b) {
    return unit_value(a) != unit_value(b) ? unit_value(a) > unit_value(b) : a < b;
  });
  scratch.taken.resize(n);
  // Components may overlap (a category and a sku of it): find the most sets that fit.
  std::int64_t low = 0;
  std::int64_t high = most;
  while (low < high) {
    const std::int64_t mid = low + (high - low + 1) / 2;
    if (fill_bundles(promotion, mid, lines, component_match, remaining, by_value, scratch)) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  if (low == 0) return {};
  fill_bundles(promotion, low, lines, component_match, remaining, by_value, scratch);
  scratch.values.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (scratch.taken[i] > 0) {
      scratch.values[i] = value_of_units(lines[i], remaining[i], scratch.taken[i]);
    }
  }
  Outcome outcome;
  if (promotion.percent_bp) {
    for (std::size_t i = 0; i < n; ++i) {
      parts[i] = percent_of(scratch.values[i], *promotion.percent_bp);
      outcome.discount += parts[i];
    }
    return outcome;
  }
  const std::int64_t amount =
      *promotion.amount > kMaxDiscount / low ? kMaxDiscount : *promotion.amount * low;
  outcome.discount =
      allocate_into(amount, scratch.values, parts, scratch.order, scratch.remainders);
  return outcome;
}

}  // namespace

std::vector<LineView> views_of(const PromotionRules& rules, const contracts::CartCopy& cart,
                               std::vector<std::uint64_t>& terms) {
  constexpr std::size_t kBits = 64;
  const std::size_t words = (rules.term_count() + kBits - 1) / kBits;
  terms.assign(words * cart.lines.size(), 0);
  std::vector<LineView> views;
  views.reserve(cart.lines.size());
  for (std::size_t i = 0; i < cart.lines.size(); ++i) {
    const auto& line = cart.lines[i];
    LineView view{.sku = line.sku,
                  .unit = std::max<std::int64_t>(line.unit_price.amount, 0),
                  .quantity = std::max<std::int64_t>(line.quantity, 0),
                  .value = 0,
                  .category_bit = 0,
                  .goods = !line.is_service(),
                  .terms = std::span(terms).subspan(i * words, words)};
    view.value = view.unit * view.quantity;
    for (std::size_t c = 0; c < contracts::kGoodsCategories.size(); ++c) {
      if (contracts::kGoodsCategories[c] == line.category) view.category_bit = 1U << c;
    }
    const auto set = [&](std::size_t term) {
      terms[i * words + term / kBits] |= std::uint64_t{1} << (term % kBits);
    };
    const auto& skus = rules.sku_terms;
    const auto sku = std::lower_bound(skus.begin(), skus.end(), view.sku);
    if (sku != skus.end() && *sku == view.sku) set(static_cast<std::size_t>(sku - skus.begin()));
    for (std::size_t p = 0; p < rules.prefix_terms.size(); ++p) {
      if (view.sku.starts_with(rules.prefix_terms[p])) set(skus.size() + p);
    }
    views.push_back(view);
  }
  return views;
}

bool matches(const Target& target, const LineView& line) {
  if (!line.goods) return false;
  if (target.whole_cart() || (target.category_bits & line.category_bit) != 0) return true;
  constexpr std::uint32_t kBits = 64;
  return std::any_of(target.term_ids.begin(), target.term_ids.end(), [&](std::uint32_t term) {
    return ((line.terms[term / kBits] >> (term % kBits)) & 1U) != 0;
  });
}

std::int64_t units_of(std::span<const LineView> lines, std::span<const std::uint8_t> match,
                      std::span<const std::int64_t> remaining) {
  std::int64_t units = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (match[i] != 0) units += live_units(lines[i], remaining[i]);
  }
  return units;
}

void component_rows(const Promotion& promotion, std::span<const LineView> lines,
                    std::span<std::uint8_t> rows) {
  const std::size_t n = lines.size();
  for (std::size_t c = 0; c < promotion.components.size(); ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      rows[c * n + i] = matches(promotion.components[c].target, lines[i]) ? 1 : 0;
    }
  }
}

Outcome compute(const Promotion& promotion, std::span<const LineView> lines,
                std::span<const std::uint8_t> match, std::span<const std::uint8_t> component_match,
                std::span<const std::int64_t> remaining, std::span<std::int64_t> parts,
                Scratch& scratch) {
  std::fill(parts.begin(), parts.end(), 0);
  switch (promotion.rule_kind) {
    case RuleKind::percent_off:
      return percent_of_lines(*promotion.percent_bp, match, remaining, parts);
    case RuleKind::amount_off:
      if (promotion.per == AmountPer::unit) {
        return amount_per_unit(*promotion.amount, lines, match, remaining, parts);
      }
      return amount_over_lines(*promotion.amount, match, remaining, parts, scratch);
    case RuleKind::cart_threshold:
      if (promotion.percent_bp) {
        return percent_of_lines(*promotion.percent_bp, match, remaining, parts);
      }
      return amount_over_lines(*promotion.amount, match, remaining, parts, scratch);
    case RuleKind::second_item_discount:
      return second_item(*promotion.percent_bp, lines, match, remaining, parts, scratch);
    case RuleKind::buy_n_get_one_free:
      return buy_n_free(promotion.buy, lines, match, remaining, parts, scratch);
    case RuleKind::free_delivery:
      return Outcome{.discount = 0, .free_delivery = true};
    case RuleKind::bundle:
      return bundle(promotion, lines, component_match, remaining, parts, scratch);
  }
  return {};
}

}  // namespace promotion::detail
