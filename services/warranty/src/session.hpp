#pragma once
// What the Warranty keeps per checkout session, and how a customer's choice and the cart's events
// move it: the session's copy of the cart (cart-events) and the plans chosen for its lines. Pure
// functions returning the new session and the changes to publish (each one a WarrantySelected or
// WarrantyRemoved with the session's next version). No I/O.
//
// A chosen plan follows its line: every cart event re-judges each chosen plan against the line as
// it is now and the rules in force. The line gone: WarrantyRemoved (parent_removed). The plan no
// longer offered for it (its price left the plan's bands, the plan left the rules):
// WarrantyRemoved (no_longer_eligible). Its quantity or price changed: WarrantySelected again with
// the new unit price and quantity (one plan per unit), which replaces the earlier one.
//
// A guest's cart merged into a signed-in user's (CartMerged on the user's session) brings the
// guest's plans along: each plan chosen for a guest line is chosen for the user's line that took
// it (see follow_merge). The guest's lines leave the guest's session with their own
// CartItemRemoved events, which may be followed before or after the user's CartMerged (two
// sessions, two partitions): so a plan whose line left the cart is kept aside (`released`) after
// its WarrantyRemoved, and a merge finds it there.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "platform/error.hpp"
#include "platform/money.hpp"
#include "warranty_rules.hpp"

namespace warranty {

// A plan chosen for a line, as last published.
struct Selection {
  std::string item_id;
  std::string sku;
  std::string plan_id;
  PlanKind kind = PlanKind::extended;
  std::string name;
  std::int64_t duration_months = 0;
  platform::Money unit_price;
  std::int64_t quantity = 1;
  [[nodiscard]] platform::Money price() const { return unit_price * quantity; }
  friend bool operator==(const Selection&, const Selection&) = default;
};

struct WarrantySession {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;  // the Warranty's per-session version: +1 per event published
  contracts::CartCopy cart;
  std::vector<Selection> selections;  // at most one per line and kind
  // Plans whose line left the cart (WarrantyRemoved parent_removed), oldest first, at most
  // kMaxReleased: what a merge of this (guest's) cart into a user's cart carries over.
  std::vector<Selection> released;
  friend bool operator==(const WarrantySession&, const WarrantySession&) = default;

  // The plans chosen for a line, in the order they were chosen.
  [[nodiscard]] std::vector<Selection> selected_for(std::string_view item_id) const;
};

// Errc::not_found (line_not_found): the user's cart has no line `item_id` (or no cart at all).
platform::Error line_not_found(std::string_view item_id);

enum class RemovalReason { removed_by_customer, parent_removed, no_longer_eligible };
std::string_view to_string(RemovalReason reason);

// One event to publish: the selection as it is now (selected or repriced), or as it was
// (removed, with the reason).
struct WarrantyChange {
  Selection selection;
  std::optional<RemovalReason> removed;  // nullopt: WarrantySelected
  std::int64_t version = 0;              // the session's version this event carries
  friend bool operator==(const WarrantyChange&, const WarrantyChange&) = default;
};

struct Moved {
  WarrantySession session;
  std::vector<WarrantyChange> changes;  // empty: nothing to publish
};

// A cart event (ce_type `type`) applied, and the chosen plans re-judged (see above); nullopt when
// the event is not newer than the session's copy. Errc::invalid: the data breaks its contract or
// names another user (a poison message).
[[nodiscard]] platform::Result<std::optional<Moved>> follow_cart(const WarrantySession& session,
                                                                 const WarrantyRules& rules,
                                                                 std::string_view type,
                                                                 const boost::json::value& data);

inline constexpr std::size_t kMaxReleased = 100;

// The plans a merge of `guest`'s cart can carry over: those still chosen and those released.
[[nodiscard]] std::vector<Selection> carried_plans(const WarrantySession& guest);

// CartMerged (its data) on the user's session: the copy of the cart moves as for any cart event
// (follow_cart), then each plan of `guest_plans` (carried_plans() of the session CartMerged
// names) whose line the event maps to a line of this cart is chosen for that line, priced for it
// as it is now (one WarrantySelected each), unless the line already has a plan of that kind (the
// user's own choice stays) or the plan is not offered for it (any more). nullopt when the event is
// not newer than the session's copy (a redelivery: nothing again). Errc::invalid: the data breaks
// its contract or names another user (a poison message).
[[nodiscard]] platform::Result<std::optional<Moved>> follow_merge(
    const WarrantySession& session, const WarrantyRules& rules, const boost::json::value& data,
    const std::vector<Selection>& guest_plans);

// The customer chooses `plan_id` for the line `item_id`; it replaces the line's plan of the same
// kind. Choosing the plan the line already has at its current price changes nothing.
// Errc::not_found (line_not_found): no such line in the session's cart; Errc::invalid
// (unknown_warranty): no such plan; Errc::invalid (not_eligible): the plan is not offered for
// the line, with the reason.
[[nodiscard]] platform::Result<Moved> select_plan(const WarrantySession& session,
                                                  const WarrantyRules& rules,
                                                  std::string_view item_id,
                                                  std::string_view plan_id);

// The customer removes the line's plans (only `plan_id` when given). Nothing chosen: no change.
// Errc::not_found (line_not_found): no such line in the session's cart.
[[nodiscard]] platform::Result<Moved> remove_plans(const WarrantySession& session,
                                                   std::string_view item_id,
                                                   std::optional<std::string_view> plan_id);

}  // namespace warranty
