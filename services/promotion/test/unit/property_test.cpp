// Properties of evaluate() (engine.hpp) over many random carts and rule sets from a fixed seed:
// discounts never exceed what they apply to, allocations add up exactly, no line gets more than
// its value, the stacking rules hold, the chosen combination is never worse for the customer
// than any single promotion alone nor better than the best valid combination (found by brute
// force for small rule sets). Also evaluate()'s timings for 200 rules, printed.
#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine.hpp"
#include "promotion_test_support.hpp"

namespace promotion {
namespace {

constexpr std::array<std::string_view, 5> kCategories = {"tv", "fridge", "phone", "accessory",
                                                         "laptop"};
// Skus by category; TV-SAM- and PH-SAM- are Samsung's, TV-LG- LG's.
const std::map<std::string, std::vector<std::string>>& skus() {
  static const std::map<std::string, std::vector<std::string>> all = {
      {"tv", {"TV-SAM-55Q80C", "TV-LG-48C3", "TV-TCL-32P635"}},
      {"fridge", {"FR-SAM-RB34T672ESA", "FR-BOS-KGN39VLCT"}},
      {"phone", {"PH-SAM-GALAXYA15-4128", "PH-APP-IPHONE15-128"}},
      {"accessory", {"ACC-SB-SAM-HWQ600C", "ACC-HDMI-VIV-15", "ACC-DW-SALT-FIN-15"}},
      {"laptop", {"LT-HP-15SFQ5111NW"}}};
  return all;
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : random_(seed) {}

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool chance(int percent) { return pick(1, 100) <= percent; }
  template <class T>
  const T& one(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1))];
  }
  std::string category() { return std::string(kCategories[static_cast<std::size_t>(pick(0, 4))]); }
  std::string sku() { return one(skus().at(category())); }
  std::string percent() {
    return one(std::vector<std::string>{"\"5%\"", "\"10%\"", "\"12.5%\"", "\"33.33%\"", "\"50%\"",
                                        "\"100%\""});
  }
  std::string amount() {
    return std::to_string(pick(1, 3) == 1 ? pick(1, 500) : pick(100, 200000));
  }
  std::string percent_or_amount() {
    return chance(50) ? "    percent: " + percent() + "\n" : "    amount: " + amount() + "\n";
  }

  std::string target() {
    switch (pick(0, 5)) {
      case 0:
        return "    target: { categories: [" + category() + "] }\n";
      case 1:
        return "    target: { brands: [samsung] }\n";
      case 2:
        return "    target: { skus: [" + sku() + "] }\n";
      case 3: {
        std::string a = category();
        std::string b = category();
        if (a == b) return "    target: { categories: [" + a + "], brands: [lg] }\n";
        return "    target: { categories: [" + a + ", " + b + "] }\n";
      }
      default:
        return "";  // the whole cart
    }
  }

  std::string component() {
    switch (pick(0, 2)) {
      case 0:
        return "      - { category: " + category() + ", count: " + std::to_string(pick(1, 2)) +
               " }\n";
      case 1:
        return "      - { sku: " + sku() + ", count: " + std::to_string(pick(1, 2)) + " }\n";
      default:
        return "      - { brand: samsung, count: 1 }\n";
    }
  }

  std::string promotion(int index) {
    std::string text = "  - id: p" + std::to_string(index) + "\n    name: Promocja " +
                       std::to_string(index) + "\n";
    bool min_value = chance(15);
    switch (pick(0, 6)) {
      case 0:
        text += "    kind: percent_off\n    percent: " + percent() + "\n" + target();
        break;
      case 1:
        text += "    kind: amount_off\n    amount: " + amount() +
                "\n    per: " + (chance(50) ? "unit" : "cart") + "\n" + target();
        break;
      case 2:
        text += "    kind: second_item_discount\n    percent: " + percent() + "\n" + target();
        break;
      case 3:
        text += "    kind: buy_n_get_one_free\n    buy: " + std::to_string(pick(1, 4)) + "\n" +
                target();
        break;
      case 4:
        text += "    kind: cart_threshold\n" + percent_or_amount() + target();
        min_value = true;
        break;
      case 5:
        text += "    kind: free_delivery\n" + target();
        break;
      default:
        text +=
            "    kind: bundle\n    components:\n" + component() + component() + percent_or_amount();
        break;
    }
    if (min_value) text += "    min_value: " + std::to_string(pick(1000, 800000)) + "\n";
    text += "    priority: " + std::to_string(pick(0, 5)) + "\n";
    if (chance(35)) text += "    exclusive_group: g" + std::to_string(pick(0, 2)) + "\n";
    if (chance(15)) text += "    stop_further: true\n";
    if (chance(10)) {
      text += "    opt_in: true\n";
    } else if (chance(10)) {
      text += "    code: KOD" + std::to_string(index) + "\n";
    }
    return text;
  }

  std::string rules_text(int count) {
    std::string text =
        "brands:\n  samsung: [\"TV-SAM-\", \"PH-SAM-\", \"ACC-SB-SAM-\"]\n"
        "  lg: [\"TV-LG-\"]\npromotions:\n";
    for (int i = 0; i < count; ++i) text += promotion(i);
    return text;
  }

  contracts::CartCopy cart(int lines) {
    std::vector<contracts::CartLine> out;
    for (int i = 0; i < lines; ++i) {
      const std::string id = "i" + std::to_string(i);
      if (chance(15)) {
        out.push_back(testing::service_line(id, pick(1, 30000), pick(1, 2)));
        continue;
      }
      const std::string c = category();
      const std::int64_t price = chance(20) ? pick(1, 300) : pick(1000, 600000);
      out.push_back(testing::line(id, one(skus().at(c)), c, price, pick(1, 5)));
    }
    return testing::cart(std::move(out));
  }

 private:
  std::mt19937_64 random_;
};

