// The warranties shown under the cart's lines (warranty-events, read-only): applying the
// Warranty's events, their order and duplicates, the view, and reading the events' data.
#include "warranties.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "event_handlers.hpp"
#include "events.hpp"
#include "store.hpp"
#include "view.hpp"

namespace cart {
namespace {
namespace json = boost::json;

Product product(std::string sku, std::int64_t price, std::string category = "tv") {
  Product p;
  p.sku = std::move(sku);
  p.name = "Produkt " + p.sku;
  p.category = std::move(category);
  p.price = platform::pln(price);
  p.stock = 10;
  p.weight_g = 1000;
  p.dimensions_mm = {100, 200, 300};
  return p;
}

Warranty plan(std::string plan_id, WarrantyKind kind, std::int64_t unit_price,
              std::int64_t quantity) {
  return Warranty{std::move(plan_id),
                  kind,
                  "Plan",
                  36,
                  platform::pln(unit_price),
                  quantity,
                  platform::pln(unit_price * quantity)};
}

struct WarrantyFixture : ::testing::Test {
  Cart cart{"user-1", "session-1", 0, {}, 0, {}, {}, 0, 0};
  Limits limits;
  int next_id = 0;
  IdGenerator ids = [this] {
    return "item-" + std::to_string(++next_id);
  };
  std::int64_t warranty_version = 0;

  // item-1 a TV (2 units), item-2 a cable tied to it, item-3 a fridge.
  void SetUp() override {
    add(product("TV-1", 329900), 2, LineType::offer);
    add(product("AC-HDMI", 5999, "accessory"), 1, LineType::accessory, "item-1");
    add(product("FR-1", 250000, "fridge"), 1, LineType::offer);
  }

  void add(const Product& p, std::int64_t quantity, LineType type,
           std::optional<std::string> parent = std::nullopt) {
    auto result = add_line(cart, AddLine{type, p.sku, quantity, std::move(parent)}, p, limits, ids);
    ASSERT_TRUE(result) << result.error().message;
    cart = result->cart;
  }

  WarrantyEvent selected(std::string item_id, Warranty chosen) {
    return WarrantyEvent{WarrantyEvent::Action::selected, "session-1", ++warranty_version,
                         std::move(item_id), std::move(chosen)};
  }
  WarrantyEvent removed(std::string item_id, std::string plan_id, WarrantyKind kind) {
    return WarrantyEvent{WarrantyEvent::Action::removed, "session-1", ++warranty_version,
                         std::move(item_id), Warranty{std::move(plan_id), kind, {}, 0, {}, 0, {}}};
  }
  void apply(const WarrantyEvent& event) { cart = apply_warranty_event(cart, event); }
  const std::vector<Warranty>& warranties_of(const std::string& item_id) const {
    return cart.find(item_id)->warranties;
  }
};

TEST_F(WarrantyFixture, ASelectedPlanIsShownUnderItsLineWithoutACartChange) {
  const auto before = cart;
  const auto chosen = plan("ext_36m", WarrantyKind::extended, 39900, 2);
  apply(selected("item-1", chosen));
  ASSERT_EQ(warranties_of("item-1").size(), 1U);
  EXPECT_EQ(warranties_of("item-1")[0], chosen);
  EXPECT_TRUE(warranties_of("item-3").empty());
  EXPECT_EQ(cart.warranty_version, 1);
  // Nothing of the cart itself moves: version, totals, hash.
  EXPECT_EQ(cart.version, before.version);
  EXPECT_EQ(cart.subtotal(), before.subtotal());
  EXPECT_EQ(cart.item_count(), before.item_count());
  EXPECT_EQ(cart.content_hash(), before.content_hash());
}

TEST_F(WarrantyFixture, ALineHoldsOnePlanOfEachKindInKindOrder) {
  apply(selected("item-1", plan("theft_24m", WarrantyKind::theft, 9900, 2)));
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2)));
  apply(selected("item-1", plan("acc_24m", WarrantyKind::accidental_damage, 19900, 2)));
  const auto& held = warranties_of("item-1");
  ASSERT_EQ(held.size(), 3U);
  EXPECT_EQ(held[0].plan_id, "ext_36m");
  EXPECT_EQ(held[1].plan_id, "acc_24m");
  EXPECT_EQ(held[2].plan_id, "theft_24m");
}

