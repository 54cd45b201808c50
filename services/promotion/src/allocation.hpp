#pragma once
// Splitting a discount over the cart lines it touches, to the grosz, so that invoices and
// returns can carry each line's part. Pure: no I/O, no state, thread-safe.
#include <cstdint>
#include <span>
#include <vector>

#include "platform/money.hpp"

namespace promotion {

// Splits `discount` over lines in proportion to their values, to the grosz: each line first gets
// the whole grosze of its exact share, then the grosze left over go one each to the lines with
// the largest remainders (the largest remainder method), ties to the earlier line. The parts add
// up exactly to the discount, capped first at the sum of the values; no part exceeds its line's
// value. A negative discount or value counts as 0. The currency is the discount's.
[[nodiscard]] std::vector<platform::Money> allocate(const platform::Money& discount,
                                                    const std::vector<platform::Money>& values);

// The same on plain grosze, writing into `parts` (values.size() of them); `order` and
// `remainders` are buffers, so that a warm caller does not allocate: the engine's hot path.
// Returns the discount as capped (the sum of `parts`).
std::int64_t allocate_into(std::int64_t discount, std::span<const std::int64_t> values,
                           std::span<std::int64_t> parts, std::vector<std::uint32_t>& order,
                           std::vector<std::int64_t>& remainders);

}  // namespace promotion
