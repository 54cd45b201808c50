// The Warranty's session rules (session.hpp): a customer's choice, and chosen plans following
// their lines through cart events. No I/O.
#include "session.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contracts/test_cart.hpp"
#include "events.hpp"
#include "platform/rules/testing.hpp"
#include "store.hpp"

namespace warranty {
namespace {
namespace json = boost::json;
using contracts::testing::Goods;
using contracts::testing::product_line;
using platform::pln;

constexpr std::string_view kRules = R"(manufacturer_warranty:
  months: { tv: 24, phone: 24 }
plans:
  - id: ext_12m
    kind: extended
    name: Gwarancja +1 rok
    duration_months: 12
    categories: [tv, phone]
    prices:
      - { from: 1, to: 99999, share: "10%" }
      - { from: 100000, to: 999999, share: "8%" }
  - id: ext_24m
    kind: extended
    name: Gwarancja +2 lata
    duration_months: 24
    categories: [tv, phone]
    prices:
      - { from: 1, fixed: 39900 }
  - id: theft_12m
    kind: theft
    name: Kradzież
    duration_months: 12
    categories: [phone]
    prices:
      - { from: 1, fixed: 14900 }
)";

const WarrantyRules& rules() {
  static const WarrantyRules parsed = platform::rules::testing::parse_or_throw<WarrantyRules>(
      kRules, "warranty_rules.yaml", parse_warranty_rules);
  return parsed;
}

contracts::CartLine phone(std::int64_t quantity = 1, std::int64_t price = 249900) {
  return product_line("p", Goods().category("phone").price(price).quantity(quantity));
}

json::value cart_event(const contracts::CartLine& line, std::int64_t version,
                       std::string user = "user_test") {
  return json::object{{"session_id", "cs_test"},
                      {"user_id", std::move(user)},
                      {"version", version},
                      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                      {"occurred_at", "2026-12-02T10:00:00Z"},
                      {"cart_hash", "h" + std::to_string(version)},
                      {"line", contracts::cart_line_to_json(line)}};
}

// The session after CartItemAdded of `line` (version 1).
WarrantySession with_line(const contracts::CartLine& line) {
  auto moved = follow_cart(WarrantySession{}, rules(), "CartItemAdded", cart_event(line, 1));
  if (!moved || !*moved) throw std::runtime_error("the first cart event did not apply");
  return (*moved)->session;
}

WarrantySession chosen(const WarrantySession& session, std::string_view plan) {
  auto moved = select_plan(session, rules(), "p", plan);
  if (!moved) throw std::runtime_error(moved.error().message);
  return moved->session;
}

TEST(SelectPlan, ChoosesOnePlanPerKindAndNumbersTheEvents) {
  const auto session = with_line(phone(2));
  EXPECT_TRUE(session.selections.empty());
  auto first = select_plan(session, rules(), "p", "ext_12m");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->changes.size(), 1U);
  const auto& change = first->changes[0];
  EXPECT_FALSE(change.removed);
  EXPECT_EQ(change.version, 1);
  EXPECT_EQ(change.selection.unit_price, pln(19992));
  EXPECT_EQ(change.selection.quantity, 2);
  EXPECT_EQ(change.selection.price(), pln(39984)) << "one plan per unit";
  EXPECT_EQ(first->session.version, 1);

  auto again = select_plan(first->session, rules(), "p", "ext_12m");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changes.empty()) << "the plan the line has, at its price";
  EXPECT_EQ(again->session, first->session);

  auto longer = select_plan(first->session, rules(), "p", "ext_24m");
  ASSERT_TRUE(longer);
  ASSERT_EQ(longer->session.selections.size(), 1U) << "replaces the plan of the same kind";
  EXPECT_EQ(longer->session.selections[0].plan_id, "ext_24m");
  EXPECT_EQ(longer->changes.at(0).version, 2);

  auto theft = select_plan(longer->session, rules(), "p", "theft_12m");
  ASSERT_TRUE(theft);
  EXPECT_EQ(theft->session.selections.size(), 2U) << "another kind sits beside it";
  EXPECT_EQ(theft->session.selected_for("p").size(), 2U);
}