// Every promotion chosen: opt-ins taken, codes applied.
Choices everything(const PromotionRules& rules) {
  Choices choices;
  for (const auto& p : rules.promotions) {
    if (p.opt_in) choices.opt_ins.push_back(p.id);
    if (p.code) choices.codes.push_back(*p.code);
  }
  return choices;
}

bool at_least_as_good(const Evaluation& a, const Evaluation& b) {
  return a.total_discount.amount != b.total_discount.amount
             ? a.total_discount.amount > b.total_discount.amount
             : a.free_delivery || !b.free_delivery;
}

PromotionRules only(const PromotionRules& rules, const std::vector<std::size_t>& indices,
                    bool unconstrained) {
  PromotionRules subset = rules;
  subset.promotions.clear();
  for (const auto i : indices) subset.promotions.push_back(rules.promotions[i]);
  if (unconstrained) {
    subset.exclusive_groups.clear();
    for (auto& p : subset.promotions) {
      p.exclusive_group.reset();
      p.group_index = -1;
      p.stop_further = false;
    }
  }
  return subset;
}

void check_invariants(const PromotionRules& rules, const contracts::CartCopy& cart,
                      const Evaluation& result) {
  std::map<std::string, std::int64_t> given;
  std::int64_t total = 0;
  std::set<std::string> groups;
  std::int64_t last_priority = kMaxPriority + 1;
  for (std::size_t a = 0; a < result.applied.size(); ++a) {
    const auto& applied = result.applied[a];
    const auto* promotion = rules.by_id(applied.promotion_id);
    ASSERT_NE(promotion, nullptr);
    std::int64_t sum = 0;
    std::size_t position = 0;
    std::int64_t touched_value = 0;
    for (const auto& allocation : applied.allocations) {
      ASSERT_GT(allocation.amount.amount, 0) << applied.promotion_id;
      const auto* line = cart.find(allocation.item_id);
      ASSERT_NE(line, nullptr);
      ASSERT_FALSE(line->is_service()) << "a service line got a discount";
      const auto at = static_cast<std::size_t>(line - cart.lines.data());
      ASSERT_GE(at, position) << "allocations in cart order";
      position = at + 1;
      sum += allocation.amount.amount;
      touched_value += line->line_total().amount;
      given[allocation.item_id] += allocation.amount.amount;
    }
    ASSERT_EQ(sum, applied.discount.amount) << "allocations add up to the discount";
    ASSERT_LE(applied.discount.amount, touched_value) << "a discount above what it applies to";
    ASSERT_TRUE(applied.discount.amount > 0 || applied.free_delivery);
    total += applied.discount.amount;
    ASSERT_LE(promotion->priority, last_priority) << "priority order";
    last_priority = promotion->priority;
    if (promotion->exclusive_group) {
      ASSERT_TRUE(groups.insert(*promotion->exclusive_group).second)
          << "two promotions of group " << *promotion->exclusive_group;
    }
    if (promotion->stop_further) {
      ASSERT_EQ(a + 1, result.applied.size()) << "something applied after a stop_further";
    }
  }
  ASSERT_EQ(total, result.total_discount.amount);
  for (const auto& [item_id, amount] : given) {
    ASSERT_LE(amount, cart.find(item_id)->line_total().amount) << "line " << item_id;
  }
}