TEST_F(WarrantyFixture, ASelectionReplacesTheLinesPlanOfTheSameKind) {
  apply(selected("item-1", plan("ext_24m", WarrantyKind::extended, 29900, 2)));
  apply(selected("item-1", plan("acc_24m", WarrantyKind::accidental_damage, 19900, 2)));
  const auto longer = plan("ext_60m", WarrantyKind::extended, 59900, 2);
  apply(selected("item-1", longer));
  const auto& held = warranties_of("item-1");
  ASSERT_EQ(held.size(), 2U);
  EXPECT_EQ(held[0], longer);
  EXPECT_EQ(held[1].plan_id, "acc_24m") << "another kind stays";
}

TEST_F(WarrantyFixture, ARepeatedSelectionWithANewQuantityIsAReprice) {
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2)));
  cart = change_quantity(cart, "item-1", 3, limits)->cart;
  EXPECT_EQ(warranties_of("item-1")[0].quantity, 2) << "the Warranty reprices, not the Cart";
  const auto version = cart.version;
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 3)));
  ASSERT_EQ(warranties_of("item-1").size(), 1U);
  EXPECT_EQ(warranties_of("item-1")[0].quantity, 3);
  EXPECT_EQ(warranties_of("item-1")[0].price, platform::pln(119700));
  EXPECT_EQ(cart.version, version);
}

TEST_F(WarrantyFixture, ARemovalDropsThePlanOfItsKind) {
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2)));
  apply(selected("item-1", plan("theft_24m", WarrantyKind::theft, 9900, 2)));
  const auto version = cart.version;
  apply(removed("item-1", "ext_36m", WarrantyKind::extended));
  ASSERT_EQ(warranties_of("item-1").size(), 1U);
  EXPECT_EQ(warranties_of("item-1")[0].plan_id, "theft_24m");
  EXPECT_EQ(cart.warranty_version, 3);
  EXPECT_EQ(cart.version, version);
  // Removing a kind the line does not hold only moves the version.
  const auto held = cart.lines;
  apply(removed("item-1", "acc_24m", WarrantyKind::accidental_damage));
  EXPECT_EQ(cart.lines, held);
  EXPECT_EQ(cart.warranty_version, 4);
}

TEST_F(WarrantyFixture, OlderAndRepeatedEventsChangeNothing) {
  const auto first = selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2));
  const auto second = removed("item-1", "ext_36m", WarrantyKind::extended);
  apply(first);
  EXPECT_EQ(apply_warranty_event(cart, first), cart) << "a duplicate";
  apply(second);
  const auto held = cart;
  EXPECT_EQ(apply_warranty_event(cart, second), held) << "a duplicate";
  EXPECT_EQ(apply_warranty_event(cart, first), held) << "older than the last applied";
  EXPECT_TRUE(warranties_of("item-1").empty());
}

TEST_F(WarrantyFixture, EventsOfAnotherSessionOrWithoutOneChangeNothing) {
  auto foreign = selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2));
  foreign.session_id = "session-0";
  EXPECT_EQ(apply_warranty_event(cart, foreign), cart);
  Cart closed = end_session(cart, "session-1");
  auto late = selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2));
  late.session_id = "";
  EXPECT_EQ(apply_warranty_event(closed, late), closed);
}

TEST_F(WarrantyFixture, AnEventForALineTheCartNoLongerHasOnlyMovesTheVersion) {
  const auto held = cart.lines;
  apply(selected("item-9", plan("ext_36m", WarrantyKind::extended, 39900, 1)));
  EXPECT_EQ(cart.lines, held);
  EXPECT_EQ(cart.warranty_version, 1);
}

TEST_F(WarrantyFixture, RemovingALineOrItsParentDropsItsWarranties) {
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2)));
  apply(selected("item-2", plan("ext_12m", WarrantyKind::extended, 990, 1)));
  apply(selected("item-3", plan("ext_24m", WarrantyKind::extended, 29900, 1)));
  auto outcome = remove_line(cart, "item-1");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->cart.find("item-1"), nullptr);
  EXPECT_EQ(outcome->cart.find("item-2"), nullptr) << "the child went with its parent";
  ASSERT_EQ(outcome->cart.lines.size(), 1U);
  EXPECT_EQ(outcome->cart.lines[0].warranties.size(), 1U) << "another line keeps its own";
  // The removal events carry the lines as events do: no warranties in them.
  auto events = events_for(*outcome, cart.version, platform::TraceContext::generate(), {});
  ASSERT_EQ(events.size(), 2U);
  for (const auto& event : events) {
    EXPECT_EQ(event.data.find("warrant"), std::string::npos) << event.data;
  }
  // A late event for the removed line changes no line.
  cart = outcome->cart;
  const auto held = cart.lines;
  apply(removed("item-1", "ext_36m", WarrantyKind::extended));
  EXPECT_EQ(cart.lines, held);
}

