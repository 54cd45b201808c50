// The 30-day lowest price (price_history.hpp): prices rising and falling, the window's edges,
// duplicates, late points and trimming.
#include "price_history.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace promotion {
namespace {
using namespace std::chrono_literals;

const platform::TimePoint kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1};

platform::TimePoint day(int n) {
  return kStart + std::chrono::days(n);
}

// The history recorded point by point, each at its own moment.
std::vector<PricePoint> history_of(const std::vector<PricePoint>& points) {
  std::vector<PricePoint> history;
  for (const auto& p : points) history = record_price(std::move(history), p, p.at);
  return history;
}

TEST(PriceHistory, TheLowestPriceAcrossRisesAndFalls) {
  const auto history =
      history_of({{day(0), 100000}, {day(10), 90000}, {day(20), 120000}, {day(25), 110000}});
  EXPECT_EQ(lowest_price_before(history, day(30)), 90000) << "the fall on day 10 counts";
  EXPECT_EQ(lowest_price_before(history, day(41)), 90000)
      << "window [day 11, day 41): 90 000 was still in force on day 11";
  EXPECT_EQ(lowest_price_before(history, day(50)), 110000)
      << "window [day 20, day 50): the price in force at the start (120 000) and 110 000";
  EXPECT_EQ(lowest_price_before(history, day(60)), 110000) << "only the price still in force";
}

TEST(PriceHistory, APriceRaisedJustBeforeTheReductionStillCounts) {
  // 999 zł for weeks, raised to 1 299 zł for a day, then "reduced" to 1 099 zł: the lowest price
  // in the 30 days before the reduction is 999 zł, not 1 299 zł.
  const auto history = history_of({{day(0), 99900}, {day(28), 129900}});
  EXPECT_EQ(lowest_price_before(history, day(29)), 99900);
  // A price in force for a moment inside the window counts too.
  const auto brief =
      history_of({{day(0), 99900}, {day(40), 79900}, {day(40) + 1h, 99900}, {day(45), 129900}});
  EXPECT_EQ(lowest_price_before(brief, day(46)), 79900);
}

TEST(PriceHistory, TheWindowsEdges) {
  // As recorded before day 35 (a question at day 35 or later no longer needs day 0).
  const std::vector<PricePoint> history{{day(0), 50000}, {day(5), 70000}, {day(35), 60000}};
  // Window [day 5, day 35): day 5's price took over exactly at the start; 50 000 is out of it.
  EXPECT_EQ(lowest_price_before(history, day(35)), 70000);
  // One second later the window starts one second after day 5 and 70 000 is in force.
  EXPECT_EQ(lowest_price_before(history, day(35) + 1s), 60000);
  // One second earlier 50 000 was still in force at the window's start.
  EXPECT_EQ(lowest_price_before(history, day(35) - 1s), 50000);
  // A price set at the reduction's own moment is the reduction, not a price before it.
  EXPECT_EQ(lowest_price_before(history_of({{day(10), 40000}}), day(10)), std::nullopt);
}

TEST(PriceHistory, NothingKnownOfTheWindow) {
  EXPECT_EQ(lowest_price_before({}, day(10)), std::nullopt);
  const auto history = history_of({{day(20), 40000}});
  EXPECT_EQ(lowest_price_before(history, day(15)), std::nullopt) << "first known after it";
  EXPECT_EQ(lowest_price_before(history, day(21)), 40000) << "known for part of the window";
}

TEST(PriceHistory, RepeatedPricesAreDropped) {
  const auto history =
      history_of({{day(0), 100000}, {day(1), 100000}, {day(2), 90000}, {day(3), 90000}});
  EXPECT_EQ(history, (std::vector<PricePoint>{{day(0), 100000}, {day(2), 90000}}));
}

TEST(PriceHistory, LatePointsGoInTimeOrder) {
  auto history = history_of({{day(0), 100000}, {day(10), 80000}});
  history = record_price(std::move(history), {day(5), 70000}, day(11));
  EXPECT_EQ(history,
            (std::vector<PricePoint>{{day(0), 100000}, {day(5), 70000}, {day(10), 80000}}));
  // A point at the same moment replaces the one there; a late point equal to the price before it
  // merges, and so does the next one if it now repeats.
  history = record_price(std::move(history), {day(5), 100000}, day(11));
  EXPECT_EQ(history, (std::vector<PricePoint>{{day(0), 100000}, {day(10), 80000}}));
  history = record_price(std::move(history), {day(7), 80000}, day(11));
  EXPECT_EQ(history, (std::vector<PricePoint>{{day(0), 100000}, {day(7), 80000}}));
}

TEST(PriceHistory, TrimmedToWhatA30DayQuestionNeeds) {
  auto history = history_of({{day(0), 100000}, {day(10), 90000}, {day(20), 95000}});
  history = record_price(std::move(history), {day(45), 85000}, day(45));
  // The window of a question at day 45 starts on day 15, when 90 000 was in force: day 0 goes.
  EXPECT_EQ(history,
            (std::vector<PricePoint>{{day(10), 90000}, {day(20), 95000}, {day(45), 85000}}));
  EXPECT_EQ(lowest_price_before(history, day(45)), 90000);
  // At exactly 30 days after a point, that point is the one in force at the window's start.
  history = record_price(std::move(history), {day(50), 99000}, day(50));
  EXPECT_EQ(history.front(), (PricePoint{day(20), 95000}));
  history = record_price(std::move(history), {day(90), 98000}, day(90));
  EXPECT_EQ(history, (std::vector<PricePoint>{{day(50), 99000}, {day(90), 98000}}));
  EXPECT_EQ(lowest_price_before(history, day(90)), 99000);
}

}  // namespace
}  // namespace promotion
