#pragma once
// What the Payment publishes about a session's choice on payment-events: PaymentMethodSelected
// and PaymentMethodCleared (contracts/events), one per session Change. Pure: no I/O.
#include <cstdint>
#include <vector>

#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "session.hpp"

namespace payment {

// Events for the changes of one outcome, change i with version `before_version` + i + 1.
std::vector<platform::CloudEvent> session_events(const Outcome& outcome,
                                                 std::int64_t before_version,
                                                 const platform::TraceContext& trace,
                                                 platform::TimePoint now);

}  // namespace payment