TEST_F(WarrantyFixture, AnEndedSessionForgetsTheWarrantyVersion) {
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2)));
  const auto ended = end_session(cart, "session-1");
  EXPECT_EQ(ended.warranty_version, 0);
  EXPECT_TRUE(ended.lines.empty());
}

TEST_F(WarrantyFixture, TheViewShowsEachLinesWarrantiesAndReadsThemBack) {
  apply(selected("item-1", plan("ext_36m", WarrantyKind::extended, 39900, 2)));
  const auto text = view_to_json(cart, 5);
  const auto doc = json::parse(text).as_object();
  EXPECT_EQ(doc.at("warranty_version").as_int64(), 1);
  const auto& lines = doc.at("lines").as_array();
  const auto& shown = lines.at(0).at("warranties").as_array();
  ASSERT_EQ(shown.size(), 1U);
  EXPECT_EQ(json::serialize(shown.at(0)),
            R"({"warranty_id":"ext_36m","kind":"extended","name":"Plan","duration_months":36,)"
            R"("unit_price":{"amount":39900,"currency":"PLN"},"quantity":2,)"
            R"("price":{"amount":79800,"currency":"PLN"}})");
  EXPECT_TRUE(lines.at(1).at("warranties").as_array().empty()) << "an empty list when none";

  auto stored = view_from_json(text);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->cart, cart);
  auto line = line_state_from_json(line_state_json(*cart.find("item-1")));
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, *cart.find("item-1"));
}

TEST_F(WarrantyFixture, AViewWrittenBeforeWarrantiesReadsAsNone) {
  auto doc = json::parse(view_to_json(cart, 5)).as_object();
  doc.erase("warranty_version");
  for (auto& line : doc.at("lines").as_array()) line.as_object().erase("warranties");
  auto stored = view_from_json(json::serialize(doc));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->cart, cart);
}

TEST_F(WarrantyFixture, TheCartsStreamKeepsTheWarrantiesForARebuild) {
  const auto before = cart;
  apply(selected("item-3", plan("ext_24m", WarrantyKind::extended, 29900, 1)));
  const auto entries = stream_entries(before, Outcome{cart, {}, {}});
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].kind, "updated");
  EXPECT_EQ(entries[0].version, before.version) << "no cart version";
  EXPECT_EQ(entries[0].line.warranties.size(), 1U);
}

// At-least-once delivery: any event may come again, possibly after newer ones. Whatever the
// duplicates, the cart ends as the Warranty's events applied once, in order.
TEST_F(WarrantyFixture, RedeliveredSequencesEndAsTheWarrantyLeftThem) {
  std::mt19937 random(20260101);
  const std::vector<std::string> items{"item-1", "item-2", "item-3", "item-9"};
  const std::vector<WarrantyKind> kinds{WarrantyKind::extended, WarrantyKind::accidental_damage,
                                        WarrantyKind::theft};
  for (int round = 0; round < 200; ++round) {
    warranty_version = 0;
    std::vector<WarrantyEvent> published;
    // The reference: the Warranty's own state, item → kind → plan.
    std::map<std::string, std::map<WarrantyKind, Warranty>> truth;
    for (int i = 0; i < 12; ++i) {
      const auto& item = items[random() % items.size()];
      const auto kind = kinds[random() % kinds.size()];
      if (random() % 3 == 0) {
        published.push_back(removed(item, "plan", kind));
        truth[item].erase(kind);
      } else {
        const auto chosen = plan("plan-" + std::to_string(random() % 5), kind,
                                 static_cast<std::int64_t>(random() % 50000),
                                 static_cast<std::int64_t>(1 + random() % 3));
        published.push_back(selected(item, chosen));
        truth[item][kind] = chosen;
      }
    }
    std::vector<WarrantyEvent> delivered;
    for (std::size_t i = 0; i < published.size(); ++i) {
      delivered.push_back(published[i]);
      if (random() % 4 == 0) delivered.push_back(published[random() % (i + 1)]);
    }
    Cart got = cart;
    for (const auto& event : delivered) got = apply_warranty_event(got, event);
    EXPECT_EQ(got.warranty_version, static_cast<std::int64_t>(published.size()));
    EXPECT_EQ(got.version, cart.version);
    for (const auto& line : got.lines) {
      std::vector<Warranty> expected;
      for (const auto& [kind, chosen] : truth[line.item_id]) expected.push_back(chosen);
      EXPECT_EQ(line.warranties, expected) << line.item_id << " in round " << round;
    }
  }
}

