#include "allocation.hpp"

#include <algorithm>

namespace promotion {

std::int64_t allocate_into(std::int64_t discount, std::span<const std::int64_t> values,
                           std::span<std::int64_t> parts, std::vector<std::uint32_t>& order,
                           std::vector<std::int64_t>& remainders) {
  std::int64_t total = 0;
  std::int64_t largest = 0;
  for (const auto value : values) {
    total += std::max<std::int64_t>(value, 0);
    largest = std::max(largest, value);
  }
  const std::int64_t capped = std::clamp<std::int64_t>(discount, 0, total);
  std::fill(parts.begin(), parts.end(), 0);
  if (capped == 0) return 0;
  remainders.resize(values.size());
  std::int64_t given = 0;
  order.clear();
  // discount × value reaches 10^20 for amounts near the int64 range: then a 128-bit product.
  std::int64_t probe = 0;
  const bool narrow = !__builtin_mul_overflow(capped, largest, &probe);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::int64_t value = std::max<std::int64_t>(values[i], 0);
    if (narrow) {
      parts[i] = capped * value / total;
      remainders[i] = capped * value % total;
    } else {
      const auto exact = static_cast<__int128>(capped) * value;
      parts[i] = static_cast<std::int64_t>(exact / total);
      remainders[i] = static_cast<std::int64_t>(exact % total);
    }
    given += parts[i];
    if (remainders[i] != 0) order.push_back(static_cast<std::uint32_t>(i));
  }
  std::int64_t left = capped - given;  // fewer than the lines with a remainder
  if (left == 0) return capped;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b;
  });
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
  std::vector<std::int64_t> remainders;
  allocate_into(discount.amount, amounts, parts, order, remainders);
  std::vector<platform::Money> out;
  out.reserve(values.size());
  for (const auto part : parts) out.push_back(platform::Money{part, discount.currency});
  return out;
}

}  // namespace promotion
