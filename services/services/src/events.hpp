#pragma once
// The Services' documents: the ServiceAvailabilityCalculated event (services-events) and the
// HTTP answers (contracts/openapi/services.yaml). Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>

#include "availability.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "session.hpp"

namespace extra_services {

// ServiceAvailabilityCalculated for `session` (at its version) and its evaluation.
platform::CloudEvent availability_event(const ServicesSession& session,
                                        const ServicesAvailability& availability,
                                        const platform::TraceContext& trace,
                                        platform::TimePoint now);

// GET /services/available: the session (null when the user has none), its cart hash, the
// delivery method, every service per product line and standalone with
// `available` and the reason when not, and the verdict on each service line.
std::string available_document(const ServicesSession* session,
                               const ServicesAvailability& availability);
// GET /services/for-item/{item_id}: one product line's services.
std::string line_document(const LineServices& line);
// GET /services/standalone.
std::string standalone_document(const ServicesSession* session,
                                const ServicesAvailability& availability);

}  // namespace extra_services
