#pragma once
// What the Cart publishes on cart-events: one CloudEvent per domain Change, with the full line,
// the session and the per-session version, so other services keep their own copy of the cart.
#include <string>
#include <vector>

#include "cart.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"

namespace cart {

std::string_view event_type(ChangeKind kind);

// Events for the changes of one outcome. `before_version` is the cart version before the change;
// change i gets version before_version + i + 1.
std::vector<platform::CloudEvent> events_for(const Outcome& outcome, std::int64_t before_version,
                                             const platform::TraceContext& trace,
                                             platform::TimePoint now);

// CartMerged for the user's session of `outcome` (at the user cart's version, after the events of
// its line changes): the guest session it took lines from and which of the user's lines each
// guest line went into, so that the services owning per-line state (the Warranty's plans) carry
// it over. Only when outcome.announces().
platform::CloudEvent merged_event(const MergeOutcome& outcome, const Cart& guest_before,
                                  const platform::TraceContext& trace, platform::TimePoint now);

}  // namespace cart