TEST(SelectPlan, RefusesUnknownLinesUnknownPlansAndIneligibleLines) {
  const auto session = with_line(phone());
  auto other_line = select_plan(session, rules(), "someone-elses-line", "ext_12m");
  ASSERT_FALSE(other_line);
  EXPECT_EQ(other_line.error().code, platform::Errc::not_found);
  EXPECT_EQ(other_line.error().reason, "line_not_found");

  auto unknown = select_plan(session, rules(), "p", "ext_99m");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, platform::Errc::invalid);
  EXPECT_EQ(unknown.error().reason, "unknown_warranty");

  const auto tv = with_line(product_line("p", Goods().category("tv").price(329900)));
  auto theft = select_plan(tv, rules(), "p", "theft_12m");
  ASSERT_FALSE(theft);
  EXPECT_EQ(theft.error().reason, "not_eligible");
  ASSERT_EQ(theft.error().fields.size(), 1U);
  EXPECT_EQ(theft.error().fields[0].detail, "category_not_covered");
}

TEST(FollowCart, AQuantityChangeRepricesEveryPlanOfTheLine) {
  auto session = chosen(chosen(with_line(phone(1)), "ext_12m"), "theft_12m");
  auto moved = follow_cart(session, rules(), "CartItemQuantityChanged", cart_event(phone(3), 2));
  ASSERT_TRUE(moved && *moved);
  const auto& changes = (*moved)->changes;
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].selection.quantity, 3);
  EXPECT_EQ(changes[0].selection.price(), pln(19992 * 3));
  EXPECT_EQ(changes[1].selection.price(), pln(14900 * 3));
  EXPECT_EQ(changes[0].version, 3);
  EXPECT_EQ(changes[1].version, 4);
  EXPECT_EQ((*moved)->session.version, 4);
}

TEST(FollowCart, APriceChangeRepricesOrEndsThePlan) {
  auto session = chosen(with_line(phone()), "ext_12m");
  auto cheaper =
      follow_cart(session, rules(), "CartItemPriceChanged", cart_event(phone(1, 99999), 2));
  ASSERT_TRUE(cheaper && *cheaper);
  ASSERT_EQ((*cheaper)->changes.size(), 1U);
  EXPECT_EQ((*cheaper)->changes[0].selection.unit_price, pln(10000)) << "9 999,9 gr, band 1";

  auto dearer = follow_cart((*cheaper)->session, rules(), "CartItemPriceChanged",
                            cart_event(phone(1, 1000000), 3));
  ASSERT_TRUE(dearer && *dearer);
  ASSERT_EQ((*dearer)->changes.size(), 1U);
  EXPECT_EQ((*dearer)->changes[0].removed, RemovalReason::no_longer_eligible);
  EXPECT_TRUE((*dearer)->session.selections.empty());
}

TEST(FollowCart, RemovingTheLineEndsItsPlansAndOtherEventsTouchNothing) {
  auto session = chosen(chosen(with_line(phone()), "ext_12m"), "theft_12m");
  auto stock = cart_event(phone(), 2);
  stock.as_object().erase("line");
  auto unrelated = follow_cart(session, rules(), "CartItemStockChanged", stock);
  ASSERT_TRUE(unrelated && *unrelated);
  EXPECT_TRUE((*unrelated)->changes.empty()) << "the line did not change";

  auto removed =
      follow_cart((*unrelated)->session, rules(), "CartItemRemoved", cart_event(phone(), 3));
  ASSERT_TRUE(removed && *removed);
  ASSERT_EQ((*removed)->changes.size(), 2U);
  for (const auto& change : (*removed)->changes) {
    EXPECT_EQ(change.removed, RemovalReason::parent_removed);
  }
  EXPECT_TRUE((*removed)->session.selections.empty());

  auto redelivered =
      follow_cart((*removed)->session, rules(), "CartItemRemoved", cart_event(phone(), 3));
  ASSERT_TRUE(redelivered);
  EXPECT_FALSE(*redelivered) << "a redelivered event changes nothing";
  auto late = follow_cart((*removed)->session, rules(), "CartItemAdded", cart_event(phone(), 1));
  ASSERT_TRUE(late);
  EXPECT_FALSE(*late) << "an older event changes nothing";
}

