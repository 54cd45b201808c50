#pragma once
// The Promotion's documents: its events on promotion-events (PromotionApplied, PromoCodeApplied,
// PromotionRemoved, PromoCodeInvalid) and the HTTP answers (contracts/openapi/promotion.yaml).
// Pure: no I/O.
#include <string>
#include <vector>

#include "engine.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "promotion_rules.hpp"
#include "session.hpp"

namespace promotion {

// The event of one publication of `session` (Applied / CodeApplied / Removed).
platform::CloudEvent publication_event(const PromotionSession& session,
                                       const Publication& publication,
                                       const platform::TraceContext& trace,
                                       platform::TimePoint now);

// PromoCodeInvalid for `code` as entered (cut to 64 bytes), at the session's version.
platform::CloudEvent code_invalid_event(const PromotionSession& session, std::string_view code,
                                        std::string_view reason, std::string_view message,
                                        const platform::TraceContext& trace,
                                        platform::TimePoint now);

// The applied promotions with their parts per line and lowest prices (JSON array).
std::string applied_document(const PromotionSession& session, const std::vector<Shown>& shown);

// GET /promotions/available: the session (null without one), its version and cart hash, the
// promotions applied now, the near misses with their reasons, the opt-in promotions one can
// choose, the codes applied, and the total discount.
std::string available_document(const PromotionSession* session, const std::vector<Shown>& shown,
                               const Evaluation& evaluation, const PromotionRules& rules);

}  // namespace promotion
