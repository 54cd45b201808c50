#include "session.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "offers.hpp"

namespace warranty {
namespace {
using platform::Errc;
using platform::make_error;

// `selection` for `line` and `plan` at `unit_price` (the current name, duration and quantity).
Selection selection_for(const contracts::CartLine& line, const Plan& plan,
                        const platform::Money& unit_price) {
  return Selection{.item_id = line.item_id,
                   .sku = line.sku,
                   .plan_id = plan.id,
                   .kind = plan.kind,
                   .name = plan.name,
                   .duration_months = plan.duration_months,
                   .unit_price = unit_price,
                   .quantity = line.quantity};
}

void publish(Moved& moved, Selection selection, std::optional<RemovalReason> removed) {
  moved.session.version += 1;
  moved.changes.push_back(WarrantyChange{
      .selection = std::move(selection), .removed = removed, .version = moved.session.version});
}

// Kept aside for a merge of this cart (see session.hpp), the oldest dropped past kMaxReleased.
void release(WarrantySession& session, Selection selection) {
  auto& released = session.released;
  std::erase_if(released, [&](const Selection& held) {
    return held.item_id == selection.item_id && held.kind == selection.kind;
  });
  released.push_back(std::move(selection));
  if (released.size() > kMaxReleased) {
    released.erase(released.begin(), released.end() - static_cast<std::ptrdiff_t>(kMaxReleased));
  }
}

// Each chosen plan judged against its line as the cart now has it (see session.hpp).
void rejudge(Moved& moved, const WarrantyRules& rules) {
  std::vector<Selection> kept;
  for (auto& selection : moved.session.selections) {
    const auto* line = moved.session.cart.find(selection.item_id);
    if (line == nullptr) {
      publish(moved, selection, RemovalReason::parent_removed);
      release(moved.session, std::move(selection));
      continue;
    }
    const auto* plan = rules.plan(selection.plan_id);
    const auto offer = plan == nullptr || plan->kind != selection.kind
                           ? std::optional<Offer>()
                           : std::optional(offer_for(rules, *plan, *line));
    if (!offer || !offer->offered()) {
      publish(moved, std::move(selection), RemovalReason::no_longer_eligible);
      continue;
    }
    auto now = selection_for(*line, *plan, offer->unit_price);
    if (now != selection) publish(moved, now, std::nullopt);
    kept.push_back(std::move(now));
  }
  moved.session.selections = std::move(kept);
}
}  // namespace

std::vector<Selection> WarrantySession::selected_for(std::string_view item_id) const {
  std::vector<Selection> out;
  for (const auto& selection : selections) {
    if (selection.item_id == item_id) out.push_back(selection);
  }
  return out;
}

platform::Error line_not_found(std::string_view item_id) {
  return make_error(Errc::not_found, "no product line " + std::string(item_id) + " in your cart",
                    "line_not_found");
}

std::string_view to_string(RemovalReason reason) {
  switch (reason) {
    case RemovalReason::removed_by_customer:
      return "removed_by_customer";
    case RemovalReason::parent_removed:
      return "parent_removed";
    case RemovalReason::no_longer_eligible:
      return "no_longer_eligible";
  }
  return "removed_by_customer";
}

platform::Result<std::optional<Moved>> follow_cart(const WarrantySession& session,
                                                   const WarrantyRules& rules,
                                                   std::string_view type,
                                                   const boost::json::value& data) {
  PLATFORM_TRY(auto copy, contracts::apply_cart_event(session.cart, type, data));
  if (!copy) return std::optional<Moved>();
  if (!session.user_id.empty() && copy->user_id != session.user_id) {
    return make_error(Errc::invalid, "cart event of user " + copy->user_id +
                                         " for the session of " + session.user_id);
  }
  Moved moved{.session = session, .changes = {}};
  moved.session.session_id = copy->session_id;
  moved.session.user_id = copy->user_id;
  moved.session.cart = std::move(*copy);
  rejudge(moved, rules);
  return std::optional(std::move(moved));
}

std::vector<Selection> carried_plans(const WarrantySession& guest) {
  auto plans = guest.selections;
  plans.insert(plans.end(), guest.released.begin(), guest.released.end());
  return plans;
}

namespace {
// CartMerged's items: guest line -> the user's line it went into.
platform::Result<std::vector<std::pair<std::string, std::string>>> merged_items(
    const boost::json::value& data) {
  const auto broken = [] {
    return make_error(Errc::invalid, "CartMerged: 'items' missing or out of contract");
  };
  const auto* items = data.is_object() ? data.as_object().if_contains("items") : nullptr;
  if (items == nullptr || !items->is_array()) return broken();
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& item : items->as_array()) {
    const auto* fields = item.if_object();
    const auto* from = fields != nullptr ? fields->if_contains("from_item_id") : nullptr;
    const auto* into = fields != nullptr ? fields->if_contains("item_id") : nullptr;
    if (from == nullptr || into == nullptr || !from->is_string() || !into->is_string() ||
        from->as_string().empty() || into->as_string().empty()) {
      return broken();
    }
    pairs.emplace_back(std::string(from->as_string()), std::string(into->as_string()));
  }
  return pairs;
}
}  // namespace

