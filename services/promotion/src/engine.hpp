#pragma once
// What the promotion rules (promotion_rules.hpp) give one cart: the promotions that apply, each
// with its discount allocated to the lines it touches, the ones that almost apply, and the
// judgement of a discount code. Pure: no I/O, no state; evaluate() and check_code() are
// thread-safe over shared const rules.
//
// Stacking. The promotions that may apply (in force now, chosen when opt-in, applied when they
// have a code, with some product line of their target, min_value reached at cart prices) are
// applied in order of priority, highest first (equal priorities in file order), each on the
// value its lines have left after the discounts before it, so that no line goes below zero.
// At most one promotion of an exclusive group applies; a stop_further promotion that applies is
// the last one.
//
// The best combination, without trying every subset: a scan in that order keeps the values
// left after what it applied so far ("the state"):
//   - A promotion of no group and without stop_further is applied when it gives anything.
//   - A group's chosen member is applied when the scan reaches it, its other members skipped.
//   - A stop_further promotion is skipped by the scan and recorded as a candidate ending: "what
//     the scan applied so far, then this one" (if no member of its group was applied yet).
//   A scan's result is the better of its own plan (every stop_further skipped) and its best
//   ending. Two scans differ in how they choose a group's member (stop_further members are
//   never the choice, only endings):
//   1. at the first member the scan meets, every member computed on the state there;
//   2. each member computed at its own place in the order, on the state that the promotions of
//      no group before it leave (one extra pass that applies only those).
// The result is the best of the two scans and of each promotion that may apply, alone; best =
// the largest total discount, then free delivery, then the earlier in that list. Each of them
// respects the priority order, the groups and stop_further, so the result does too.
//
// Guarantee: never worse for the customer than any single promotion that may apply, alone (each
// is a candidate), nor than applying greedily in priority order while skipping the stop_further
// ones (scan 1 with groups of one member). Not guaranteed optimal in general (a group's choice is
// made on one state; an ending keeps the scan's choices before it). Cost: at most about 6n
// computations of one promotion (n promotions that may apply; each O(lines), O(lines log lines)
// for the kinds that sort units; a bundle O(lines × components × log units)), plus one last run
// that records the allocations: well under a millisecond for 200 rules and a 20-line cart.
//
// Near misses: promotions that may apply except that min_value is not reached but the value is
// within near_miss_within of it ("Brakuje 120,00 zł do ..."), or that apply alone to nothing for
// want of one more unit: a second_item_discount with one unit, a buy_n_get_one_free with exactly
// `buy` units, a bundle one unit short ("Dodaj jeszcze 1 produkt z kategorii telewizory, aby
// ..."). Opt-in promotions count once chosen, code promotions once their code is applied.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "platform/clock.hpp"
#include "platform/money.hpp"
#include "promotion_rules.hpp"

namespace promotion {

struct Allocation {
  std::string item_id;
  platform::Money amount;
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

struct Applied {
  std::string promotion_id;
  std::string name;
  std::string kind;
  std::optional<std::string> code;      // when it came from a code
  platform::Money discount;             // == sum of allocations (0 when only free delivery)
  std::vector<Allocation> allocations;  // the lines it touches (a part above 0), in cart order
  bool free_delivery = false;
  friend bool operator==(const Applied&, const Applied&) = default;
};

struct NearMiss {
  std::string promotion_id;
  std::string name;
  std::string reason_code;  // below_minimum | one_more_item
  std::string message;      // Polish, for the customer
  friend bool operator==(const NearMiss&, const NearMiss&) = default;
};

struct Choices {
  std::vector<std::string> opt_ins;  // promotion ids the customer opted in to
  std::vector<std::string> codes;    // codes applied (upper case)
};

struct Evaluation {
  std::vector<Applied> applied;       // in the order they were applied (priority order)
  std::vector<NearMiss> near_misses;  // in file order
  platform::Money total_discount;     // == sum of applied discounts
  bool free_delivery = false;         // some applied promotion makes delivery free
  // Opt-in promotions the customer has not chosen that would give something on their own now,
  // in file order: what GET /promotions/available offers to choose.
  std::vector<std::string> opt_ins_available;
};

[[nodiscard]] Evaluation evaluate(const PromotionRules& rules, const contracts::CartCopy& cart,
                                  const Choices& choices, platform::TimePoint now);

// Why a code is turned away: PromoCodeInvalid.reason and a Polish sentence.
struct CodeRefusal {
  std::string reason;  // unknown | expired | not_yet_active | minimum_not_met | not_applicable
  std::string message;
  friend bool operator==(const CodeRefusal&, const CodeRefusal&) = default;
};

// A code as entered (trimmed, upper-cased by the caller) judged now for this cart, before any
// usage limit (those are the service's, in Redis): its promotion (into `rules`), or why not.
// not_applicable: the cart has no line the promotion is about, or it gives nothing on its own.
[[nodiscard]] std::variant<const Promotion*, CodeRefusal> check_code(
    const PromotionRules& rules, std::string_view code, const contracts::CartCopy& cart,
    platform::TimePoint now);

}  // namespace promotion
