// The promotions shown on the cart's lines with the 30-day lowest price (promotion-events,
// read-only): applying the Promotion's events, replacing and repricing, removal, their order and
// duplicates, the view, and reading the events' data.
#include "line_promotions.hpp"

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

std::optional<platform::Money> lowest(std::int64_t amount) {
  return platform::pln(amount);
}

struct PromotionFixture : ::testing::Test {
  Cart cart{"user-1", "session-1", 0, {}, 0, {}, {}, 0, 0};
  Limits limits;
  int next_id = 0;
  IdGenerator ids = [this] {
    return "item-" + std::to_string(++next_id);
  };
  std::int64_t promotion_version = 0;

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

  [[nodiscard]] std::string sku_of(const std::string& item_id) const {
    const auto* line = cart.find(item_id);
    return line != nullptr ? line->sku : "GONE-1";
  }
  [[nodiscard]] PromotionPart part(const std::string& item_id, std::int64_t amount,
                                   std::optional<platform::Money> lowest_30d = std::nullopt) const {
    return PromotionPart{item_id, sku_of(item_id), platform::pln(amount), std::move(lowest_30d)};
  }

  PromotionEvent applied(std::string promotion_id, std::vector<PromotionPart> parts,
                         std::string name = "Promocja") {
    return PromotionEvent{PromotionEvent::Action::applied,
                          "session-1",
                          ++promotion_version,
                          std::move(promotion_id),
                          std::move(name),
                          std::nullopt,
                          std::move(parts)};
  }
  PromotionEvent code_applied(std::string promotion_id, std::string code,
                              std::vector<PromotionPart> parts) {
    auto event = applied(std::move(promotion_id), std::move(parts), code);
    event.code = std::move(code);
    return event;
  }
  PromotionEvent removed(std::string promotion_id) {
    return PromotionEvent{PromotionEvent::Action::removed,
                          "session-1",
                          ++promotion_version,
                          std::move(promotion_id),
                          {},
                          std::nullopt,
                          {}};
  }
  PromotionEvent code_invalid() {
    return PromotionEvent{
        PromotionEvent::Action::other, "session-1", ++promotion_version, {}, {}, std::nullopt, {}};
  }
  void apply(const PromotionEvent& event) { cart = apply_promotion_event(cart, event); }
  [[nodiscard]] const std::vector<LinePromotion>& promotions_of(const std::string& item_id) const {
    return cart.find(item_id)->promotions;
  }
  [[nodiscard]] std::vector<std::string> ids_on(const std::string& item_id) const {
    std::vector<std::string> shown;
    for (const auto& promotion : promotions_of(item_id)) shown.push_back(promotion.promotion_id);
    return shown;
  }
};

TEST_F(PromotionFixture, AnAppliedPromotionIsShownOnItsLinesWithoutACartChange) {
  const auto before = cart;
  apply(applied("promo_tv", {part("item-1", 32990, lowest(329900)), part("item-2", 600)},
                "Rabat na telewizory"));
  ASSERT_EQ(promotions_of("item-1").size(), 1U);
  EXPECT_EQ(promotions_of("item-1")[0],
            (LinePromotion{"promo_tv", "Rabat na telewizory", std::nullopt, platform::pln(32990),
                           lowest(329900)}));
  ASSERT_EQ(promotions_of("item-2").size(), 1U);
  EXPECT_EQ(promotions_of("item-2")[0].discount, platform::pln(600));
  EXPECT_EQ(promotions_of("item-2")[0].lowest_price_30d, std::nullopt)
      << "no history that far back";
  EXPECT_TRUE(promotions_of("item-3").empty());
  EXPECT_EQ(cart.promotion_version, 1);
  // Nothing of the cart itself moves: version, totals, hash; line prices stay as they were.
  EXPECT_EQ(cart.version, before.version);
  EXPECT_EQ(cart.subtotal(), before.subtotal());
  EXPECT_EQ(cart.item_count(), before.item_count());
  EXPECT_EQ(cart.content_hash(), before.content_hash());
  EXPECT_EQ(cart.find("item-1")->unit_price, before.find("item-1")->unit_price);
}

