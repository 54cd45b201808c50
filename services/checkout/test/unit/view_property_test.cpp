// Property: random histories of every topic, interleaved across topics, with duplicates and
// redeliveries (an event delivered again later, after newer ones), always fold into the totals
// that the final state of each component implies. The final state comes from the generator's
// own model of each service, not from the view's code.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "event_builders.hpp"
#include "totals.hpp"

namespace checkout {
namespace {
using testing::Event;
using testing::Line;

const std::vector<std::string> kItems{"a", "b", "c", "d"};

struct History {
  std::vector<Event> events;  // one topic's, in version order
  CheckoutView final_state;   // the components this topic owns, as the service last had them
};

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : random_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  bool chance(int percent) { return pick(100) < percent; }
  std::int64_t price() { return 100 + pick(500000); }
  const std::string& item() { return kItems[static_cast<std::size_t>(pick(4))]; }

  History cart() {
    History h;
    std::map<std::string, Line> lines;
    for (int v = 1, n = 1 + pick(12); v <= n; ++v) {
      const auto& id = item();
      auto held = lines.find(id);
      if (held == lines.end()) {
        Line line{id, price(), 1 + pick(3), chance(20) ? "accessory" : "offer",
                  chance(30) ? "books" : "tv"};
        lines[id] = line;
        h.events.push_back(testing::cart_event(v, "CartItemAdded", line));
      } else if (chance(30)) {
        h.events.push_back(testing::cart_event(v, "CartItemRemoved", held->second));
        lines.erase(held);
      } else if (chance(50)) {
        held->second.quantity = 1 + pick(5);
        h.events.push_back(testing::cart_event(v, "CartItemQuantityChanged", held->second));
      } else {
        const auto old = held->second.unit_price;
        held->second.unit_price = price();
        h.events.push_back(testing::cart_event(v, "CartItemPriceChanged", held->second, old));
      }
    }
    auto& cart = h.final_state.cart;
    cart.version = static_cast<std::int64_t>(h.events.size());
    for (const auto& [id, line] : lines) {
      contracts::CartLine out;
      out.item_id = id;
      out.type = line.type;
      out.category = line.category;
      out.unit_price = platform::pln(line.unit_price);
      out.quantity = line.quantity;
      cart.lines.push_back(out);
    }
    return h;
  }

  History warranty() {
    History h;
    std::map<std::string, std::int64_t> chosen;
    for (int v = 1, n = pick(8); v <= n; ++v) {
      const auto& id = item();
      if (chosen.contains(id) && chance(40)) {
        chosen.erase(id);
        h.events.push_back(testing::warranty_removed(v, id));
      } else {
        chosen[id] = price() / 10;
        h.events.push_back(testing::warranty_selected(v, id, chosen[id]));
      }
    }
    h.final_state.warranty.version = static_cast<std::int64_t>(h.events.size());
    for (const auto& [id, amount] : chosen) {
      h.final_state.warranty.choices.push_back({id, "", "extended", "", platform::pln(amount)});
    }
    return h;
  }

  History shipping() {
    History h;
    auto& part = h.final_state.shipping;
    const std::vector<std::string> methods{"courier", "parcel_locker", "store_pickup"};
    for (int v = 1, n = pick(10); v <= n; ++v) {
      switch (pick(4)) {
        case 0: {
          const auto& id = methods[static_cast<std::size_t>(pick(3))];
          const auto amount = pick(3) == 0 ? 0 : price() / 20;
          h.events.push_back(testing::method_selected(v, id, amount));
          part.method = DeliveryMethod{id, "", platform::pln(amount), true, "address", true};
          break;
        }
        case 1:
          h.events.push_back(testing::method_cleared(v, "courier"));
          part.method.reset();
          break;
        case 2: {
          const auto& id = methods[static_cast<std::size_t>(pick(3))];
          const auto surcharge = pick(3) * 1000;
          h.events.push_back(testing::date_selected(v, id, surcharge));
          part.day = DeliveryDay{id, "", "", "", platform::pln(surcharge)};
          break;
        }
        default: {
          std::vector<std::int64_t> prices(static_cast<std::size_t>(pick(3)));
          for (auto& p : prices) p = pick(5000);
          h.events.push_back(testing::addons_selected(v, prices));
          part.addons.clear();
          for (auto p : prices) part.addons.push_back({"", "", platform::pln(p)});
        }
      }
    }
    part.version = static_cast<std::int64_t>(h.events.size());
    return h;
  }