TEST(Properties, RandomCartsAndRuleSets) {
  Generator generate(20261207);
  int cases = 0;
  int optimal = 0;
  int compared = 0;
  double worst = 1.0;
  for (int round = 0; round < 1500; ++round) {
    const int count = generate.pick(1, round % 3 == 0 ? 7 : 14);
    const auto rules = testing::rules(generate.rules_text(count));
    const auto choices = everything(rules);
    for (int c = 0; c < 3; ++c) {
      const auto cart = generate.cart(generate.pick(1, 8));
      const auto result = evaluate(rules, cart, choices, testing::kNow);
      ++cases;
      check_invariants(rules, cart, result);
      if (::testing::Test::HasFatalFailure()) return;
      for (std::size_t p = 0; p < rules.promotions.size(); ++p) {
        const auto alone = evaluate(only(rules, {p}, false), cart, choices, testing::kNow);
        ASSERT_TRUE(at_least_as_good(result, alone))
            << "worse than " << rules.promotions[p].id << " alone: " << result.total_discount.amount
            << " < " << alone.total_discount.amount;
      }
      if (rules.promotions.size() > 7) continue;
      // Brute force: every subset that respects the groups and stop_further, applied in order.
      std::int64_t best = 0;
      const std::size_t n = rules.promotions.size();
      for (std::uint32_t mask = 1; mask < (1U << n); ++mask) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < n; ++i) {
          if ((mask & (1U << i)) != 0) members.push_back(i);
        }
        std::set<std::string> groups;
        bool valid = true;
        for (const auto i : members) {
          const auto& p = rules.promotions[i];
          if (p.exclusive_group && !groups.insert(*p.exclusive_group).second) valid = false;
          // A stop_further member must come last in the order of application.
          if (p.stop_further) {
            for (const auto j : members) {
              const auto& q = rules.promotions[j];
              if (j != i && (q.priority < p.priority || (q.priority == p.priority && j > i))) {
                valid = false;
              }
            }
          }
        }
        if (!valid) continue;
        const auto value = evaluate(only(rules, members, true), cart, choices, testing::kNow)
                               .total_discount.amount;
        best = std::max(best, value);
      }
      ++compared;
      ASSERT_LE(result.total_discount.amount, best) << "better than any valid combination?";
      if (result.total_discount.amount == best) {
        ++optimal;
      } else {
        worst = std::min(
            worst, static_cast<double>(result.total_discount.amount) / static_cast<double>(best));
      }
    }
  }
  std::cout << "[ property ] " << cases << " carts checked; against brute force: optimal in "
            << optimal << " of " << compared << ", worst " << worst << " of the best\n";
}

// The calling thread's CPU time: on a machine shared with builds, wall time also counts the
// time other processes held the core.
std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

TEST(Timing, TwoHundredRules) {
  Generator generate(7);
  const auto rules = testing::rules(generate.rules_text(200));
  const auto choices = everything(rules);
  for (const int lines : {1, 20, 100}) {
    std::vector<contracts::CartCopy> carts;
    for (int i = 0; i < 50; ++i) carts.push_back(generate.cart(lines));
    std::vector<double> wall;
    std::vector<double> cpu;
    std::int64_t sink = 0;
    for (int round = 0; round < 40; ++round) {
      for (const auto& cart : carts) {
        const auto start = std::chrono::steady_clock::now();
        const auto cpu_start = thread_cpu_time();
        const auto result = evaluate(rules, cart, choices, testing::kNow);
        cpu.push_back(
            std::chrono::duration<double, std::micro>(thread_cpu_time() - cpu_start).count());
        wall.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
        sink += result.total_discount.amount;
      }
    }
    const auto at = [](std::vector<double>& v, double q) {
      std::sort(v.begin(), v.end());
      return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
    };
    std::cout << "[ timing   ] evaluate(): 200 rules, " << lines << " lines, " << wall.size()
              << " runs: wall p50 " << at(wall, 0.5) << " us, p99 " << at(wall, 0.99)
              << " us; thread CPU p50 " << at(cpu, 0.5) << " us, p99 " << at(cpu, 0.99) << " us\n";
    EXPECT_GT(sink, 0);
  }
}

}  // namespace
}  // namespace promotion