TEST_F(PromotionFixture, ACodesPromotionShowsItsCodeAsItsName) {
  apply(code_applied("promo_code_wiosna10", "WIOSNA10", {part("item-3", 25000, lowest(249900))}));
  ASSERT_EQ(promotions_of("item-3").size(), 1U);
  EXPECT_EQ(promotions_of("item-3")[0],
            (LinePromotion{"promo_code_wiosna10", "WIOSNA10", "WIOSNA10", platform::pln(25000),
                           lowest(249900)}));
}

TEST_F(PromotionFixture, SeveralPromotionsOnALineKeepTheOrderTheyFirstCameIn) {
  apply(applied("promo_b", {part("item-1", 1000)}));
  apply(applied("promo_a", {part("item-1", 2000)}));
  apply(code_applied("promo_c", "KOD-1", {part("item-1", 3000)}));
  EXPECT_EQ(ids_on("item-1"), (std::vector<std::string>{"promo_b", "promo_a", "promo_c"}));
  // A reprice keeps its place.
  apply(applied("promo_b", {part("item-1", 1500)}));
  EXPECT_EQ(ids_on("item-1"), (std::vector<std::string>{"promo_b", "promo_a", "promo_c"}));
  EXPECT_EQ(promotions_of("item-1")[0].discount, platform::pln(1500));
}

TEST_F(PromotionFixture, ANewerApplicationReplacesThePromotionsPartsAsAWhole) {
  apply(applied("promo_tv", {part("item-1", 32990, lowest(329900))}));
  apply(applied("promo_other", {part("item-1", 100), part("item-3", 200)}));
  // Repriced after a quantity change: a new amount, the same lowest price.
  const auto version = cart.version;
  cart = change_quantity(cart, "item-1", 3, limits)->cart;
  EXPECT_EQ(promotions_of("item-1")[0].discount, platform::pln(32990))
      << "the Promotion reprices, not the Cart";
  apply(applied("promo_tv", {part("item-1", 49485, lowest(329900))}));
  ASSERT_EQ(promotions_of("item-1").size(), 2U);
  EXPECT_EQ(promotions_of("item-1")[0].discount, platform::pln(49485));
  EXPECT_EQ(promotions_of("item-1")[1].promotion_id, "promo_other") << "another one stays";
  EXPECT_EQ(cart.version, version + 1) << "only the quantity change";
}

TEST_F(PromotionFixture, ARepriceMayMoveAPromotionToOtherLines) {
  apply(applied("promo_pair", {part("item-1", 5000, lowest(329900)), part("item-2", 1000)}));
  apply(applied("promo_pair", {part("item-2", 1200), part("item-3", 4800, lowest(239900))}));
  EXPECT_TRUE(promotions_of("item-1").empty()) << "no longer touched";
  ASSERT_EQ(promotions_of("item-2").size(), 1U);
  EXPECT_EQ(promotions_of("item-2")[0].discount, platform::pln(1200));
  ASSERT_EQ(promotions_of("item-3").size(), 1U);
  EXPECT_EQ(promotions_of("item-3")[0].lowest_price_30d, lowest(239900));
  // Applied again with no parts (free delivery only): on no line.
  apply(applied("promo_pair", {}));
  for (const auto& line : cart.lines) EXPECT_TRUE(line.promotions.empty()) << line.item_id;
}

TEST_F(PromotionFixture, ARemovalTakesThePromotionOffEveryLine) {
  apply(applied("promo_tv", {part("item-1", 32990, lowest(329900)), part("item-3", 100)}));
  apply(code_applied("promo_code", "WIOSNA10", {part("item-1", 1000)}));
  const auto version = cart.version;
  apply(removed("promo_tv"));
  EXPECT_EQ(ids_on("item-1"), (std::vector<std::string>{"promo_code"}));
  EXPECT_TRUE(promotions_of("item-3").empty());
  EXPECT_EQ(cart.promotion_version, 3);
  EXPECT_EQ(cart.version, version);
  // Removing a promotion no line shows only moves the version.
  const auto held = cart.lines;
  apply(removed("promo_unknown"));
  EXPECT_EQ(cart.lines, held);
  EXPECT_EQ(cart.promotion_version, 4);
}

