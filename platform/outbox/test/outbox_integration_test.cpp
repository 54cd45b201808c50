// Against real Redis and Kafka: redelivery after a failed, uncommitted handler is applied once
// through the dedupe helper; the outbox relay survives SIGKILL between publish and XDEL.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <memory>

#include "platform/ids.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/outbox/dedupe.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/run.hpp"

extern char** environ;

namespace platform::outbox {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

// The effect consumers apply: one INCR, deduplicated on the event id.
struct Effect {
  redis::RedisClient* redis = nullptr;
  redis::Script script = dedupe_script("count_event", "return redis.call('INCR', KEYS[1])");
  std::string counter_key;
  bool fail_after_effect = false;  // simulates a crash after the effect, before the commit
  int deliveries = 0;
  int duplicates = 0;
};

asio::awaitable<Status> apply(std::shared_ptr<Effect> fx, CloudEvent event) {
  ++fx->deliveries;
  std::vector<std::string> keys{fx->counter_key};
  auto outcome = co_await apply_once(*fx->redis, fx->script, dedupe_key("probe", event.subject),
                                     event.id, std::move(keys), {});
  if (!outcome) co_return outcome.error();
  if (outcome->duplicate) ++fx->duplicates;
  if (fx->fail_after_effect) co_return make_error(Errc::unavailable, "crashed after effect");
  co_return Status{};
}

kafka::Handler handler(std::shared_ptr<Effect> fx) {
  return [fx](const CloudEvent& e) {
    return apply(fx, e);
  };
}

asio::awaitable<std::int64_t> get_int(redis::RedisClient& redis, std::string key) {
  std::vector<std::string> cmd{"GET", std::move(key)};
  auto r = co_await redis.command(std::move(cmd));
  co_return r ? r->as_integer() : -1;
}

CloudEvent make_event(const std::string& topic, const std::string& session) {
  return testing::test_event(topic, session, "ProbeHappened", "/checkout/probe", R"({"n":1})");
}

class OutboxIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    suffix_ = testing::unique_suffix();
    topic_ = "outbox-" + suffix_;
    ASSERT_TRUE(kafka::ensure_topics(testing::kafka_brokers(), {topic_}, 3, milliseconds(20000)));
    effect_->redis = &redis_;
    effect_->counter_key = "probe:count:{" + suffix_ + "}";
    ASSERT_TRUE(testing::run(io_, redis_.wait_connected(milliseconds(5000))));
  }
  asio::io_context io_;
  std::string suffix_;
  std::string topic_;
  redis::RedisClient redis_{io_, testing::redis_config()};
  kafka::Producer producer_{[] {
    kafka::ProducerConfig c;
    c.brokers = testing::kafka_brokers();
    return c;
  }()};
  std::shared_ptr<Effect> effect_ = std::make_shared<Effect>();
};

TEST_F(OutboxIntegration, FailedUncommittedEventIsRedeliveredAndAppliedOnce) {
  auto group = "g-" + suffix_;
  auto event = make_event(topic_, "s-" + suffix_);
  auto first_config = testing::consumer_config(group, {topic_});
  first_config.handler_retries = 1000;  // never reaches the DLQ in this test
  effect_->fail_after_effect = true;
  kafka::Consumer first(io_, first_config, handler(effect_), producer_);
  first.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await producer_.publish(event));
    EXPECT_TRUE(co_await platform::testing::eventually_async(
        io_, [&] { return effect_->deliveries >= 2; }));
    co_await first.stop();  // stopped while failing: nothing committed
  }());
  EXPECT_EQ(first.handled(), 0u);

  effect_->fail_after_effect = false;
  const int before = effect_->deliveries;
  kafka::Consumer second(io_, testing::consumer_config(group, {topic_}), handler(effect_),
                         producer_);
  second.start();
  std::int64_t count = 0;
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return second.handled() == 1; }));
    co_await second.stop();
    count = co_await get_int(redis_, effect_->counter_key);
  }());
  EXPECT_EQ(effect_->deliveries, before + 1);  // the event came again after the restart
  EXPECT_EQ(count, 1);                         // but its effect was applied once
  EXPECT_GE(effect_->duplicates, 2);
}

