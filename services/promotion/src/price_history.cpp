#include "price_history.hpp"

#include <algorithm>
#include <iterator>

namespace promotion {

std::vector<PricePoint> record_price(std::vector<PricePoint> history, PricePoint point,
                                     platform::TimePoint now) {
  const auto by_time = [](const PricePoint& a, const PricePoint& b) {
    return a.at < b.at;
  };
  auto at = std::lower_bound(history.begin(), history.end(), point, by_time);
  if (at != history.end() && at->at == point.at) {
    at->amount = point.amount;
  } else {
    at = history.insert(at, point);
  }
  // Merge runs of one price: a point repeating the price before it says nothing new.
  const auto same_price = [](const PricePoint& a, const PricePoint& b) {
    return a.amount == b.amount;
  };
  history.erase(std::unique(history.begin(), history.end(), same_price), history.end());

  // Keep the last point at or before the oldest window start a question may ask about.
  const auto window_start = now - kOmnibusWindow;
  const auto after =
      std::upper_bound(history.begin(), history.end(), window_start,
                       [](platform::TimePoint t, const PricePoint& p) { return t < p.at; });
  if (after != history.begin()) history.erase(history.begin(), std::prev(after));
  return history;
}

std::optional<std::int64_t> lowest_price_before(const std::vector<PricePoint>& history,
                                                platform::TimePoint reduction_at) {
  const auto window_start = reduction_at - kOmnibusWindow;
  // The first point after the window start; the one before it (if any) is in force at the start.
  auto it = std::upper_bound(history.begin(), history.end(), window_start,
                             [](platform::TimePoint t, const PricePoint& p) { return t < p.at; });
  if (it != history.begin()) --it;
  std::optional<std::int64_t> lowest;
  for (; it != history.end() && it->at < reduction_at; ++it) {
    lowest = lowest ? std::min(*lowest, it->amount) : it->amount;
  }
  return lowest;
}

}  // namespace promotion