TEST_F(PromotionFixture, AnInvalidCodeOnlyMovesTheVersion) {
  apply(applied("promo_tv", {part("item-1", 32990)}));
  const auto held = cart.lines;
  apply(code_invalid());
  EXPECT_EQ(cart.lines, held);
  EXPECT_EQ(cart.promotion_version, 2);
}

TEST_F(PromotionFixture, OlderAndRepeatedEventsChangeNothing) {
  const auto first = applied("promo_tv", {part("item-1", 32990)});
  const auto second = removed("promo_tv");
  apply(first);
  EXPECT_EQ(apply_promotion_event(cart, first), cart) << "a duplicate";
  apply(second);
  const auto held = cart;
  EXPECT_EQ(apply_promotion_event(cart, second), held) << "a duplicate";
  EXPECT_EQ(apply_promotion_event(cart, first), held) << "older than the last applied";
  EXPECT_TRUE(promotions_of("item-1").empty());
}

TEST_F(PromotionFixture, EventsOfAnotherSessionOrWithoutOneChangeNothing) {
  auto foreign = applied("promo_tv", {part("item-1", 32990)});
  foreign.session_id = "session-0";
  EXPECT_EQ(apply_promotion_event(cart, foreign), cart);
  Cart closed = end_session(cart, "session-1");
  auto late = applied("promo_tv", {part("item-1", 32990)});
  late.session_id = "";
  EXPECT_EQ(apply_promotion_event(closed, late), closed);
}

TEST_F(PromotionFixture, APartForALineTheCartNoLongerHasOrOfAnotherSkuIsNotShown) {
  auto event = applied("promo_tv", {part("item-9", 1000), part("item-3", 500)});
  event.parts[1].sku = "TV-1";  // not the sku of item-3
  const auto held = cart.lines;
  apply(event);
  EXPECT_EQ(cart.lines, held);
  EXPECT_EQ(cart.promotion_version, 1);
}

TEST_F(PromotionFixture, RemovingALineOrItsParentDropsItsPromotions) {
  apply(applied("promo_tv", {part("item-1", 32990), part("item-2", 600), part("item-3", 900)}));
  auto outcome = remove_line(cart, "item-1");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->cart.find("item-1"), nullptr);
  EXPECT_EQ(outcome->cart.find("item-2"), nullptr) << "the child went with its parent";
  ASSERT_EQ(outcome->cart.lines.size(), 1U);
  EXPECT_EQ(outcome->cart.lines[0].promotions.size(), 1U) << "another line keeps its own";
  // The removal events carry the lines as events do: no promotions in them.
  auto events = events_for(*outcome, cart.version, platform::TraceContext::generate(), {});
  ASSERT_EQ(events.size(), 2U);
  for (const auto& event : events) {
    EXPECT_EQ(event.data.find("promotion"), std::string::npos) << event.data;
    EXPECT_EQ(event.data.find("lowest_price_30d"), std::string::npos) << event.data;
  }
  // A late reprice still naming the removed lines shows only on the line left.
  cart = outcome->cart;
  apply(applied("promo_tv", {part("item-1", 30000), part("item-3", 900)}));
  EXPECT_EQ(cart.lines.size(), 1U);
  EXPECT_EQ(ids_on("item-3"), (std::vector<std::string>{"promo_tv"}));
}

TEST_F(PromotionFixture, AnEndedSessionForgetsThePromotionVersion) {
  apply(applied("promo_tv", {part("item-1", 32990)}));
  const auto ended = end_session(cart, "session-1");
  EXPECT_EQ(ended.promotion_version, 0);
  EXPECT_TRUE(ended.lines.empty());
}

