#include "platform/idempotency/idempotency.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <optional>
#include <thread>

#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/own_redis.hpp"
#include "platform/testing/run.hpp"

namespace {

namespace asio = boost::asio;
namespace http = platform::http;
using platform::idempotency::IdempotencyStore;
using platform::redis::RedisClient;
using platform::redis::RedisConfig;
using namespace std::chrono_literals;

http::Request post(std::string body, std::optional<std::string> key) {
  http::Request request;
  request.method = "POST";
  request.path = "/cart/items";
  request.body = std::move(body);
  if (key) request.headers.emplace_back("idempotency-key", *key);
  return request;
}

std::optional<std::string> header(const http::Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return std::nullopt;
}

// The handler under test: counts its runs, optionally works for a while, answers `status`.
struct FakeHandler {
  std::atomic<int> runs{0};
  int status = 201;
  std::chrono::milliseconds work{0};
};

asio::awaitable<http::Response> handle(FakeHandler* fake, http::Request request) {
  const int run = ++fake->runs;
  if (fake->work.count() > 0) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, fake->work);  // simulated work, not a test wait
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  http::Response response;
  response.status = fake->status;
  response.headers.emplace_back("Location", "/cart/items/" + std::to_string(run));
  response.body = "{\"run\":" + std::to_string(run) + ",\"echo\":\"" + request.body + "\"}";
  co_return response;
}

http::Handler handler_for(FakeHandler& fake) {
  return [&fake](http::Request request) {
    return handle(&fake, std::move(request));
  };
}

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(platform::testing::run(io_, redis_.wait_connected(5000ms))); }

  http::Response run(const http::Request& request, std::string_view scope = "user1") {
    return platform::testing::run(io_, store_.run(request, scope, handler_for(fake_)));
  }

  asio::io_context io_;
  RedisClient redis_{io_, platform::testing::redis_config()};
  IdempotencyStore store_{redis_, "idem_test:" + platform::testing::unique_suffix() + ":",
                          std::chrono::seconds(60), std::chrono::seconds(30)};
  FakeHandler fake_;
};

TEST_F(IdempotencyTest, SameKeySameBodyRunsOnceAndReplays) {
  const auto first = run(post("{\"sku\":1}", "key-1"));
  const auto second = run(post("{\"sku\":1}", "key-1"));
  EXPECT_EQ(fake_.runs, 1);
  EXPECT_EQ(first.status, 201);
  EXPECT_FALSE(header(first, "Idempotent-Replayed"));
  EXPECT_EQ(second.status, first.status);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.content_type, first.content_type);
  EXPECT_EQ(header(second, "Location"), header(first, "Location"));
  EXPECT_EQ(header(second, "Idempotent-Replayed"), "true");
}

TEST_F(IdempotencyTest, SameKeyOtherBodyIs422WithoutRunningHandler) {
  run(post("{\"sku\":1}", "key-2"));
  const auto reused = run(post("{\"sku\":2}", "key-2"));
  EXPECT_EQ(fake_.runs, 1);
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(reused.content_type, "application/problem+json");
  EXPECT_NE(reused.body.find("Idempotency-Key reused with a different request body"),
            std::string::npos);
}

TEST_F(IdempotencyTest, KeysAreScopedPerUser) {
  run(post("{}", "key-3"), "alice");
  run(post("{}", "key-3"), "bob");
  EXPECT_EQ(fake_.runs, 2);
}

TEST_F(IdempotencyTest, ServerErrorIsNotStoredSoRetryRunsAgain) {
  fake_.status = 503;
  EXPECT_EQ(run(post("{}", "key-4")).status, 503);
  fake_.status = 201;
  const auto retry = run(post("{}", "key-4"));
  EXPECT_EQ(retry.status, 201);
  EXPECT_FALSE(header(retry, "Idempotent-Replayed"));
  EXPECT_EQ(fake_.runs, 2);
}

TEST_F(IdempotencyTest, NoKeyRunsHandlerEachTime) {
  run(post("{}", std::nullopt));
  run(post("{}", std::nullopt));
  EXPECT_EQ(fake_.runs, 2);
}

