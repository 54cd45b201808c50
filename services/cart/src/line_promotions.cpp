#include "line_promotions.hpp"

#include <algorithm>

namespace cart {

Cart apply_promotion_event(const Cart& cart, const PromotionEvent& event) {
  if (cart.session_id.empty() || event.session_id != cart.session_id ||
      event.version <= cart.promotion_version) {
    return cart;
  }
  Cart next = cart;
  next.promotion_version = event.version;
  if (event.action == PromotionEvent::Action::other) return next;
  const auto& id = event.promotion_id;
  for (auto& line : next.lines) {
    auto& shown = line.promotions;
    auto held = std::find_if(shown.begin(), shown.end(),
                             [&](const LinePromotion& p) { return p.promotion_id == id; });
    const auto part = event.action == PromotionEvent::Action::applied
                          ? std::find_if(event.parts.begin(), event.parts.end(),
                                         [&](const PromotionPart& p) {
                                           return p.item_id == line.item_id && p.sku == line.sku;
                                         })
                          : event.parts.end();
    if (part == event.parts.end()) {
      if (held != shown.end()) shown.erase(held);
      continue;
    }
    LinePromotion promotion{id, event.name, event.code, part->discount, part->lowest_price_30d};
    if (held != shown.end()) {
      *held = std::move(promotion);
    } else {
      shown.push_back(std::move(promotion));
    }
  }
  return next;
}

}  // namespace cart
