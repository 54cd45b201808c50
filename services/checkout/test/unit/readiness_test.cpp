// Readiness: each thing missing before the order, and nothing once everything is there.
#include "readiness.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "event_builders.hpp"

namespace checkout {
namespace {
using testing::cart_event;
using testing::Line;

CheckoutRules rules() {
  CheckoutRules r;
  r.consents = {{"terms_of_sale", true, "2026-01", "Regulamin", "..."},
                {"privacy_policy", true, "2026-01", "Prywatność", "..."},
                {"marketing_email", false, "2025-06", "Newsletter", "..."}};
  return r;
}

CheckoutView fold(const std::vector<testing::Event>& events) {
  CheckoutView view;
  view.session_id = testing::kSession;
  for (const auto& event : events) {
    auto next = apply_event(view, event.topic, event.type, event.data);
    EXPECT_TRUE(next) << next.error().message;
    if (next && *next) view = std::move(**next);
  }
  return view;
}

std::vector<std::string> codes(const std::vector<Blocker>& blockers) {
  std::vector<std::string> out;
  out.reserve(blockers.size());
  for (const auto& b : blockers) out.push_back(b.code);
  return out;
}

std::vector<GivenConsent> accepted() {
  return {{"terms_of_sale", true, "2026-01", "2026-12-01T10:00:00Z"},
          {"privacy_policy", true, "2026-01", "2026-12-01T10:00:00Z"}};
}

TEST(Readiness, AnEmptySessionListsEverything) {
  const auto blockers = readiness(fold({}), false, {}, rules());
  EXPECT_EQ(codes(blockers),
            (std::vector<std::string>{"empty_cart", "no_delivery_method", "no_payment_method",
                                      "no_customer_data", "consent_missing", "consent_missing"}));
  EXPECT_EQ(blockers[4].consent_id, "terms_of_sale");
}

TEST(Readiness, AWholeSessionIsReady) {
  const auto view =
      fold({cart_event(1, "CartItemAdded", Line{"tv", 329900}),
            testing::method_selected(1, "courier", 14900), testing::address_provided(2),
            testing::date_selected(3, "courier", 0), testing::payment_selected(1, "blik", 0)});
  EXPECT_TRUE(readiness(view, true, accepted(), rules()).empty());
}

TEST(Readiness, AddressDayAndLockerFollowTheMethod) {
  auto view = fold({cart_event(1, "CartItemAdded", Line{"tv", 329900}),
                    testing::method_selected(1, "courier", 14900),
                    testing::payment_selected(1, "blik", 0)});
  EXPECT_EQ(codes(readiness(view, true, accepted(), rules())),
            (std::vector<std::string>{"no_address", "no_delivery_day"}));
  view = fold({cart_event(1, "CartItemAdded", Line{"tv", 329900}),
               testing::method_selected(1, "courier", 14900), testing::address_provided(2),
               testing::date_selected(3, "courier", 0),
               testing::method_selected(4, "parcel_locker", 999, false, "parcel_locker"),
               testing::payment_selected(1, "blik", 0)});
  EXPECT_EQ(codes(readiness(view, true, accepted(), rules())),
            (std::vector<std::string>{"no_parcel_locker"}));
  view = fold({cart_event(1, "CartItemAdded", Line{"tv", 329900}),
               testing::method_selected(1, "store_pickup", 0, false, "store"),
               testing::payment_selected(1, "blik", 0)});
  EXPECT_TRUE(readiness(view, true, accepted(), rules()).empty());
}

TEST(Readiness, UnvalidatedLinesAndUnseenPricesAreNamed) {
  const auto view = fold(
      {cart_event(1, "CartItemAdded", Line{"tv", 329900}),
       cart_event(2, "CartItemAdded", Line{"carry", 4900, 1, "service", "service", "tv", false}),
       cart_event(3, "CartItemPriceChanged", Line{"tv", 299900}, 329900),
       testing::method_selected(1, "store_pickup", 0, false, "store"),
       testing::payment_selected(1, "blik", 0)});
  const auto blockers = readiness(view, true, accepted(), rules());
  ASSERT_EQ(codes(blockers),
            (std::vector<std::string>{"line_not_validated", "price_change_not_seen"}));
  EXPECT_EQ(blockers[0].item_id, "carry");
  EXPECT_EQ(blockers[1].item_id, "tv");
  EXPECT_NE(blockers[1].message.find("3 299,00 zł"), std::string::npos) << blockers[1].message;
  EXPECT_NE(blockers[1].message.find("2 999,00 zł"), std::string::npos) << blockers[1].message;
}

TEST(Readiness, AClearedChoiceSaysWhyAndANewTextVersionAsksAgain) {
  const auto view = fold({cart_event(1, "CartItemAdded", Line{"tv", 329900}),
                          testing::method_selected(1, "store_pickup", 0, false, "store"),
                          testing::payment_selected(1, "cash_on_delivery", 500),
                          testing::payment_cleared(2, "cash_on_delivery")});
  auto newer = rules();
  newer.consents[0].version = "2026-07";
  const auto blockers = readiness(view, true, accepted(), newer);
  ASSERT_EQ(codes(blockers), (std::vector<std::string>{"no_payment_method", "consent_missing"}));
  EXPECT_NE(blockers[0].message.find("Nie z paczkomatem."), std::string::npos);
  EXPECT_EQ(blockers[1].consent_id, "terms_of_sale");
}

}  // namespace
}  // namespace checkout