TEST_F(IdempotencyTest, KeyLongerThan255Is400) {
  const auto response = run(post("{}", std::string(256, 'k')));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(fake_.runs, 0);
  EXPECT_EQ(run(post("{}", std::string(255, 'k'))).status, 201);
}

TEST_F(IdempotencyTest, TwentyConcurrentDuplicatesRunHandlerOnce) {
  fake_.work = 100ms;  // keeps the first request in progress while the others arrive
  auto guard = asio::make_work_guard(io_);
  std::thread a([&] { io_.run(); });
  std::thread b([&] { io_.run(); });
  std::vector<std::future<http::Response>> futures;
  for (int i = 0; i < 20; ++i) {
    futures.push_back(
        asio::co_spawn(io_, store_.run(post("{\"sku\":7}", "key-5"), "user1", handler_for(fake_)),
                       asio::use_future));
  }
  std::vector<http::Response> responses;
  for (auto& f : futures) {
    if (f.wait_for(20s) == std::future_status::ready) responses.push_back(f.get());
  }
  guard.reset();
  io_.stop();
  a.join();
  b.join();
  ASSERT_EQ(responses.size(), 20u);
  EXPECT_EQ(fake_.runs, 1);
  int replayed = 0;
  for (const auto& r : responses) {
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body, responses[0].body);
    if (header(r, "Idempotent-Replayed")) ++replayed;
  }
  EXPECT_EQ(replayed, 19);
}

asio::awaitable<http::Response> duplicate_after(IdempotencyStore* store, FakeHandler* fake,
                                                http::Request request,
                                                std::chrono::milliseconds delay) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor, delay);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return co_await store->run(request, "user1", handler_for(*fake));
}

TEST_F(IdempotencyTest, DuplicateStillInProgressAfterWaitingIs409) {
  IdempotencyStore impatient{redis_, "idem_test:" + platform::testing::unique_suffix() + ":",
                             std::chrono::seconds(60), std::chrono::seconds(30), 50ms};
  fake_.work = 1000ms;
  auto first = asio::co_spawn(io_, impatient.run(post("{}", "key-6"), "user1", handler_for(fake_)),
                              asio::use_future);
  auto second = asio::co_spawn(io_, duplicate_after(&impatient, &fake_, post("{}", "key-6"), 20ms),
                               asio::use_future);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (first.wait_for(0s) != std::future_status::ready &&
         std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(50ms);
  }
  ASSERT_EQ(second.wait_for(0s), std::future_status::ready);
  const auto conflict = second.get();
  EXPECT_EQ(conflict.status, 409);
  EXPECT_NE(conflict.body.find("still being processed"), std::string::npos);
  EXPECT_EQ(first.get().status, 201);
  EXPECT_EQ(fake_.runs, 1);
}

// While Redis is down a creating call gets 503 with Retry-After and nothing runs; once Redis is
// back the same call works, without restarting anything.
TEST(IdempotencyDownTest, RedisDownIs503WithRetryAfterAndWorksAgainWhenBack) {
  platform::testing::OwnRedisServer server;
  server.start();
  asio::io_context io;
  RedisConfig config;
  config.port = server.port();
  RedisClient redis(io, config);
  ASSERT_TRUE(platform::testing::run(io, redis.wait_connected(5000ms)));
  IdempotencyStore store(redis, "idem_test:");
  FakeHandler fake;

  server.kill();
  const auto down =
      platform::testing::run(io, store.run(post("{}", "key-7"), "user1", handler_for(fake)));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(header(down, "Retry-After"), "1");
  EXPECT_EQ(down.content_type, "application/problem+json");
  EXPECT_EQ(fake.runs, 0);

  server.start();
  ASSERT_TRUE(platform::testing::run(io, redis.wait_connected(10000ms)));
  const auto back =
      platform::testing::run(io, store.run(post("{}", "key-7"), "user1", handler_for(fake)));
  EXPECT_EQ(back.status, 201);
  EXPECT_EQ(fake.runs, 1);
}

}  // namespace