  History payment() {
    History h;
    auto& part = h.final_state.payment;
    for (int v = 1, n = pick(5); v <= n; ++v) {
      if (chance(25)) {
        h.events.push_back(testing::payment_cleared(v, "cash_on_delivery"));
        part.method.reset();
      } else {
        const auto fee = pick(2) * 500;
        h.events.push_back(testing::payment_selected(v, fee ? "cash_on_delivery" : "blik", fee));
        part.method = PaymentChoice{"", "", platform::pln(fee)};
      }
    }
    part.version = static_cast<std::int64_t>(h.events.size());
    return h;
  }

  History promotion() {
    History h;
    std::map<std::string, AppliedPromotion> applied;
    const std::vector<std::string> ids{"p1", "p2", "p3"};
    for (int v = 1, n = pick(8); v <= n; ++v) {
      const auto& id = ids[static_cast<std::size_t>(pick(3))];
      if (applied.contains(id) && chance(30)) {
        applied.erase(id);
        h.events.push_back(testing::promotion_removed(v, id));
      } else if (chance(15)) {
        h.events.push_back(testing::code_invalid(v, "ZIMA"));
      } else {
        std::vector<std::pair<std::string, std::int64_t>> allocations;
        AppliedPromotion promotion{id, "", std::nullopt, {}, {}, chance(10)};
        std::int64_t total = 0;
        for (int i = 0, k = pick(3); i < k; ++i) {
          allocations.emplace_back(item(), pick(20000));
          promotion.allocations.push_back(
              {allocations.back().first, platform::pln(allocations.back().second), {}});
          total += allocations.back().second;
        }
        const auto unallocated = chance(30) ? pick(10000) : 0;
        promotion.discount = platform::pln(total + unallocated);
        h.events.push_back(
            testing::promotion_applied(v, id, allocations, unallocated, promotion.free_delivery));
        applied[id] = promotion;
      }
    }
    h.final_state.promotion.version = static_cast<std::int64_t>(h.events.size());
    for (auto& [id, p] : applied) h.final_state.promotion.applied.push_back(p);
    return h;
  }

  // The topics' events interleaved at random (each topic keeps its order), with duplicates and
  // redeliveries of earlier events inserted after them.
  std::vector<Event> deliver(const std::vector<History>& histories) {
    std::vector<std::size_t> next(histories.size(), 0);
    std::vector<Event> out;
    for (;;) {
      std::vector<std::size_t> open;
      for (std::size_t t = 0; t < histories.size(); ++t) {
        if (next[t] < histories[t].events.size()) open.push_back(t);
      }
      if (open.empty()) break;
      const auto t = open[static_cast<std::size_t>(pick(static_cast<int>(open.size())))];
      out.push_back(histories[t].events[next[t]++]);
      if (chance(15)) out.push_back(out.back());
      if (chance(10))
        out.push_back(out[static_cast<std::size_t>(pick(static_cast<int>(out.size())))]);
    }
    return out;
  }

 private:
  std::mt19937 random_;
};

TEST(ViewProperty, AnyDeliveryOrderGivesTheTotalsOfTheFinalStates) {
  VatRules vat;
  vat.categories = {{"books", {5, false}}};
  vat.warranties = {0, true};
  for (std::uint32_t seed = 1; seed <= 400; ++seed) {
    Generator generate(seed);
    const std::vector<History> histories{generate.cart(), generate.warranty(), generate.shipping(),
                                         generate.payment(), generate.promotion()};
    CheckoutView expected;
    expected.session_id = testing::kSession;
    expected.cart = histories[0].final_state.cart;
    expected.warranty = histories[1].final_state.warranty;
    expected.shipping = histories[2].final_state.shipping;
    expected.payment = histories[3].final_state.payment;
    expected.promotion = histories[4].final_state.promotion;

    CheckoutView view;
    view.session_id = testing::kSession;
    for (const auto& event : generate.deliver(histories)) {
      auto next = apply_event(view, event.topic, event.type, event.data);
      ASSERT_TRUE(next) << "seed " << seed << ": " << next.error().message;
      if (*next) view = std::move(**next);
    }
    ASSERT_EQ(compute_totals(view, vat), compute_totals(expected, vat)) << "seed " << seed;
    for (auto component : {Component::cart, Component::warranty, Component::shipping,
                           Component::payment, Component::promotion}) {
      ASSERT_EQ(version_of(view, component), version_of(expected, component)) << "seed " << seed;
    }
    ASSERT_EQ(view.cart.lines.size(), expected.cart.lines.size()) << "seed " << seed;
  }
}

}  // namespace
}  // namespace checkout
