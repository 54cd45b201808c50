#pragma once
// The Warranty's documents: the WarrantySelected and WarrantyRemoved events (warranty-events) and
// the HTTP answers (contracts/openapi/warranty.yaml). Pure: no I/O.
#include <string>
#include <vector>

#include "offers.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "session.hpp"

namespace warranty {

// The event of one change of `session` (WarrantySelected or WarrantyRemoved, at the change's
// version).
platform::CloudEvent change_event(const WarrantySession& session, const WarrantyChange& change,
                                  const platform::TraceContext& trace, platform::TimePoint now);

// GET /warranty/available: the line, the manufacturer's warranty, the plans offered with their
// prices (`selected` marks the chosen ones), those not offered with the reason, and the chosen
// plans as published.
std::string available_document(const WarrantySession& session, const contracts::CartLine& line,
                               std::int64_t manufacturer_months, const std::vector<Offer>& offers);

// POST /warranty/select and DELETE /warranty/{item_id}: the line's chosen plans after the change.
std::string selection_document(const WarrantySession& session, std::string_view item_id);

}  // namespace warranty