TEST_F(PromotionFixture, TheViewShowsEachLinesPromotionsAndReadsThemBack) {
  apply(applied("promo_tv", {part("item-1", 32990, lowest(329900))}, "Rabat na telewizory"));
  apply(code_applied("promo_code", "WIOSNA10", {part("item-1", 1000), part("item-3", 2000)}));
  const auto text = view_to_json(cart, 5);
  const auto doc = json::parse(text).as_object();
  EXPECT_EQ(doc.at("promotion_version").as_int64(), 2);
  const auto& lines = doc.at("lines").as_array();
  EXPECT_EQ(json::serialize(lines.at(0).at("promotions")),
            R"([{"promotion_id":"promo_tv","name":"Rabat na telewizory","code":null,)"
            R"("discount":{"amount":32990,"currency":"PLN"},)"
            R"("lowest_price_30d":{"amount":329900,"currency":"PLN"}},)"
            R"({"promotion_id":"promo_code","name":"WIOSNA10","code":"WIOSNA10",)"
            R"("discount":{"amount":1000,"currency":"PLN"},"lowest_price_30d":null}])");
  EXPECT_TRUE(lines.at(1).at("promotions").as_array().empty()) << "an empty list when none";
  // The line's own price and total are before discounts.
  EXPECT_EQ(lines.at(0).at("line_total").at("amount").as_int64(), 659800);
  EXPECT_EQ(doc.at("subtotal").at("amount").as_int64(), 659800 + 5999 + 250000);

  auto stored = view_from_json(text);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->cart, cart);
  auto line = line_state_from_json(line_state_json(*cart.find("item-1")));
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, *cart.find("item-1"));
}

TEST_F(PromotionFixture, AViewWrittenBeforePromotionsReadsAsNone) {
  auto doc = json::parse(view_to_json(cart, 5)).as_object();
  doc.erase("promotion_version");
  for (auto& line : doc.at("lines").as_array()) line.as_object().erase("promotions");
  auto stored = view_from_json(json::serialize(doc));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->cart, cart);
}

TEST_F(PromotionFixture, TheCartsStreamKeepsThePromotionsForARebuild) {
  const auto before = cart;
  apply(applied("promo_fridge", {part("item-3", 25000, lowest(249900))}));
  const auto entries = stream_entries(before, Outcome{cart, {}, {}});
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].kind, "updated");
  EXPECT_EQ(entries[0].version, before.version) << "no cart version";
  EXPECT_EQ(entries[0].line.promotions.size(), 1U);
}

// At-least-once delivery: any event may come again, possibly after newer ones. Whatever the
// duplicates, the cart ends as the Promotion's events applied once, in order.
TEST_F(PromotionFixture, RedeliveredSequencesEndAsThePromotionLeftThem) {
  std::mt19937 random(20260113);
  const std::vector<std::string> items{"item-1", "item-2", "item-3", "item-9"};
  const std::vector<std::string> promotions{"promo_a", "promo_b", "promo_c"};
  for (int round = 0; round < 200; ++round) {
    promotion_version = 0;
    std::vector<PromotionEvent> published;
    // The reference: the Promotion's own state, promotion → item → part, and the order in which
    // each line first got each promotion it still has.
    std::map<std::string, std::map<std::string, PromotionPart>> truth;
    std::map<std::string, std::vector<std::string>> order;
    for (int i = 0; i < 12; ++i) {
      const auto& promotion = promotions[random() % promotions.size()];
      const auto roll = random() % 6;
      if (roll == 0) {
        published.push_back(removed(promotion));
        truth.erase(promotion);
      } else if (roll == 1) {
        published.push_back(code_invalid());
      } else {
        std::vector<PromotionPart> parts;
        std::map<std::string, PromotionPart> now;
        for (const auto& item : items) {
          if (random() % 2 == 0) continue;
          auto lowest_30d =
              random() % 2 == 0 ? lowest(static_cast<std::int64_t>(random() % 9999)) : std::nullopt;
          parts.push_back(
              part(item, static_cast<std::int64_t>(1 + random() % 5000), std::move(lowest_30d)));
          now.emplace(item, parts.back());
        }
        published.push_back(applied(promotion, parts));
        truth[promotion] = std::move(now);
      }
      for (const auto& item : items) {
        auto& seen = order[item];
        std::erase_if(seen, [&](const std::string& id) {
          return !truth.contains(id) || !truth[id].contains(item);
        });
        for (const auto& [id, parts] : truth) {
          if (parts.contains(item) && std::find(seen.begin(), seen.end(), id) == seen.end()) {
            seen.push_back(id);
          }
        }
      }
    }
    std::vector<PromotionEvent> delivered;
    for (std::size_t i = 0; i < published.size(); ++i) {
      delivered.push_back(published[i]);
      if (random() % 4 == 0) delivered.push_back(published[random() % (i + 1)]);
    }
    Cart got = cart;
    for (const auto& event : delivered) got = apply_promotion_event(got, event);
    EXPECT_EQ(got.promotion_version, static_cast<std::int64_t>(published.size()));
    EXPECT_EQ(got.version, cart.version);
    for (const auto& line : got.lines) {
      std::vector<LinePromotion> expected;
      for (const auto& id : order[line.item_id]) {
        const auto& said = truth[id].at(line.item_id);
        expected.push_back(
            LinePromotion{id, "Promocja", std::nullopt, said.discount, said.lowest_price_30d});
      }
      EXPECT_EQ(line.promotions, expected) << line.item_id << " in round " << round;
    }
  }
}

