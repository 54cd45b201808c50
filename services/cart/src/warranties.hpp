#pragma once
// The warranties shown under the cart's lines: a read-only copy of the Warranty service's word
// (WarrantySelected, WarrantyRemoved on warranty-events). Pure functions, no I/O. Applying one
// publishes nothing and changes no cart version: the Warranty owns and publishes the fact.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cart.hpp"

namespace cart {

std::string_view to_string(WarrantyKind kind);  // "extended", "accidental_damage", "theft"
std::optional<WarrantyKind> warranty_kind_from(std::string_view text);

// One WarrantySelected or WarrantyRemoved, as the Cart uses it.
struct WarrantyEvent {
  enum class Action { selected, removed };
  Action action = Action::selected;
  std::string session_id;
  std::int64_t version = 0;  // the Warranty's per-session version
  std::string item_id;       // the cart line
  // selected: the plan the line now has; removed: the plan that went (plan_id and kind).
  Warranty plan;
};

// Applies a warranty event. Of another session than the cart's current one, or not newer than
// the last one applied (Cart::warranty_version: older, or redelivered): the cart as it is.
// Otherwise the version moves and, when the cart still has the line, WarrantySelected replaces
// the line's plan of its kind (a new plan, or the same one repriced) and WarrantyRemoved drops
// the line's plan of its kind. The cart's version and lines' own fields never change.
[[nodiscard]] Cart apply_warranty_event(const Cart& cart, const WarrantyEvent& event);

}  // namespace cart
