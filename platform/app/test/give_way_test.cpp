// GiveWay against a load counter the test sets: no server, no sockets.
#include "platform/app/give_way.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>
#include <thread>

namespace platform::app {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// An io_context run by a thread for the test's lifetime.
class GiveWayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runner_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    runner_.join();
  }
  std::future<void> wait_on(GiveWay& give_way) {
    return asio::co_spawn(io_, give_way.wait(), asio::use_future);
  }
  std::function<int()> load() {
    return [this] {
      return load_.load();
    };
  }

  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::thread runner_;
  std::atomic<int> load_{0};
};

bool ready(std::future<void>& f) {
  return f.wait_for(0s) == std::future_status::ready;
}

TEST_F(GiveWayTest, WaitsWhileBusyAndGoesOnOnceTheLoadDrops) {
  // A pass interval far beyond the test: only the end of the load lets the waiter through.
  GiveWay give_way(load(), {.busy_at = 1, .pass_interval = 60s, .recheck = 5ms});
  EXPECT_FALSE(give_way.busy());
  auto idle_wait = wait_on(give_way);
  EXPECT_EQ(idle_wait.wait_for(1s), std::future_status::ready);  // not busy: no wait

  load_ = 1;
  EXPECT_TRUE(give_way.busy());
  auto first = wait_on(give_way);
  auto second = wait_on(give_way);
  std::this_thread::sleep_for(200ms);
  // Whichever ran first took the pass at once; the other waits its turn.
  EXPECT_EQ(static_cast<int>(ready(first)) + static_cast<int>(ready(second)), 1);
  load_ = 0;
  EXPECT_EQ(first.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(second.wait_for(2s), std::future_status::ready);
}

TEST_F(GiveWayTest, LetsOneUnitThroughPerPassIntervalUnderSustainedLoad) {
  GiveWay give_way(load(), {.busy_at = 1, .pass_interval = 100ms, .recheck = 5ms});
  GiveWay never(load(), {.busy_at = 0});
  load_ = 5;
  const auto before = std::chrono::steady_clock::now();
  auto a = wait_on(give_way);
  auto b = wait_on(give_way);
  auto c = wait_on(give_way);
  for (auto* unit : {&a, &b, &c}) EXPECT_EQ(unit->wait_for(3s), std::future_status::ready);
  const auto three_units = std::chrono::steady_clock::now() - before;
  EXPECT_GE(three_units, 200ms);  // passes at 0, 100 and 200 ms
  EXPECT_LT(three_units, 2s);

  const auto before_disabled = std::chrono::steady_clock::now();
  auto unhindered = wait_on(never);
  EXPECT_EQ(unhindered.wait_for(1s), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - before_disabled, 50ms);
}

}  // namespace
}  // namespace platform::app