// Reading promotion-events data (contracts/events/examples).
json::object example(const std::string& type) {
  std::ifstream file(std::string(CHECKOUT_SOURCE_DIR) + "/contracts/events/examples/" + type +
                     ".json");
  std::stringstream text;
  text << file.rdbuf();
  return json::parse(text.str()).as_object();
}

TEST(PromotionEventData, TheContractExamplesRead) {
  auto applied = promotion_event_from_json("PromotionApplied", example("PromotionApplied"));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->user_id, "user_7f3a9c21");
  const auto& event = applied->event;
  EXPECT_EQ(event.action, PromotionEvent::Action::applied);
  EXPECT_EQ(event.session_id, "cs_01HZX3K9V7Q2M8T4N6P0R5S1W3");
  EXPECT_EQ(event.version, 2);
  EXPECT_EQ(event.promotion_id, "promo_spring_hdmi");
  EXPECT_EQ(event.name, "Drugi kabel HDMI za pół ceny");
  EXPECT_EQ(event.code, std::nullopt);
  EXPECT_EQ(event.parts, (std::vector<PromotionPart>{
                             {"it_01HZX3P7C3", "ACC-HDMI-2M", platform::pln(3000), lowest(5999)}}));

  auto code = promotion_event_from_json("PromoCodeApplied", example("PromoCodeApplied"));
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(code->event.action, PromotionEvent::Action::applied);
  EXPECT_EQ(code->event.version, 3);
  EXPECT_EQ(code->event.promotion_id, "promo_code_wiosna10");
  EXPECT_EQ(code->event.name, "WIOSNA10") << "a code's promotion is named by its code";
  EXPECT_EQ(code->event.code, "WIOSNA10");
  ASSERT_EQ(code->event.parts.size(), 2U);
  EXPECT_EQ(code->event.parts[0], (PromotionPart{"it_01HZX3M2A1", "TV-SAM-55Q80C",
                                                 platform::pln(32990), lowest(329900)}));
  EXPECT_EQ(code->event.parts[1].lowest_price_30d, std::nullopt);

  auto removed = promotion_event_from_json("PromotionRemoved", example("PromotionRemoved"));
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->event.action, PromotionEvent::Action::removed);
  EXPECT_EQ(removed->event.version, 4);
  EXPECT_EQ(removed->event.promotion_id, "promo_spring_hdmi");
  EXPECT_EQ(removed->event.code, std::nullopt);

  auto invalid = promotion_event_from_json("PromoCodeInvalid", example("PromoCodeInvalid"));
  ASSERT_TRUE(invalid) << invalid.error().message;
  EXPECT_EQ(invalid->event.action, PromotionEvent::Action::other);
  EXPECT_EQ(invalid->event.version, 5);

  EXPECT_FALSE(promotion_event_from_json("WarrantySelected", example("WarrantySelected")));
}

TEST(PromotionEventData, LengthsCountCharactersNotBytes) {
  auto data = example("PromotionApplied");
  std::string name;
  for (int i = 0; i < 200; ++i) name += "ż";  // two bytes each
  data["name"] = name;
  auto read = promotion_event_from_json("PromotionApplied", data);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->event.name, name);
  data["name"] = name + "a";
  EXPECT_FALSE(promotion_event_from_json("PromotionApplied", data));
}

// One field of a contract example set to a value the contract refuses (nullopt: left out), and
// the field the error names. `field` may reach into the first allocation ("allocations.0.sku").
struct Breach {
  std::string type;
  std::string field;
  std::optional<json::value> value;
  std::string named;
};

