#pragma once
// Test helpers: a pool on PG_DSN, a private schema per test, polling with a deadline.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "platform/pg/pool.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/run.hpp"

namespace platform::pg::test {

inline PoolConfig test_config() {
  PoolConfig config;
  config.dsn = platform::testing::pg_dsn();
  config.size = 4;
  config.acquire_timeout = std::chrono::milliseconds(2000);
  config.statement_timeout = std::chrono::milliseconds(5000);
  return config;
}

// Polls `condition` every 20 ms until it holds or `timeout` passes.
inline boost::asio::awaitable<bool> eventually(
    std::function<boost::asio::awaitable<bool>()> condition,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    if (co_await condition()) co_return true;
    if (std::chrono::steady_clock::now() > deadline) co_return false;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
}

// Each test gets its own schema, dropped at the end.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = "pgt_" + platform::testing::unique_suffix();
    pool_ = std::make_unique<Pool>(io_, test_config());
    auto created = run(pool_->query("CREATE SCHEMA " + schema_));
    ASSERT_TRUE(created) << created.error().message;
  }
  void TearDown() override {
    auto dropped = run(pool_->query("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"));
    EXPECT_TRUE(dropped) << dropped.error().message;
  }
  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return platform::testing::run(io_, std::move(task));
  }
  // Runs one statement and returns the first column of the first row.
  std::string scalar(const std::string& sql) {
    auto result = run(pool_->query(sql));
    EXPECT_TRUE(result) << result.error().message;
    if (!result || result->empty()) return {};
    return result->value(0, std::size_t{0}).value_or("NULL");
  }

  boost::asio::io_context io_;
  std::string schema_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace platform::pg::test