TEST(FollowCart, AnEventNamingAnotherUserIsPoison) {
  const auto session = with_line(phone());
  auto foreign = follow_cart(session, rules(), "CartItemAdded", cart_event(phone(), 2, "intruder"));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, platform::Errc::invalid);
}

TEST(RemovePlans, RemovesOneOrAllAndNothingTwice) {
  auto session = chosen(chosen(with_line(phone()), "ext_12m"), "theft_12m");
  auto one = remove_plans(session, "p", std::string_view("theft_12m"));
  ASSERT_TRUE(one);
  ASSERT_EQ(one->changes.size(), 1U);
  EXPECT_EQ(one->changes[0].removed, RemovalReason::removed_by_customer);
  EXPECT_EQ(one->session.selections.size(), 1U);

  auto all = remove_plans(one->session, "p", std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->changes.size(), 1U);
  EXPECT_TRUE(all->session.selections.empty());
  auto again = remove_plans(all->session, "p", std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changes.empty());

  auto unknown = remove_plans(session, "nope", std::nullopt);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, platform::Errc::not_found);
}

TEST(Events, CarryTheSelectionAndTheReason) {
  auto session = chosen(with_line(phone(2)), "ext_12m");
  auto moved = follow_cart(session, rules(), "CartItemRemoved", cart_event(phone(2), 2));
  ASSERT_TRUE(moved && *moved);
  const auto trace = platform::TraceContext::parse_or_generate("");
  const auto selected =
      change_event(session, WarrantyChange{session.selections[0], std::nullopt, 1}, trace,
                   platform::TimePoint{});
  EXPECT_EQ(selected.type, "WarrantySelected");
  EXPECT_EQ(selected.key, "cs_test");
  const auto data = json::parse(selected.data).as_object();
  EXPECT_EQ(data.at("plan_id"), "ext_12m");
  EXPECT_EQ(data.at("kind"), "extended");
  EXPECT_EQ(data.at("quantity"), 2);
  EXPECT_EQ(data.at("price").at("amount"), 39984);
  EXPECT_EQ(data.at("version"), 1);

  const auto removed =
      change_event((*moved)->session, (*moved)->changes[0], trace, platform::TimePoint{});
  EXPECT_EQ(removed.type, "WarrantyRemoved");
  const auto removed_data = json::parse(removed.data).as_object();
  EXPECT_EQ(removed_data.at("reason"), "parent_removed");
  EXPECT_EQ(removed_data.at("version"), 2);
  EXPECT_FALSE(removed_data.contains("price"));
}

// CartMerged on the user's session "cs_test": the guest line `from` went into the user's `into`.
json::value cart_merged(std::int64_t version,
                        std::vector<std::pair<std::string, std::string>> items) {
  json::array mapped;
  for (auto& [from, into] : items) {
    mapped.push_back(json::object{{"from_item_id", from}, {"item_id", into}, {"sku", "SKU-1"}});
  }
  return json::object{{"session_id", "cs_test"},
                      {"user_id", "user_test"},
                      {"version", version},
                      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                      {"occurred_at", "2026-12-02T10:00:00Z"},
                      {"cart_hash", "h" + std::to_string(version)},
                      {"from_session_id", "cs_guest"},
                      {"from_user_id", "guest-0123"},
                      {"items", std::move(mapped)}};
}

// The guest's plans: `plans` chosen for the guest's phone line "g" (2 units).
std::vector<Selection> guest_plans(std::vector<std::string_view> plans) {
  auto guest = with_line(product_line("g", Goods().category("phone").price(249900).quantity(2)));
  for (auto plan : plans) {
    auto moved = select_plan(guest, rules(), "g", plan);
    if (!moved) throw std::runtime_error(moved.error().message);
    guest = moved->session;
  }
  return carried_plans(guest);
}

