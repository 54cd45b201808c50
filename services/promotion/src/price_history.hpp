#pragma once
// A product's price history for the EU Omnibus rule (dyrektywa Omnibus, in force in Poland since
// 1 January 2023): wherever a reduced price is shown, the lowest price of the product in the 30
// days before the reduction is shown with it. The Promotion service records each price the
// catalog announces and answers that question. Pure: no I/O, no state, thread-safe.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "platform/clock.hpp"

namespace promotion {

inline constexpr std::chrono::days kOmnibusWindow{30};

// A price in force from `at` until the next point.
struct PricePoint {
  platform::TimePoint at;
  std::int64_t amount = 0;  // grosze
  friend bool operator==(const PricePoint&, const PricePoint&) = default;
};

// The history with `point` recorded: in time order (a point may arrive late), a point at the same
// instant as another replacing it, a point that repeats the price already in force dropped (and
// a later point that then repeats it too), trimmed to what a 30-day question at `now` or later
// can still need: the last point at or before now - 30 days (the price in force when the window
// opens) and everything after it. `history` must be in time order (as this function leaves it).
[[nodiscard]] std::vector<PricePoint> record_price(std::vector<PricePoint> history,
                                                   PricePoint point, platform::TimePoint now);

// The lowest price in force at any moment of [reduction_at - 30 days, reduction_at): the price in
// force when the window opens and every price set inside it (a price set at reduction_at itself
// is the reduction, not before it). nullopt when the history knows nothing of that window (empty,
// or every point at or after reduction_at). `history` in time order.
[[nodiscard]] std::optional<std::int64_t> lowest_price_before(
    const std::vector<PricePoint>& history, platform::TimePoint reduction_at);

}  // namespace promotion
