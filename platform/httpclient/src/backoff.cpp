#include "platform/httpclient/backoff.hpp"

#include <algorithm>
#include <charconv>

namespace platform::httpclient {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                 std::uint64_t seed)
    : initial_(initial), max_(max), rng_(seed) {}

std::chrono::milliseconds Backoff::ceiling(int retry) const {
  // Doubling stops at the cap, so large retry numbers cannot overflow.
  auto bound = initial_;
  for (int i = 0; i < retry && bound < max_; ++i) bound *= 2;
  return std::min(bound, max_);
}

std::chrono::milliseconds Backoff::delay(int retry) {
  const auto bound = ceiling(retry).count();
  if (bound <= 0) return std::chrono::milliseconds(0);
  std::uniform_int_distribution<std::int64_t> pick(0, bound);
  std::lock_guard lock(mutex_);
  return std::chrono::milliseconds(pick(rng_));
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || seconds < 0 ||
      seconds > 24 * 3600) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

}  // namespace platform::httpclient
