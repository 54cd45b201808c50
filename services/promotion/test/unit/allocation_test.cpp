// Splitting a discount over lines (allocation.hpp): exact sums, largest remainders, ties to the
// earlier line, the cap, and no part above its line.
#include "allocation.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "contracts/test_cart.hpp"

namespace promotion {
namespace {
using platform::pln;

std::vector<std::int64_t> split(std::int64_t discount, const std::vector<std::int64_t>& values) {
  std::vector<platform::Money> money;
  for (const auto v : values) money.push_back(pln(v));
  std::vector<std::int64_t> out;
  for (const auto& m : allocate(pln(discount), money)) out.push_back(m.amount);
  return out;
}

using Parts = std::vector<std::int64_t>;

TEST(Allocation, ProportionalToTheGrosz) {
  EXPECT_EQ(split(1000, {10000, 30000}), (Parts{250, 750}));
  EXPECT_EQ(split(5000, {329900, 139900}), (Parts{3511, 1489}))
      << "3511,07 and 1488,93: the larger remainder gets the grosz left";
}

TEST(Allocation, TiesGoToTheEarlierLine) {
  EXPECT_EQ(split(100, {100, 100, 100}), (Parts{34, 33, 33}));
  EXPECT_EQ(split(2, {5, 5, 5}), (Parts{1, 1, 0}));
  EXPECT_EQ(split(1, {7, 7}), (Parts{1, 0}));
}

TEST(Allocation, TheDiscountIsCappedAtTheValues) {
  EXPECT_EQ(split(50000, {1000, 2500}), (Parts{1000, 2500}));
  EXPECT_EQ(split(3500, {1000, 2500}), (Parts{1000, 2500}));
}

TEST(Allocation, LinesWithoutValueGetNothing) {
  EXPECT_EQ(split(10, {0, 5, 5}), (Parts{0, 5, 5}));
  EXPECT_EQ(split(10, {0, 0}), (Parts{0, 0}));
  EXPECT_EQ(split(10, {-5, 20}), (Parts{0, 10}));
  EXPECT_EQ(split(0, {5, 5}), (Parts{0, 0}));
  EXPECT_EQ(split(-10, {5, 5}), (Parts{0, 0}));
  EXPECT_TRUE(split(10, {}).empty());
}

TEST(Allocation, HugeAmountsDoNotOverflow) {
  const std::int64_t big = 4'000'000'000'000'000'000;  // 4·10^18 grosze
  const auto parts = split(big - 1, {big / 2, big / 2});
  EXPECT_EQ(parts[0] + parts[1], big - 1);
  EXPECT_EQ(parts, (Parts{big / 2, big / 2 - 1}));
}

TEST(Allocation, KeepsTheCurrency) {
  const auto parts = allocate(platform::Money{10, "EUR"}, {pln(5), pln(5)});
  EXPECT_EQ(parts[0].currency, "EUR");
}

TEST(Allocation, RandomSplitsAddUpAndStayWithinTheirLines) {
  std::mt19937_64 random(20261207);
  for (int round = 0; round < 5000; ++round) {
    const auto lines = std::uniform_int_distribution<int>(1, 12)(random);
    std::vector<std::int64_t> values;
    for (int i = 0; i < lines; ++i) {
      values.push_back(std::uniform_int_distribution<std::int64_t>(0, 500000)(random));
    }
    const std::int64_t total = std::accumulate(values.begin(), values.end(), std::int64_t{0});
    const auto discount = std::uniform_int_distribution<std::int64_t>(0, total + 1000)(random);
    const auto parts = split(discount, values);
    ASSERT_EQ(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}),
              std::min(discount, total));
    for (std::size_t i = 0; i < values.size(); ++i) {
      ASSERT_GE(parts[i], 0);
      ASSERT_LE(parts[i], values[i]);
      // Within a grosz of the exact share.
      if (total > 0) {
        const auto exact = static_cast<long double>(std::min(discount, total)) * values[i] / total;
        ASSERT_LT(std::abs(static_cast<long double>(parts[i]) - exact), 1.0L);
      }
    }
  }
}

}  // namespace
}  // namespace promotion
