#include "engine.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <utility>

#include "contracts/catalog_product.hpp"
#include "discounts.hpp"
#include "platform/polish_format.hpp"

namespace promotion {
namespace {
using detail::LineView;
using detail::Outcome;

// The catalog's categories of goods as customers read them, in kGoodsCategories' order.
constexpr std::array<std::string_view, 8> kPolishCategories = {
    "telewizory", "lodówki", "pralki", "zmywarki", "meble", "laptopy", "smartfony", "akcesoria"};
static_assert(kPolishCategories.size() == contracts::kGoodsCategories.size());

// What a promotion's eligibility owes to the cart at cart prices and to the customer's choices,
// not to earlier discounts.
struct Facts {
  bool active = false;     // in force now
  bool chosen = false;     // no opt-in or chosen; no code or its code applied
  std::int64_t value = 0;  // of the targeted product lines
  std::int64_t units = 0;
  bool min_met = true;
  [[nodiscard]] bool possible() const { return active && units > 0 && min_met; }
};

// Which lines `promotion` is about: its target's, or any component's for a bundle.
void match_row(const Promotion& promotion, std::span<const LineView> lines,
               std::span<std::uint8_t> row) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    bool match = false;
    if (promotion.rule_kind == RuleKind::bundle) {
      match = std::any_of(promotion.components.begin(), promotion.components.end(),
                          [&](const Component& c) { return detail::matches(c.target, lines[i]); });
    } else {
      match = detail::matches(promotion.target, lines[i]);
    }
    row[i] = match ? 1 : 0;
  }
}

bool contains(const std::vector<std::string>& list, std::string_view text) {
  return std::find(list.begin(), list.end(), text) != list.end();
}

Facts facts_of(const Promotion& promotion, std::span<const LineView> lines,
               std::span<const std::uint8_t> row, const Choices* choices, platform::TimePoint now) {
  Facts facts;
  facts.active = promotion.active_at(now);
  if (choices == nullptr) {
    facts.chosen = true;
  } else if (promotion.code) {
    facts.chosen = contains(choices->codes, *promotion.code);
  } else {
    facts.chosen = !promotion.opt_in || contains(choices->opt_ins, promotion.id);
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (row[i] == 0) continue;
    facts.value += lines[i].value;
    facts.units += lines[i].value > 0 ? std::min(lines[i].quantity, lines[i].value) : 0;
  }
  facts.min_met = !promotion.min_value || facts.value >= *promotion.min_value;
  return facts;
}

// "„Drugi telewizor 50% taniej”"
std::string quoted(std::string_view name) {
  return "„" + std::string(name) + "”";
}

// What one more unit of `target` is, for "Dodaj jeszcze 1 ...".
std::string one_of(const Target& target) {
  if (target.skus.size() == 1 && target.categories.empty() && target.brands.empty()) {
    return "szt. produktu " + target.skus.front();
  }
  if (target.categories.size() == 1 && target.skus.empty() && target.brands.empty()) {
    for (std::size_t c = 0; c < contracts::kGoodsCategories.size(); ++c) {
      if (contracts::kGoodsCategories[c] == target.categories.front()) {
        return "produkt z kategorii " + std::string(kPolishCategories.at(c));
      }
    }
  }
  if (target.brands.size() == 1 && target.skus.empty() && target.categories.empty()) {
    std::string brand = target.brands.front();
    if (brand[0] >= 'a' && brand[0] <= 'z') brand[0] = static_cast<char>(brand[0] - 'a' + 'A');
    return "produkt marki " + brand;
  }
  return target.whole_cart() ? "produkt" : "produkt objęty promocją";
}

// "01.12.2026, godz. 00:00" from the file's "2026-12-01 00:00".
std::string polish_minute(const std::string& text) {
  return text.substr(8, 2) + "." + text.substr(5, 2) + "." + text.substr(0, 4) + ", godz. " +
         text.substr(11, 5);
}

// The cart as the engine reads it, which lines each promotion is about, and the buffers every
// computation reuses: built once per evaluation.
class Evaluator {
 public:
  Evaluator(const PromotionRules& rules, const contracts::CartCopy& cart)
      : rules_(rules), cart_(cart) {
    lines_ = detail::views_of(rules, cart, terms_);
    values_.resize(lines_.size());
    for (std::size_t i = 0; i < lines_.size(); ++i) values_[i] = lines_[i].value;
    remaining_.resize(lines_.size());
    parts_.resize(lines_.size());
    match_.resize(rules.promotions.size() * lines_.size());
    components_at_.resize(rules.promotions.size() + 1);
    std::size_t flags = 0;
    for (std::size_t p = 0; p < rules.promotions.size(); ++p) {
      match_row(rules.promotions[p], lines_, row(p));
      components_at_[p] = flags;
      flags += rules.promotions[p].components.size() * lines_.size();
    }
    components_at_.back() = flags;
    component_match_.resize(flags);
    for (std::size_t p = 0; p < rules.promotions.size(); ++p) {
      if (!rules.promotions[p].components.empty()) {
        detail::component_rows(rules.promotions[p], lines_, components(p));
      }
    }
  }