TEST(FollowMerge, TheGuestsPlansFollowTheLineIntoTheUsersCartPricedForIt) {
  // The user's phone line "p" (3 units, after the merge's CartItemQuantityChanged).
  const auto user = with_line(phone(3));
  auto moved = follow_merge(user, rules(), cart_merged(2, {{"g", "p"}}),
                            guest_plans({"ext_12m", "theft_12m"}));
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(*moved);
  const auto& session = (*moved)->session;
  EXPECT_EQ(session.cart.version, 2);
  ASSERT_EQ((*moved)->changes.size(), 2U);
  const auto& extended = (*moved)->changes[0];
  EXPECT_FALSE(extended.removed);
  EXPECT_EQ(extended.selection.item_id, "p");
  EXPECT_EQ(extended.selection.plan_id, "ext_12m");
  EXPECT_EQ(extended.selection.quantity, 3) << "priced for the user's line as it is now";
  EXPECT_EQ(extended.selection.price(), pln(19992 * 3));
  EXPECT_EQ(extended.version, 1);
  EXPECT_EQ((*moved)->changes[1].selection.plan_id, "theft_12m");
  EXPECT_EQ(session.selected_for("p").size(), 2U);

  auto redelivered =
      follow_merge(session, rules(), cart_merged(2, {{"g", "p"}}), guest_plans({"ext_12m"}));
  ASSERT_TRUE(redelivered);
  EXPECT_FALSE(*redelivered) << "a redelivered CartMerged changes nothing";
}

TEST(FollowMerge, TheUsersOwnChoiceStaysAndIneligiblePlansAreNotCarried) {
  const auto user = chosen(with_line(phone(1)), "ext_24m");
  auto moved = follow_merge(user, rules(), cart_merged(2, {{"g", "p"}, {"x", "missing"}}),
                            guest_plans({"ext_12m", "theft_12m"}));
  ASSERT_TRUE(moved && *moved);
  ASSERT_EQ((*moved)->changes.size(), 1U) << "only the theft plan: the user chose an extended one";
  EXPECT_EQ((*moved)->changes[0].selection.plan_id, "theft_12m");
  const auto selected = (*moved)->session.selected_for("p");
  ASSERT_EQ(selected.size(), 2U);
  EXPECT_EQ(selected[0].plan_id, "ext_24m");

  // A TV line: the theft plan is not sold for TVs.
  const auto tv = with_line(product_line("p", Goods().category("tv").price(329900)));
  auto tv_moved =
      follow_merge(tv, rules(), cart_merged(2, {{"g", "p"}}), guest_plans({"theft_12m"}));
  ASSERT_TRUE(tv_moved && *tv_moved);
  EXPECT_TRUE((*tv_moved)->changes.empty());
}

TEST(FollowMerge, BrokenItemsArePoison) {
  auto data = cart_merged(2, {{"g", "p"}});
  data.as_object()["items"] = json::array{json::object{{"from_item_id", "g"}}};
  auto broken = follow_merge(with_line(phone()), rules(), data, {});
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, platform::Errc::invalid);
}

TEST(FollowCart, APlanWhoseLineLeftTheCartIsKeptAsideForAMerge) {
  auto session = chosen(chosen(with_line(phone()), "ext_12m"), "theft_12m");
  auto removed = follow_cart(session, rules(), "CartItemRemoved", cart_event(phone(), 2));
  ASSERT_TRUE(removed && *removed);
  EXPECT_TRUE((*removed)->session.selections.empty());
  ASSERT_EQ((*removed)->session.released.size(), 2U);
  EXPECT_EQ(carried_plans((*removed)->session), session.selections);
  // Removed by the customer: not kept (a merge must not bring back what they took off).
  auto taken_off = remove_plans(session, "p", std::nullopt);
  ASSERT_TRUE(taken_off);
  EXPECT_TRUE(taken_off->session.released.empty());
}

TEST(Store, SelectionsRoundTripThroughTheirJson) {
  const auto session = chosen(chosen(with_line(phone(2)), "ext_12m"), "theft_12m");
  auto back = selections_from_json(selections_to_json(session.selections));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, session.selections);
  EXPECT_FALSE(selections_from_json("{}"));
  EXPECT_FALSE(selections_from_json(R"([{"item_id":"p"}])"));
}

}  // namespace
}  // namespace warranty
