#pragma once
// What the Shipping publishes on shipping-events: one CloudEvent per session Change, carrying the
// session, the user and the Shipping's per-session version (contracts/events/Shipping*.json,
// DeliveryDateSelected). Pure: no I/O.
#include <vector>

#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "session.hpp"

namespace shipping {

std::string_view event_type(ChangeKind kind);

// Events for the changes of one outcome, change i with version `before_version` + i + 1 (the
// outcome's session carries the version after the last one).
std::vector<platform::CloudEvent> events_for(const Outcome& outcome, std::int64_t before_version,
                                             const platform::TraceContext& trace,
                                             platform::TimePoint now);

}  // namespace shipping
