#include "allocation.hpp"

#include <algorithm>
#include <numeric>

namespace promotion {

std::int64_t allocate_into(std::int64_t discount, std::span<const std::int64_t> values,
                           std::span<std::int64_t> parts, std::vector<std::uint32_t>& order) {
  std::int64_t total = 0;
  for (const auto value : values) total += std::max<std::int64_t>(value, 0);
  const std::int64_t capped = std::clamp<std::int64_t>(discount, 0, total);
  std::fill(parts.begin(), parts.end(), 0);
  if (capped == 0) return 0;
  // discount × value reaches 10^20 for amounts near the int64 range: a 128-bit product.
  using Wide = __int128;
  std::int64_t given = 0;
  order.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::int64_t value = std::max<std::int64_t>(values[i], 0);
    const Wide exact = static_cast<Wide>(capped) * value;
    parts[i] = static_cast<std::int64_t>(exact / total);
    given += parts[i];
    if (exact % total != 0) order.push_back(static_cast<std::uint32_t>(i));
  }
  std::int64_t left = capped - given;  // fewer than the lines with a remainder
  if (left == 0) return capped;
  const auto remainder = [&](std::uint32_t i) {
    return static_cast<Wide>(capped) * std::max<std::int64_t>(values[i], 0) % total;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return remainder(a) > remainder(b); });
  for (const auto i : order) {
    if (left == 0) break;
    ++parts[i];
    --left;
  }
  return capped;
}

std::vector<platform::Money> allocate(const platform::Money& discount,
                                      const std::vector<platform::Money>& values) {
  std::vector<std::int64_t> amounts(values.size());
  std::transform(values.begin(), values.end(), amounts.begin(),
                 [](const platform::Money& m) { return m.amount; });
  std::vector<std::int64_t> parts(values.size());
  std::vector<std::uint32_t> order;
  order.reserve(values.size());
  allocate_into(discount.amount, amounts, parts, order);
  std::vector<platform::Money> out;
  out.reserve(values.size());
  for (const auto part : parts) out.push_back(platform::Money{part, discount.currency});
  return out;
}

}  // namespace promotion