platform::Result<std::optional<Moved>> follow_merge(const WarrantySession& session,
                                                    const WarrantyRules& rules,
                                                    const boost::json::value& data,
                                                    const std::vector<Selection>& guest_plans) {
  PLATFORM_TRY(auto items, merged_items(data));
  PLATFORM_TRY(auto followed, follow_cart(session, rules, "CartMerged", data));
  if (!followed) return followed;
  auto& moved = *followed;
  for (const auto& item : items) {
    const auto& from_item_id = item.first;
    const auto& item_id = item.second;
    const auto* line = moved.session.cart.find(item_id);
    if (line == nullptr) continue;  // gone again since (its removal came before this event)
    for (const auto& plan_chosen : guest_plans) {
      if (plan_chosen.item_id != from_item_id) continue;
      auto& selections = moved.session.selections;
      const bool has_kind =
          std::any_of(selections.begin(), selections.end(), [&](const Selection& held) {
            return held.item_id == item_id && held.kind == plan_chosen.kind;
          });
      if (has_kind) continue;  // the user's own choice for the line stays
      const auto* plan = rules.plan(plan_chosen.plan_id);
      if (plan == nullptr || plan->kind != plan_chosen.kind) continue;
      const auto offer = offer_for(rules, *plan, *line);
      if (!offer.offered()) continue;
      auto chosen = selection_for(*line, *plan, offer.unit_price);
      selections.push_back(chosen);
      publish(moved, std::move(chosen), std::nullopt);
    }
  }
  return followed;
}

platform::Result<Moved> select_plan(const WarrantySession& session, const WarrantyRules& rules,
                                    std::string_view item_id, std::string_view plan_id) {
  const auto* line = session.cart.find(item_id);
  if (line == nullptr) return line_not_found(item_id);
  const auto* plan = rules.plan(plan_id);
  if (plan == nullptr) {
    return make_error(Errc::invalid, "no warranty plan " + std::string(plan_id),
                      "unknown_warranty");
  }
  const auto offer = offer_for(rules, *plan, *line);
  if (!offer.offered()) {
    auto error = make_error(Errc::invalid, offer.reason->message, "not_eligible");
    error.fields.push_back({"warranty_id", offer.reason->code});
    return error;
  }
  Moved moved{.session = session, .changes = {}};
  auto chosen = selection_for(*line, *plan, offer.unit_price);
  auto& selections = moved.session.selections;
  const auto same_kind = std::find_if(selections.begin(), selections.end(), [&](const auto& s) {
    return s.item_id == line->item_id && s.kind == plan->kind;
  });
  if (same_kind != selections.end()) {
    if (*same_kind == chosen) return moved;  // already chosen, at this price
    *same_kind = chosen;
  } else {
    selections.push_back(chosen);
  }
  publish(moved, std::move(chosen), std::nullopt);
  return moved;
}

platform::Result<Moved> remove_plans(const WarrantySession& session, std::string_view item_id,
                                     std::optional<std::string_view> plan_id) {
  if (session.cart.find(item_id) == nullptr) return line_not_found(item_id);
  Moved moved{.session = session, .changes = {}};
  std::vector<Selection> kept;
  for (auto& selection : moved.session.selections) {
    if (selection.item_id == item_id && (!plan_id || selection.plan_id == *plan_id)) {
      publish(moved, std::move(selection), RemovalReason::removed_by_customer);
    } else {
      kept.push_back(std::move(selection));
    }
  }
  moved.session.selections = std::move(kept);
  return moved;
}

}  // namespace warranty
