#pragma once
// The promotions shown on the cart's lines with the 30-day lowest price (the seed's "enrichment
// with promotions", the EU Omnibus rule): a read-only copy of the Promotion service's word
// (PromotionApplied, PromoCodeApplied, PromotionRemoved, PromoCodeInvalid on promotion-events).
// Pure functions, no I/O. Applying one publishes nothing and changes no cart version: the
// Promotion owns and publishes the discounts, the Checkout subtracts them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cart.hpp"

namespace cart {

// One line's part of an applied promotion (the event's `allocations` entry).
struct PromotionPart {
  std::string item_id;
  std::string sku;
  platform::Money discount;
  std::optional<platform::Money> lowest_price_30d;
  friend bool operator==(const PromotionPart&, const PromotionPart&) = default;
};

// One promotion-events event, as the Cart uses it.
struct PromotionEvent {
  // applied: PromotionApplied or PromoCodeApplied; removed: PromotionRemoved; other: an event
  // that only moves the version (PromoCodeInvalid).
  enum class Action { applied, removed, other };
  Action action = Action::applied;
  std::string session_id;
  std::int64_t version = 0;          // the Promotion's per-session version
  std::string promotion_id;          // applied, removed
  std::string name;                  // applied: the promotion's name (a code's promotion: its code)
  std::optional<std::string> code;   // applied, removed: the discount code it came from
  std::vector<PromotionPart> parts;  // applied: the lines it touches now
};

// Applies a promotion event. Of another session than the cart's current one, or not newer than
// the last one applied (Cart::promotion_version: older, or redelivered): the cart as it is.
// Otherwise the version moves and: an applied promotion replaces its earlier parts as a whole
// (the lines it no longer touches lose it; each line it touches shows its part, in the place it
// had on the line, or last when new to it; a part for a line the cart no longer has, or whose
// sku differs, is not shown); a removed one leaves every line. The cart's version and lines' own
// fields never change.
[[nodiscard]] Cart apply_promotion_event(const Cart& cart, const PromotionEvent& event);

}  // namespace cart