  [[nodiscard]] std::span<const LineView> lines() const { return lines_; }
  [[nodiscard]] std::span<const std::int64_t> values() const { return values_; }
  std::span<std::uint8_t> row(std::size_t p) {
    return std::span(match_).subspan(p * lines_.size(), lines_.size());
  }

  std::span<std::uint8_t> components(std::size_t p) {
    return std::span(component_match_)
        .subspan(components_at_[p], components_at_[p + 1] - components_at_[p]);
  }

  // What promotion `p` gives on `remaining`; its parts in parts().
  Outcome compute(std::size_t p, std::span<const std::int64_t> remaining) {
    return detail::compute(rules_.promotions[p], lines_, row(p), components(p), remaining, parts_,
                           scratch_);
  }
  [[nodiscard]] std::span<const std::int64_t> parts() const { return parts_; }

  // Promotions applied in the order of `plan`, their allocations recorded.
  Evaluation run(const std::vector<std::uint32_t>& plan) {
    Evaluation out;
    out.total_discount = platform::pln(0);
    std::copy(values_.begin(), values_.end(), remaining_.begin());
    for (const auto p : plan) {
      const auto outcome = compute(p, remaining_);
      if (!outcome.applies()) continue;
      const auto& promotion = rules_.promotions[p];
      Applied applied{.promotion_id = promotion.id,
                      .name = promotion.name,
                      .kind = promotion.kind,
                      .code = promotion.code,
                      .discount = platform::pln(outcome.discount),
                      .allocations = {},
                      .free_delivery = outcome.free_delivery};
      for (std::size_t i = 0; i < lines_.size(); ++i) {
        if (parts_[i] == 0) continue;
        applied.allocations.push_back(
            Allocation{.item_id = cart_.lines[i].item_id, .amount = platform::pln(parts_[i])});
        remaining_[i] -= parts_[i];
      }
      out.total_discount.amount += outcome.discount;
      out.free_delivery = out.free_delivery || outcome.free_delivery;
      out.applied.push_back(std::move(applied));
    }
    return out;
  }

 private:
  const PromotionRules& rules_;
  const contracts::CartCopy& cart_;
  std::vector<std::uint64_t> terms_;
  std::vector<LineView> lines_;
  std::vector<std::int64_t> values_;
  std::vector<std::int64_t> remaining_;
  std::vector<std::int64_t> parts_;
  std::vector<std::uint8_t> match_;
  std::vector<std::size_t> components_at_;  // where each promotion's component rows start
  std::vector<std::uint8_t> component_match_;
  detail::Scratch scratch_;
};

struct Score {
  std::int64_t total = 0;
  bool free_delivery = false;
  [[nodiscard]] bool beats(const Score& other) const {
    return total != other.total ? total > other.total : free_delivery && !other.free_delivery;
  }
};

Score score_of(const Outcome& outcome) {
  return Score{.total = outcome.discount, .free_delivery = outcome.free_delivery};
}

Score plus(Score score, const Outcome& outcome) {
  return Score{.total = score.total + outcome.discount,
               .free_delivery = score.free_delivery || outcome.free_delivery};
}

constexpr std::int32_t kUndecided = -2;
constexpr std::int32_t kNone = -1;

struct Candidate {
  std::vector<std::uint32_t> plan;  // promotion indices in the order to apply them
  Score score;
};