// A running outbox_relay_probe child with its stdout on a pipe.
class Probe {
 public:
  Probe(const std::string& service, bool hold) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
    env.push_back("PROBE_SERVICE=" + service);
    env.push_back(std::string("PROBE_HOLD_AFTER_PUBLISH=") + (hold ? "true" : "false"));
    env.push_back("OUTBOX_LEASE_MS=1000");
    env.push_back("OUTBOX_POLL_INTERVAL_MS=20");
    env.push_back("REDIS_HOST=" + testing::redis_host());
    env.push_back("REDIS_PORT=" + std::to_string(testing::redis_port()));
    env.push_back("KAFKA_BROKERS=" + testing::kafka_brokers());
    std::vector<char*> envp;
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string path = OUTBOX_RELAY_PROBE;
    char* argv[] = {path.data(), nullptr};
    EXPECT_EQ(posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv, envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
  }
  ~Probe() {
    if (pid_ > 0) kill_with(SIGKILL);
    close(out_);
  }
  // Waits for a stdout line starting with `prefix`; false at the deadline.
  bool wait_line(const std::string& prefix, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        auto line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (line.rfind(prefix, 0) == 0) return true;
        continue;
      }
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) {
        char chunk[512];
        auto n = read(out_, chunk, sizeof chunk);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
      }
    }
    return false;
  }
  int kill_with(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

TEST_F(OutboxIntegration, RelayKilledBetweenPublishAndDeleteDeliversOnceInEffect) {
  const auto service = "probe-" + suffix_;
  const auto stream = outbox_stream(service);
  auto event = make_event(topic_, "s-" + suffix_);

  // The service's write: its state and the outbox entry in one script.
  auto write =
      redis::Script::from_source("probe_write", std::string(outbox_lua_append()) +
                                                    "redis.call('SET', KEYS[1], ARGV[10])\n"
                                                    "return outbox_append_argv(KEYS[2], 1)\n");
  auto args = outbox_argv(event);
  args.push_back("state-v1");
  auto state_key = "probe:state:{" + suffix_ + "}";
  testing::run(io_, [&]() -> asio::awaitable<void> {
    std::vector<std::string> keys{state_key, stream};
    auto r = co_await redis_.eval(write, keys, args);
    EXPECT_TRUE(r && !r->is_error());
  }());

  kafka::Consumer consumer(io_, testing::consumer_config("g-" + suffix_, {topic_}),
                           handler(effect_), producer_);
  consumer.start();

  {
    Probe crashing(service, true);
    ASSERT_TRUE(crashing.wait_line("published " + event.id, milliseconds(20000)));
    auto status = crashing.kill_with(SIGKILL);  // acked by Kafka, not yet XDELed
    EXPECT_TRUE(WIFSIGNALED(status));
  }
  std::int64_t backlog = -1;
  testing::run(io_, [&]() -> asio::awaitable<void> {
    std::vector<std::string> xlen{"XLEN", stream};
    auto r = co_await redis_.command(xlen);
    backlog = r ? r->as_integer() : -1;
  }());
  EXPECT_EQ(backlog, 1);

  Probe restarted(service, false);  // waits for the dead relay's lease to expire
  ASSERT_TRUE(restarted.wait_line("published " + event.id, milliseconds(20000)));
  std::int64_t count = 0;
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return consumer.handled() == 2; }));
    std::int64_t left = -1;
    for (int i = 0; i < 250 && left != 0; ++i) {
      std::vector<std::string> xlen{"XLEN", stream};
      auto r = co_await redis_.command(xlen);
      left = r ? r->as_integer() : -1;
      if (left != 0) {
        asio::steady_timer t(io_, milliseconds(20));
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
      }
    }
    EXPECT_EQ(left, 0);
    co_await consumer.stop();
    count = co_await get_int(redis_, effect_->counter_key);
  }());
  auto status = restarted.kill_with(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(effect_->deliveries, 2);  // published twice (at least once)...
  EXPECT_EQ(effect_->duplicates, 1);
  EXPECT_EQ(count, 1);  // ...applied once
}