// Reading WarrantySelected and WarrantyRemoved data (contracts/events/examples).
json::object example(const std::string& type) {
  std::ifstream file(std::string(CHECKOUT_SOURCE_DIR) + "/contracts/events/examples/" + type +
                     ".json");
  std::stringstream text;
  text << file.rdbuf();
  return json::parse(text.str()).as_object();
}

TEST(WarrantyEventData, TheContractExamplesRead) {
  auto selected = warranty_event_from_json("WarrantySelected", example("WarrantySelected"));
  ASSERT_TRUE(selected) << selected.error().message;
  EXPECT_EQ(selected->user_id, "user_7f3a9c21");
  const auto& event = selected->event;
  EXPECT_EQ(event.action, WarrantyEvent::Action::selected);
  EXPECT_EQ(event.session_id, "cs_01HZX3K9V7Q2M8T4N6P0R5S1W3");
  EXPECT_EQ(event.version, 1);
  EXPECT_EQ(event.item_id, "it_01HZX3M2A1");
  EXPECT_EQ(event.plan,
            (Warranty{"ext_36m", WarrantyKind::extended, "Gwarancja rozszerzona +3 lata", 36,
                      platform::pln(39900), 1, platform::pln(39900)}));

  auto removed = warranty_event_from_json("WarrantyRemoved", example("WarrantyRemoved"));
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->event.action, WarrantyEvent::Action::removed);
  EXPECT_EQ(removed->event.version, 2);
  EXPECT_EQ(removed->event.plan.plan_id, "ext_36m");
  EXPECT_EQ(removed->event.plan.kind, WarrantyKind::extended);
}

TEST(WarrantyEventData, LengthsCountCharactersNotBytes) {
  auto data = example("WarrantySelected");
  std::string name;
  for (int i = 0; i < 200; ++i) name += "ż";  // two bytes each
  data["plan_name"] = name;
  auto read = warranty_event_from_json("WarrantySelected", data);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->event.plan.name, name);
  data["plan_name"] = name + "a";
  EXPECT_FALSE(warranty_event_from_json("WarrantySelected", data));
}

// One field of a contract example set to a value the contract refuses (nullopt: left out), and
// the field the error names.
struct Breach {
  std::string type;
  std::string field;
  std::optional<json::value> value;
  std::string named;
};

TEST(WarrantyEventData, DataThatBreaksTheContractIsInvalid) {
  const auto price = [](std::int64_t amount, const char* currency) {
    return json::value(json::object{{"amount", amount}, {"currency", currency}});
  };
  const std::string selected = "WarrantySelected";
  const std::string removed = "WarrantyRemoved";
  const std::vector<Breach> breaches{
      {selected, "session_id", std::nullopt, "session_id"},
      {selected, "user_id", json::value(""), "user_id"},
      {selected, "version", json::value(0), "version"},
      {selected, "version", json::value("3"), "version"},
      {selected, "item_id", std::nullopt, "item_id"},
      {selected, "sku", std::nullopt, "sku"},
      {selected, "sku", json::value("tv-1"), "sku"},
      {selected, "plan_id", json::value(std::string(65, 'p')), "plan_id"},
      {selected, "kind", json::value("fire"), "kind"},
      {selected, "plan_name", json::value(""), "plan_name"},
      {selected, "duration_months", json::value(121), "duration_months"},
      {selected, "quantity", json::value(0), "quantity"},
      {selected, "unit_price", json::value(399.0), "unit_price"},
      {selected, "unit_price", price(-1, "PLN"), "unit_price"},
      {selected, "price", price(39900, "pln"), "price"},
      {selected, "price", price(39901, "PLN"), "price"},
      {selected, "quantity", json::value(2), "price"},  // price is no longer unit_price × 2
      {removed, "kind", std::nullopt, "kind"},
      {removed, "reason", json::value("changed_mind"), "reason"},
      {removed, "version", json::value(-2), "version"},
  };
  for (const auto& breach : breaches) {
    auto data = example(breach.type);
    if (breach.value) {
      data[breach.field] = *breach.value;
    } else {
      data.erase(breach.field);
    }
    auto result = warranty_event_from_json(breach.type, data);
    ASSERT_FALSE(result) << breach.type << " " << breach.field;
    EXPECT_EQ(result.error().code, platform::Errc::invalid) << breach.field;
    EXPECT_NE(result.error().message.find("'" + breach.named + "'"), std::string::npos)
        << result.error().message;
  }
}

}  // namespace
}  // namespace cart