// One scan of `order` (the promotions that may apply, in priority order), as engine.hpp
// describes it: its own plan or its best stop_further ending, whichever is better.
// `group_choice` holds each group's chosen member, or kUndecided to choose at the group's first
// member on the state there.
Candidate scan(const PromotionRules& rules, Evaluator& evaluator,
               const std::vector<std::uint32_t>& order, std::vector<std::int32_t> group_choice) {
  std::vector<std::uint8_t> group_applied(rules.exclusive_groups.size(), 0);
  const auto values = evaluator.values();
  std::vector<std::int64_t> state(values.begin(), values.end());
  Candidate out;
  struct Ending {
    std::size_t prefix = 0;  // how many of the scan's plan come before it
    std::uint32_t promotion = 0;
    Score score;
  };
  std::optional<Ending> best_ending;

  for (std::size_t at = 0; at < order.size(); ++at) {
    const auto p = order[at];
    const auto& promotion = rules.promotions[p];
    const auto group = promotion.group_index;
    if (group >= 0 && group_applied[group] != 0) continue;
    if (promotion.stop_further) {
      const auto outcome = evaluator.compute(p, state);
      const Ending ending{
          .prefix = out.plan.size(), .promotion = p, .score = plus(out.score, outcome)};
      if (outcome.applies() && (!best_ending || ending.score.beats(best_ending->score))) {
        best_ending = ending;
      }
      continue;
    }
    if (group >= 0) {
      if (group_choice[group] == kUndecided) {
        group_choice[group] = kNone;
        Score best;
        for (std::size_t later = at; later < order.size(); ++later) {
          const auto& member = rules.promotions[order[later]];
          if (member.group_index != group || member.stop_further) continue;
          const auto score = score_of(evaluator.compute(order[later], state));
          if (score.beats(best)) {
            best = score;
            group_choice[group] = static_cast<std::int32_t>(order[later]);
          }
        }
      }
      if (group_choice[group] != static_cast<std::int32_t>(p)) continue;
    }
    const auto outcome = evaluator.compute(p, state);
    if (!outcome.applies()) continue;
    const auto parts = evaluator.parts();
    for (std::size_t i = 0; i < state.size(); ++i) state[i] -= parts[i];
    out.plan.push_back(p);
    out.score = plus(out.score, outcome);
    if (group >= 0) group_applied[group] = 1;
  }
  if (best_ending && best_ending->score.beats(out.score)) {
    out.plan.resize(best_ending->prefix);
    out.plan.push_back(best_ending->promotion);
    out.score = best_ending->score;
  }
  return out;
}

// Each group's member that gives the most at its own place in the order, given what the
// promotions of no group before it took (a pass that applies only those): the group choices of
// the second scan.
std::vector<std::int32_t> choices_in_place(const PromotionRules& rules, Evaluator& evaluator,
                                           const std::vector<std::uint32_t>& order) {
  std::vector<std::int32_t> choice(rules.exclusive_groups.size(), kNone);
  std::vector<Score> best(rules.exclusive_groups.size());
  const auto values = evaluator.values();
  std::vector<std::int64_t> state(values.begin(), values.end());
  for (const auto p : order) {
    const auto& promotion = rules.promotions[p];
    if (promotion.stop_further) continue;
    const auto outcome = evaluator.compute(p, state);
    if (promotion.group_index >= 0) {
      const auto group = static_cast<std::size_t>(promotion.group_index);
      if (score_of(outcome).beats(best[group])) {
        best[group] = score_of(outcome);
        choice[group] = static_cast<std::int32_t>(p);
      }
      continue;
    }
    const auto parts = evaluator.parts();
    for (std::size_t i = 0; i < state.size(); ++i) state[i] -= parts[i];
  }
  return choice;
}

// The best plan among `order`, the promotions that may apply in priority order: the algorithm
// of engine.hpp. `alone` holds what each of them gives on its own.
std::vector<std::uint32_t> best_plan(const PromotionRules& rules, Evaluator& evaluator,
                                     const std::vector<std::uint32_t>& order,
                                     const std::vector<Score>& alone) {
  Candidate best = scan(rules, evaluator, order,
                        std::vector<std::int32_t>(rules.exclusive_groups.size(), kUndecided));
  if (!rules.exclusive_groups.empty()) {
    auto second = scan(rules, evaluator, order, choices_in_place(rules, evaluator, order));
    if (second.score.beats(best.score)) best = std::move(second);
  }
  for (const auto p : order) {
    if (alone[p].beats(best.score)) {
      best.score = alone[p];
      best.plan.assign(1, p);
    }
  }
  return std::move(best.plan);
}