TEST_F(OutboxIntegration, RelayReadsNothingUntilItsBeforeBatchHookCompletes) {
  const auto stream = outbox_stream("giveway-" + suffix_);
  auto event = make_event(topic_, "s-" + suffix_);
  auto append = redis::Script::from_source(
      "probe_append", std::string(outbox_lua_append()) + "return outbox_append_argv(KEYS[1], 1)\n");
  auto backlog = [&]() -> asio::awaitable<std::int64_t> {
    std::vector<std::string> xlen{"XLEN", stream};
    auto r = co_await redis_.command(xlen);
    co_return r ? r->as_integer() : -1;
  };
  testing::run(io_, [&]() -> asio::awaitable<void> {
    std::vector<std::string> keys{stream};
    auto r = co_await redis_.eval(append, keys, outbox_argv(event));
    EXPECT_TRUE(r && !r->is_error());
  }());

  // The hook holds the relay (as GiveWay does while the service is busy) until released.
  int hook_calls = 0;
  bool released = false;
  RelayConfig config;
  config.stream = stream;
  config.poll_interval = milliseconds(20);
  config.before_batch = [&]() -> asio::awaitable<void> {
    ++hook_calls;
    asio::steady_timer timer(io_);
    while (!released) {
      timer.expires_after(milliseconds(10));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  };
  RedisOutboxRelay relay(io_, redis_, producer_, config);
  relay.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await platform::testing::eventually_async(io_, [&] { return hook_calls == 1; }));
    asio::steady_timer hold(io_, milliseconds(300));
    co_await hold.async_wait(asio::use_awaitable);
    EXPECT_EQ(co_await backlog(), 1);  // held: nothing published
    released = true;
    std::int64_t left = -1;
    for (int i = 0; i < 250 && left != 0; ++i) {
      left = co_await backlog();
      asio::steady_timer pause(io_, milliseconds(20));
      co_await pause.async_wait(asio::use_awaitable);
    }
    EXPECT_EQ(left, 0);        // published and deleted once let through
    EXPECT_GE(hook_calls, 2);  // and asked again before the next batch
    co_await relay.stop();
  }());
}

asio::awaitable<std::chrono::steady_clock::duration> timed_stop(RedisOutboxRelay* relay) {
  const auto started = std::chrono::steady_clock::now();
  co_await relay->stop();
  co_return std::chrono::steady_clock::now() - started;
}

TEST_F(OutboxIntegration, IdleRelayStopsAtOnceAndReleasesItsLease) {
  const auto stream = outbox_stream("idle-" + suffix_);
  RelayConfig config;
  config.stream = stream;
  config.poll_interval = std::chrono::seconds(60);
  RedisOutboxRelay relay(io_, redis_, producer_, config);
  relay.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    // Holding the lease, it found the stream empty and waits out its poll interval.
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return relay.holds_lease(); }));
    const auto took = co_await timed_stop(&relay);
    EXPECT_LT(took, milliseconds(1000));  // well under the 60 s poll interval
    std::printf("idle relay stopped in %lld ms\n",
                static_cast<long long>(std::chrono::duration_cast<milliseconds>(took).count()));
    std::vector<std::string> get{"GET", stream + ":lease"};
    auto lease = co_await redis_.command(std::move(get));
    EXPECT_TRUE(lease && lease->is_nil());
  }());
  EXPECT_FALSE(relay.holds_lease());
}

TEST_F(OutboxIntegration, StopCancelsABeforeBatchHookThatHoldsTheRelay) {
  RelayConfig config;
  config.stream = outbox_stream("held-" + suffix_);
  bool hook_entered = false;
  config.before_batch = [&]() -> asio::awaitable<void> {
    hook_entered = true;
    asio::steady_timer timer(io_, std::chrono::seconds(60));  // a server busy for a minute
    co_await timer.async_wait(asio::use_awaitable);
  };
  RedisOutboxRelay relay(io_, redis_, producer_, config);
  relay.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await platform::testing::eventually_async(io_, [&] { return hook_entered; }));
    EXPECT_LT(co_await timed_stop(&relay), milliseconds(1000));
  }());
  EXPECT_FALSE(relay.holds_lease());
}

}  // namespace
}  // namespace platform::outbox
