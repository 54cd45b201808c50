// The view: each component takes only newer events of its own topic; the stored form round-trips.
#include "view.hpp"

#include <gtest/gtest.h>

#include "event_builders.hpp"

namespace checkout {
namespace {
using testing::cart_event;
using testing::Line;

CheckoutView empty_view() {
  CheckoutView view;
  view.session_id = testing::kSession;
  return view;
}

// The view after `event`, or the same view when the event changes nothing.
CheckoutView apply(const CheckoutView& view, const testing::Event& event) {
  auto next = apply_event(view, event.topic, event.type, event.data);
  EXPECT_TRUE(next) << next.error().message;
  return next && *next ? **next : view;
}

TEST(View, ADuplicateOrAnOlderEventChangesNothing) {
  auto view = apply(empty_view(), cart_event(1, "CartItemAdded", Line{"tv", 329900}));
  view = apply(view, cart_event(2, "CartItemQuantityChanged", Line{"tv", 329900, 2}));
  const auto again = apply_event(view, "cart-events", "CartItemAdded",
                                 cart_event(1, "CartItemAdded", Line{"tv", 329900}).data);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  view = apply(view, testing::method_selected(2, "courier", 14900));
  const auto older = testing::method_selected(1, "parcel_locker", 999);
  const auto stale = apply_event(view, older.topic, older.type, older.data);
  ASSERT_TRUE(stale);
  EXPECT_FALSE(*stale);
  EXPECT_EQ(view.shipping.method->method_id, "courier");
  EXPECT_EQ(view.cart.lines.at(0).quantity, 2);
}

TEST(View, EachComponentKeepsItsOwnVersion) {
  auto view = apply(empty_view(), cart_event(7, "CartItemAdded", Line{"tv", 329900}));
  view = apply(view, testing::warranty_selected(2, "tv", 39900));
  view = apply(view, testing::payment_selected(4, "blik", 0));
  view = apply(view, testing::promotion_applied(1, "p", {{"tv", 1000}}));
  EXPECT_EQ(version_of(view, Component::cart), 7);
  EXPECT_EQ(version_of(view, Component::warranty), 2);
  EXPECT_EQ(version_of(view, Component::payment), 4);
  EXPECT_EQ(version_of(view, Component::promotion), 1);
  EXPECT_EQ(version_of(view, Component::shipping), 0);
}

TEST(View, PaymentChoicesAndAttemptsKeepTheirOwnVersions) {
  // The attempt's event (PostgreSQL outbox) may overtake the choice's (Redis outbox).
  auto initialized = testing::payment_selected(5, "blik", 0);
  initialized.type = "PaymentInitialized";
  auto view = apply(empty_view(), initialized);
  EXPECT_EQ(view.payment.attempt_version, 5);
  view = apply(view, testing::payment_selected(4, "blik", 0));
  ASSERT_TRUE(view.payment.method);
  EXPECT_EQ(version_of(view, Component::payment), 4);
}

TEST(View, ClearedChoicesSayWhy) {
  auto view = apply(empty_view(), testing::method_selected(1, "courier", 14900));
  view = apply(view, testing::method_cleared(2, "courier"));
  EXPECT_FALSE(view.shipping.method);
  ASSERT_TRUE(view.shipping.cleared);
  EXPECT_EQ(view.shipping.cleared->code, "too_heavy");
  view = apply(view, testing::payment_selected(1, "cash_on_delivery", 500));
  view = apply(view, testing::payment_cleared(2, "cash_on_delivery"));
  EXPECT_FALSE(view.payment.method);
  EXPECT_TRUE(view.payment.cleared);
}

TEST(View, PromotionsAreKeptByIdAndARefusedCodeIsRemembered) {
  auto view = apply(empty_view(), testing::promotion_applied(1, "p1", {{"tv", 1000}}));
  view = apply(view, testing::promotion_applied(2, "p1", {{"tv", 2000}}));
  view = apply(view, testing::code_invalid(3, "ZIMA"));
  ASSERT_EQ(view.promotion.applied.size(), 1U);
  EXPECT_EQ(view.promotion.applied[0].discount.amount, 2000);
  ASSERT_TRUE(view.promotion.refused);
  view = apply(view, testing::code_applied(4, "WIOSNA10", "p2", {{"tv", 500}}));
  EXPECT_FALSE(view.promotion.refused);
  ASSERT_EQ(view.promotion.applied.size(), 2U);
  EXPECT_EQ(view.promotion.applied[1].code, "WIOSNA10");
  view = apply(view, testing::promotion_removed(5, "p1"));
  ASSERT_EQ(view.promotion.applied.size(), 1U);
  EXPECT_EQ(view.promotion.applied[0].promotion_id, "p2");
}

TEST(View, APriceChangeWaitsForTheCustomersAcknowledgement) {
  auto view = apply(empty_view(), cart_event(1, "CartItemAdded", Line{"tv", 329900}));
  view = apply(view, cart_event(2, "CartItemPriceChanged", Line{"tv", 299900}, 329900));
  view = apply(view, cart_event(3, "CartItemPriceChanged", Line{"tv", 289900}, 299900));
  ASSERT_EQ(view.price_changes.size(), 1U);
  EXPECT_EQ(view.price_changes[0].old_unit_price.amount, 329900);
  EXPECT_EQ(view.price_changes[0].new_unit_price.amount, 289900);
  auto unknown = acknowledge_price_changes(view, {"fridge"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().reason, "no_price_change");
  auto seen = acknowledge_price_changes(view, {"tv"});
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->price_changes.empty());
  // A change back to the first price is no change to see.
  view = apply(view, cart_event(4, "CartItemPriceChanged", Line{"tv", 329900}, 289900));
  EXPECT_TRUE(view.price_changes.empty());
}

TEST(View, AnEventOfAnotherSessionOrWithBrokenDataIsRefused) {
  auto event = testing::payment_selected(1, "blik", 0);
  event.data.as_object()["session_id"] = "cs-other";
  auto other = apply_event(empty_view(), event.topic, event.type, event.data);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, platform::Errc::invalid);
  auto broken = testing::method_selected(1, "courier", 100);
  broken.data.as_object()["price"] = "149,00";
  EXPECT_FALSE(apply_event(empty_view(), broken.topic, broken.type, broken.data));
}

TEST(View, TheStoredFormRoundTrips) {
  auto view = apply(empty_view(), cart_event(1, "CartItemAdded", Line{"tv", 329900}));
  view = apply(view, cart_event(2, "CartItemPriceChanged", Line{"tv", 299900}, 329900));
  view = apply(view, testing::warranty_selected(1, "tv", 39900));
  view = apply(view, testing::method_selected(1, "courier", 14900));
  view = apply(view, testing::address_provided(2));
  view = apply(view, testing::date_selected(3, "courier", 2000));
  view = apply(view, testing::addons_selected(4, {4900}));
  view = apply(view, testing::payment_selected(1, "blik", 0));
  view = apply(view, testing::promotion_applied(1, "p1", {{"tv", 1000}}));
  view = apply(view, testing::code_invalid(2, "ZIMA"));
  const auto back = view_from_json(view_to_json(view));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, view);
}

}  // namespace
}  // namespace checkout