std::optional<NearMiss> near_miss(const PromotionRules& rules, const Promotion& promotion,
                                  const Facts& facts, std::span<const LineView> lines,
                                  std::span<const std::uint8_t> row) {
  const auto miss = [&](std::string reason, std::string message) {
    return NearMiss{.promotion_id = promotion.id,
                    .name = promotion.name,
                    .reason_code = std::move(reason),
                    .message = std::move(message)};
  };
  if (!facts.min_met) {
    const std::int64_t min = *promotion.min_value;
    if (facts.value <= 0 || facts.value * kWholeBp < min * (kWholeBp - rules.near_miss_within_bp)) {
      return std::nullopt;
    }
    return miss("below_minimum", "Brakuje " +
                                     platform::polish_price(platform::pln(min - facts.value)) +
                                     " do promocji " + quoted(promotion.name) + ".");
  }
  if (facts.units == 0) return std::nullopt;
  const auto one_more = [&](const Target& target, std::string_view purpose) {
    return miss("one_more_item", "Dodaj jeszcze 1 " + one_of(target) + ", aby " +
                                     std::string(purpose) + " " + quoted(promotion.name) + ".");
  };
  switch (promotion.rule_kind) {
    case RuleKind::second_item_discount:
      if (facts.units == 1) return one_more(promotion.target, "skorzystać z promocji");
      break;
    case RuleKind::buy_n_get_one_free:
      if (facts.units == promotion.buy) return one_more(promotion.target, "skorzystać z promocji");
      break;
    case RuleKind::bundle: {
      std::int64_t short_by = 0;
      const Component* missing = nullptr;
      for (const auto& component : promotion.components) {
        std::int64_t units = 0;
        for (std::size_t i = 0; i < lines.size(); ++i) {
          if (row[i] != 0 && detail::matches(component.target, lines[i]) && lines[i].value > 0) {
            units += std::min(lines[i].quantity, lines[i].value);
          }
        }
        if (units < component.count) {
          short_by += component.count - units;
          missing = &component;
        }
      }
      if (short_by == 1) return one_more(missing->target, "skompletować zestaw");
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

Evaluation evaluate(const PromotionRules& rules, const contracts::CartCopy& cart,
                    const Choices& choices, platform::TimePoint now) {
  Evaluator evaluator(rules, cart);
  const std::size_t count = rules.promotions.size();
  std::vector<Facts> facts(count);
  std::vector<Score> alone(count);
  std::vector<std::uint32_t> order;
  order.reserve(count);
  for (std::uint32_t p = 0; p < count; ++p) {
    facts[p] = facts_of(rules.promotions[p], evaluator.lines(), evaluator.row(p), &choices, now);
    if (!facts[p].possible()) continue;
    alone[p] = score_of(evaluator.compute(p, evaluator.values()));
    // What gives nothing on the cart's prices gives nothing after other discounts either.
    if (facts[p].chosen && alone[p].total + (alone[p].free_delivery ? 1 : 0) > 0) {
      order.push_back(p);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return rules.promotions[a].priority > rules.promotions[b].priority;
  });

  Evaluation out = evaluator.run(best_plan(rules, evaluator, order, alone));

  for (std::uint32_t p = 0; p < count; ++p) {
    const auto& promotion = rules.promotions[p];
    if (!facts[p].active) continue;
    const bool gives = alone[p].total > 0 || alone[p].free_delivery;
    if (!facts[p].chosen) {
      if (promotion.opt_in && gives) out.opt_ins_available.push_back(promotion.id);
      continue;
    }
    if (gives) continue;  // applied, or lost to a better combination: not "almost"
    if (auto miss = near_miss(rules, promotion, facts[p], evaluator.lines(), evaluator.row(p))) {
      out.near_misses.push_back(std::move(*miss));
    }
  }
  return out;
}

std::variant<const Promotion*, CodeRefusal> check_code(const PromotionRules& rules,
                                                       std::string_view code,
                                                       const contracts::CartCopy& cart,
                                                       platform::TimePoint now) {
  const auto* promotion = rules.by_code(code);
  const std::string named = "Kod " + quoted(code);
  if (promotion == nullptr) {
    return CodeRefusal{"unknown", named + " nie istnieje. Sprawdź, czy został wpisany poprawnie."};
  }
  if (promotion->valid_from && now < *promotion->valid_from) {
    return CodeRefusal{"not_yet_active", named + " będzie ważny od " +
                                             polish_minute(*promotion->valid_from_text) + "."};
  }
  if (promotion->valid_to && now >= *promotion->valid_to) {
    return CodeRefusal{"expired",
                       named + " był ważny do " + polish_minute(*promotion->valid_to_text) + "."};
  }
  std::vector<std::uint64_t> terms;
  const auto lines = detail::views_of(rules, cart, terms);
  std::vector<std::uint8_t> row(lines.size());
  match_row(*promotion, lines, row);
  const Facts facts = facts_of(*promotion, lines, row, nullptr, now);
  if (!facts.min_met) {
    const std::int64_t min = *promotion->min_value;
    return CodeRefusal{
        "minimum_not_met",
        named + " działa przy zakupach " +
            (promotion->target.whole_cart() ? std::string() : "produktów objętych promocją ") +
            "za co najmniej " + platform::polish_price(platform::pln(min)) + ": brakuje " +
            platform::polish_price(platform::pln(min - facts.value)) + "."};
  }
  if (facts.units == 0) {
    return CodeRefusal{"not_applicable", named + " nie obejmuje żadnego produktu w koszyku."};
  }
  std::vector<std::int64_t> values(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) values[i] = lines[i].value;
  std::vector<std::int64_t> parts(lines.size());
  std::vector<std::uint8_t> components(promotion->components.size() * lines.size());
  detail::component_rows(*promotion, lines, components);
  detail::Scratch scratch;
  if (!detail::compute(*promotion, lines, row, components, values, parts, scratch).applies()) {
    std::string message = named + " nie daje rabatu na produkty w koszyku.";
    if (auto miss = near_miss(rules, *promotion, facts, lines, row)) message += " " + miss->message;
    return CodeRefusal{"not_applicable", std::move(message)};
  }
  return promotion;
}

}  // namespace promotion
