#include "warranties.hpp"

#include <algorithm>
#include <array>

namespace cart {
namespace {
constexpr std::array kKinds{WarrantyKind::extended, WarrantyKind::accidental_damage,
                            WarrantyKind::theft};
}  // namespace

std::string_view to_string(WarrantyKind kind) {
  switch (kind) {
    case WarrantyKind::extended:
      return "extended";
    case WarrantyKind::accidental_damage:
      return "accidental_damage";
    case WarrantyKind::theft:
      return "theft";
  }
  return "extended";
}

std::optional<WarrantyKind> warranty_kind_from(std::string_view text) {
  for (auto kind : kKinds) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

Cart apply_warranty_event(const Cart& cart, const WarrantyEvent& event) {
  if (cart.session_id.empty() || event.session_id != cart.session_id ||
      event.version <= cart.warranty_version) {
    return cart;
  }
  Cart next = cart;
  next.warranty_version = event.version;
  auto line = std::find_if(next.lines.begin(), next.lines.end(),
                           [&](const CartLine& l) { return l.item_id == event.item_id; });
  // A line the cart no longer has (removed meanwhile): its warranties went with it.
  if (line == next.lines.end()) return next;
  auto& held = line->warranties;
  const auto kind = event.plan.kind;
  std::erase_if(held, [kind](const Warranty& w) { return w.kind == kind; });
  if (event.action == WarrantyEvent::Action::selected) {
    // Kept in the order of the kinds, whatever order they were chosen in.
    const auto at =
        std::find_if(held.begin(), held.end(), [kind](const Warranty& w) { return w.kind > kind; });
    held.insert(at, event.plan);
  }
  return next;
}

}  // namespace cart