json::object& target_of(json::object& data, std::string& field) {
  const std::string prefix = "allocations.0.";
  if (field.rfind(prefix, 0) != 0) return data;
  field = field.substr(prefix.size());
  return data.at("allocations").as_array().at(0).as_object();
}

TEST(PromotionEventData, DataThatBreaksTheContractIsInvalid) {
  const auto price = [](std::int64_t amount, const char* currency) {
    return json::value(json::object{{"amount", amount}, {"currency", currency}});
  };
  const std::string applied = "PromotionApplied";
  const std::string code = "PromoCodeApplied";
  const std::string removed = "PromotionRemoved";
  const std::string invalid = "PromoCodeInvalid";
  const std::vector<Breach> breaches{
      {applied, "session_id", std::nullopt, "session_id"},
      {applied, "user_id", json::value(""), "user_id"},
      {applied, "version", json::value(0), "version"},
      {applied, "version", json::value("3"), "version"},
      {applied, "cart_hash", std::nullopt, "cart_hash"},
      {applied, "promotion_id", json::value(std::string(129, 'p')), "promotion_id"},
      {applied, "name", std::nullopt, "name"},
      {applied, "kind", json::value("Second"), "kind"},
      {applied, "kind", json::value("9lives"), "kind"},
      {applied, "discount", json::value(30.0), "discount"},
      {applied, "discount", price(3000, "pln"), "discount"},
      {applied, "discount", price(3001, "PLN"), "allocations"},  // the parts no longer add up
      {applied, "item_ids", json::value(json::array{"a", "a"}), "item_ids"},
      {applied, "item_ids", std::nullopt, "item_ids"},
      {applied, "allocations", json::value("none"), "allocations"},
      {applied, "allocations", json::value(json::array{}), "allocations"},  // 0 ≠ 3000
      {applied, "allocations.0.item_id", std::nullopt, "item_id"},
      {applied, "allocations.0.sku", json::value("acc-hdmi"), "sku"},
      {applied, "allocations.0.amount", price(-1, "PLN"), "amount"},
      {applied, "allocations.0.amount", price(3000, "EUR"), "amount"},
      {applied, "allocations.0.lowest_price_30d", std::nullopt, "lowest_price_30d"},
      {applied, "allocations.0.lowest_price_30d", json::value(59.99), "lowest_price_30d"},
      {applied, "free_delivery", json::value("no"), "free_delivery"},
      {code, "code", json::value("wiosna10"), "code"},
      {code, "code", json::value("AB"), "code"},
      {code, "promotion_id", std::nullopt, "promotion_id"},
      {code, "allocations.0.amount", price(33000, "PLN"), "amount"},  // over the discount
      {removed, "promotion_id", json::value(""), "promotion_id"},
      {removed, "code", std::nullopt, "code"},
      {removed, "code", json::value("x"), "code"},
      {removed, "reason", json::value("changed_mind"), "reason"},
      {removed, "version", json::value(-2), "version"},
      {invalid, "code", json::value(std::string(65, 'A')), "code"},
      {invalid, "reason", json::value("typo"), "reason"},
      {invalid, "message", json::value(""), "message"},
  };
  for (const auto& breach : breaches) {
    auto data = example(breach.type);
    auto field = breach.field;
    auto& target = target_of(data, field);
    if (breach.value) {
      target[field] = *breach.value;
    } else {
      target.erase(field);
    }
    auto result = promotion_event_from_json(breach.type, data);
    ASSERT_FALSE(result) << breach.type << " " << breach.field;
    EXPECT_EQ(result.error().code, platform::Errc::invalid) << breach.field;
    EXPECT_NE(result.error().message.find("'" + breach.named + "'"), std::string::npos)
        << breach.field << ": " << result.error().message;
  }
}

TEST(PromotionEventData, AllocationsNamingALineTwiceAreInvalid) {
  auto data = example("PromoCodeApplied");
  auto& parts = data.at("allocations").as_array();
  parts.at(1).as_object()["item_id"] = parts.at(0).at("item_id");
  auto result = promotion_event_from_json("PromoCodeApplied", data);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("allocations[1]: 'item_id'"), std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace cart
