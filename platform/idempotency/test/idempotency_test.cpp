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

#include "platform/http/problem.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/own_redis.hpp"
#include "platform/testing/run.hpp"

namespace {

namespace asio = boost::asio;
namespace http = platform::http;
using platform::idempotency::Claim;
using platform::idempotency::Handled;
using platform::idempotency::IdempotencyStore;
using platform::idempotency::record_key;
using platform::redis::RedisClient;
using platform::redis::RedisConfig;
using platform::redis::Reply;
using platform::redis::Script;
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

  Reply command(std::vector<std::string> args) {
    auto reply = platform::testing::run(io_, redis_.command(std::move(args)));
    if (!reply) throw std::runtime_error(reply.error().message);
    return *reply;
  }

  asio::io_context io_;
  RedisClient redis_{io_, platform::testing::redis_config()};
  std::string prefix_ = "idem_test:" + platform::testing::unique_suffix() + ":";
  IdempotencyStore store_{redis_, prefix_, std::chrono::seconds(60), std::chrono::seconds(30)};
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

// A user id and a key that concatenate to another user's id and key are still two records.
TEST_F(IdempotencyTest, ScopeAndKeyThatConcatenateAlikeAreDifferentRecords) {
  const auto first = run(post("{}", "k2"), "rep1:k1");
  const auto second = run(post("{}", "k1:k2"), "rep1");
  EXPECT_EQ(fake_.runs, 2);
  EXPECT_FALSE(header(second, "Idempotent-Replayed"));
  EXPECT_NE(second.body, first.body);
  run(post("{}", "c"), "a}:b");
  run(post("{}", "b}:c"), "a");
  EXPECT_EQ(fake_.runs, 4);
}

// Redis Cluster hashes the text between the first '{' and the next '}': the record must hash like
// the user's own keys ("cart:view:{<user>}"), whatever the user id and the key hold.
std::string hash_tag(const std::string& key) {
  const auto open = key.find('{');
  const auto close = key.find('}', open + 1);
  if (open == std::string::npos || close == std::string::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

TEST(RecordKey, IsUnambiguousAndSharesTheScopesHashTag) {
  EXPECT_NE(record_key("p:", "rep1:k1", "k2"), record_key("p:", "rep1", "k1:k2"));
  EXPECT_NE(record_key("p:", "a}:b", "c"), record_key("p:", "a", "b}:c"));
  EXPECT_NE(record_key("p:", "a", "b"), record_key("p:", "a", "c"));
  for (const std::string scope : {"alice", "rep1:k1", "a}b", "x{y}z"}) {
    EXPECT_EQ(hash_tag(record_key("cart:idempotency:", scope, "key")),
              hash_tag("cart:view:{" + scope + "}"))
        << scope;
  }
}

// The fingerprint covers the scope: a record that somehow sits under another user's key is not
// that user's response.
TEST_F(IdempotencyTest, RecordIsBoundToItsScope) {
  run(post("{}", "key-b"), "alice");
  command({"RENAME", record_key(prefix_, "alice", "key-b"), record_key(prefix_, "bob", "key-b")});
  const auto bob = run(post("{}", "key-b"), "bob");
  EXPECT_EQ(bob.status, 422) << bob.body;
  EXPECT_FALSE(header(bob, "Idempotent-Replayed"));
  EXPECT_EQ(fake_.runs, 1);
}

// A handler whose commit makes the record final with its state change, as a service's store does.
// KEYS: 1 state counter, 2 record; ARGV: Claim::record_argv(). Replies -1 when the claim is lost.
const Script& counting_commit() {
  static const Script script = Script::from_source(
      "idempotency_test_commit", std::string(platform::idempotency::record_lua()) + R"lua(
if not idempotency_claim_held_argv(KEYS[2], 1) then return -1 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], 60000)
return idempotency_record_argv(KEYS[2], 1)
)lua");
  return script;
}

struct CommittingHandler {
  CommittingHandler(RedisClient& r, std::string counter_key)
      : redis(&r), counter(std::move(counter_key)) {}
  RedisClient* redis;
  std::string counter;
  bool crash_after_commit = false;  // throws once the commit is done, before run() goes on
  std::optional<std::string> state_after_commit;
  bool claim_taken_before_commit = false;  // as if it expired and another attempt took it
};

asio::awaitable<Handled> commit_and_answer(CommittingHandler* h, http::Request request,
                                           std::optional<Claim> claim) {
  http::Response response;
  response.status = 201;
  response.body = R"({"applied":true,"body":)" + request.body + "}";
  if (!claim) throw std::logic_error("expected a claim");
  if (h->claim_taken_before_commit) {
    auto taken = co_await h->redis->command("HSET", claim->record_key(), "token", "another");
    if (!taken) throw std::runtime_error("HSET failed");
  }
  std::vector<std::string> keys{h->counter, claim->record_key()};
  auto committed = co_await h->redis->eval(counting_commit(), keys, claim->record_argv(response));
  if (!committed || committed->is_error()) throw std::runtime_error("commit failed");
  if (committed->as_integer() == -1) {
    co_return Handled{http::problem(platform::make_error(platform::Errc::conflict, "claim lost")),
                      false};
  }
  auto state = co_await h->redis->command("HGET", claim->record_key(), "state");
  if (state) h->state_after_commit = state->as_string();
  if (h->crash_after_commit) throw std::runtime_error("crashed after the commit");
  co_return Handled{std::move(response), true};
}

platform::idempotency::ClaimHandler committing(CommittingHandler& h) {
  return [&h](http::Request request, std::optional<Claim> claim) {
    return commit_and_answer(&h, std::move(request), std::move(claim));
  };
}

// The process fails right after its commit, before the kit's post-step: the record is already
// final, so the retry replays the response and the change is applied once.
TEST_F(IdempotencyTest, RecordMadeFinalByTheHandlersCommitSurvivesACrashAfterIt) {
  CommittingHandler handler(redis_, prefix_ + "counter");
  handler.crash_after_commit = true;
  EXPECT_THROW(platform::testing::run(
                   io_, store_.run(post("{\"a\":1}", "key-c"), "user1", committing(handler))),
               std::runtime_error);
  EXPECT_EQ(handler.state_after_commit, "done") << "final in the same step as the change";
  handler.crash_after_commit = false;
  const auto retry = platform::testing::run(
      io_, store_.run(post("{\"a\":1}", "key-c"), "user1", committing(handler)));
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(header(retry, "Idempotent-Replayed"), "true");
  EXPECT_EQ(retry.body, R"({"applied":true,"body":{"a":1}})");
  EXPECT_EQ(command({"GET", handler.counter}).as_integer(), 1) << "applied once";
}

// A claim that expired and was taken by another attempt cannot commit: nothing is applied.
TEST_F(IdempotencyTest, CommitWithALostClaimWritesNothing) {
  CommittingHandler handler(redis_, prefix_ + "counter-lost");
  handler.claim_taken_before_commit = true;
  const auto lost =
      platform::testing::run(io_, store_.run(post("{}", "key-d"), "user1", committing(handler)));
  EXPECT_EQ(lost.status, 409);
  EXPECT_TRUE(command({"GET", handler.counter}).is_nil());
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
