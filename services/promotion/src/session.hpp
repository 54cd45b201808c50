#pragma once
// What the Promotion keeps per checkout session, and what it publishes: the session's copy of the
// cart (cart-events), the promotions the customer opted in to and the codes applied, and a
// fingerprint of each promotion as last published. Pure functions. No I/O.
//
// After every change the engine evaluates the session again (engine.hpp); publish() compares the
// result with what was published: a promotion new or changed (its discount, its parts per line,
// their 30-day lowest prices, free delivery) goes out again (PromotionApplied, or
// PromoCodeApplied for a code's promotion), one that no longer applies goes out as
// PromotionRemoved with the reason. Nothing changed: nothing to publish.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "engine.hpp"
#include "platform/clock.hpp"
#include "platform/error.hpp"
#include "promotion_rules.hpp"

namespace promotion {

struct PromotionSession {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;  // the Promotion's per-session version: +1 per event published
  contracts::CartCopy cart;
  std::vector<std::string> opt_ins;              // promotion ids the customer chose
  std::vector<std::string> codes;                // codes applied (upper case), in order
  std::map<std::string, std::string> published;  // promotion id → fingerprint last published
  friend bool operator==(const PromotionSession&, const PromotionSession&) = default;

  [[nodiscard]] Choices choices() const { return Choices{opt_ins, codes}; }
};

// A promotion as shown: the engine's result and, per allocation, the product's lowest unit price
// in the 30 days before the reduction (nullopt: the history does not reach back that far).
struct Shown {
  Applied applied;
  std::vector<std::optional<std::int64_t>> lowest_30d;
};

// One event to publish.
struct Publication {
  std::optional<Shown> applied;     // PromotionApplied / PromoCodeApplied
  std::string promotion_id;         // removed: which
  std::optional<std::string> code;  // removed: its code
  std::string reason;               // removed: removed_by_customer | no_longer_eligible |
                                    // code_expired
  std::int64_t version = 0;
};

struct Published {
  PromotionSession session;
  std::vector<Publication> events;
};

// A cart event (ce_type `type`) applied; nullopt when not newer than the session's copy.
// Errc::invalid: the data breaks its contract or names another user (a poison message).
[[nodiscard]] platform::Result<std::optional<PromotionSession>> follow_cart(
    const PromotionSession& session, std::string_view type, const boost::json::value& data);

// What to publish after an evaluation showing `shown` (see above). `removed_by_customer`: the
// promotion the customer just removed (its PromotionRemoved says so); a code's promotion whose
// validity ended at `now` is removed as code_expired.
[[nodiscard]] Published publish(PromotionSession session, const std::vector<Shown>& shown,
                                const PromotionRules& rules, platform::TimePoint now,
                                std::optional<std::string> removed_by_customer = std::nullopt);

// A stable digest of a shown promotion (same promotion, same fingerprint).
std::string fingerprint(const Shown& shown);

// A stable digest of the session's choices (its opt-ins and codes): answers for one cart differ
// by them.
std::string choices_digest(const PromotionSession& session);

}  // namespace promotion
