#include "platform/redis/client.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <thread>

#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/own_redis.hpp"
#include "platform/testing/run.hpp"

namespace {

namespace asio = boost::asio;
using platform::Errc;
using platform::redis::RedisClient;
using platform::redis::RedisConfig;
using platform::redis::Reply;
using platform::redis::Script;
using namespace std::chrono_literals;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(platform::testing::run(io_, client_.wait_connected(5000ms)))
        << "no Redis at " << platform::testing::redis_config().host << ":"
        << platform::testing::redis_config().port;
  }

  asio::io_context io_;
  RedisClient client_{io_, platform::testing::redis_config()};
  std::string prefix_ = "redis_test:" + platform::testing::unique_suffix() + ":";
};

asio::awaitable<void> set_and_get(RedisClient& client, std::string key) {
  auto set = co_await client.command("SET", key, std::string("va\0lue", 6), "EX", "60");
  EXPECT_TRUE(set);
  EXPECT_EQ(set->as_string(), "OK");
  auto got = co_await client.command("GET", key);
  EXPECT_TRUE(got);
  EXPECT_EQ(got->type, Reply::Type::string);
  EXPECT_EQ(got->as_string(), std::string("va\0lue", 6));  // binary-safe
  auto missing = co_await client.command("GET", key + ":missing");
  EXPECT_TRUE(missing && missing->is_nil());
  auto wrong = co_await client.command("HGET", key, "field");  // WRONGTYPE
  EXPECT_TRUE(wrong && wrong->is_error());
  EXPECT_TRUE(wrong->as_string().starts_with("WRONGTYPE"));
  EXPECT_TRUE(co_await client.ping());
}

TEST_F(RedisClientTest, SetGetNilAndErrorReplies) {
  platform::testing::run(io_, set_and_get(client_, prefix_ + "k"));
}

asio::awaitable<void> pipeline_1000(RedisClient& client, std::string key) {
  std::vector<std::vector<std::string>> commands;
  commands.push_back({"DEL", key});
  for (int i = 0; i < 1000; ++i) commands.push_back({"RPUSH", key, std::to_string(i)});
  commands.push_back({"EXPIRE", key, "60"});
  auto replies = co_await client.pipeline(std::move(commands));
  EXPECT_TRUE(replies);
  EXPECT_EQ(replies->size(), 1002u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ((*replies)[i + 1].as_integer(), i + 1);
  auto all = co_await client.command("LRANGE", key, "0", "-1");
  EXPECT_TRUE(all);
  EXPECT_EQ(all->elements().size(), 1000u);
  EXPECT_EQ(all->elements()[999].as_integer(), 999);
}

TEST_F(RedisClientTest, PipelineOf1000Commands) {
  platform::testing::run(io_, pipeline_1000(client_, prefix_ + "list"));
}

asio::awaitable<void> eval_and_reload(RedisClient& client, std::string key) {
  // A fresh script text per run so the first EVALSHA really misses the server's cache.
  const Script script =
      Script::from_source("incr_by", "-- " + key +
                                         "\nlocal v = redis.call('INCRBY', KEYS[1], ARGV[1])\n"
                                         "redis.call('EXPIRE', KEYS[1], 60)\nreturn {v, ARGV[2]}");
  EXPECT_EQ(script.sha.size(), 40u);
  // Key and argument vectors built outside co_await (g++ 12, see client.hpp).
  std::vector<std::string> keys{key};
  std::vector<std::string> args{"5", "tag"};
  auto first = co_await client.eval(script, keys, args);
  EXPECT_TRUE(first);
  EXPECT_EQ(first->elements().size(), 2u);
  EXPECT_EQ(first->elements()[0].as_integer(), 5);
  EXPECT_EQ(first->elements()[1].as_string(), "tag");

  auto flushed = co_await client.command("SCRIPT", "FLUSH");
  EXPECT_TRUE(flushed && !flushed->is_error());
  args = {"2", "x"};
  auto second = co_await client.eval(script, keys, args);  // NOSCRIPT → load → retry
  EXPECT_TRUE(second);
  EXPECT_EQ(second->elements()[0].as_integer(), 7);

  // error_reply from a script is a Reply of error type, not an Errc.
  const Script failing = Script::from_source("fails", "return redis.error_reply('boom')");
  auto error =
      co_await client.eval(failing, std::vector<std::string>(), std::vector<std::string>());
  EXPECT_TRUE(error && error->is_error());
  EXPECT_NE(error->as_string().find("boom"), std::string::npos);
}

TEST_F(RedisClientTest, EvalWithKeysArgsAndNoscriptReload) {
  platform::testing::run(io_, eval_and_reload(client_, prefix_ + "counter"));
}

asio::awaitable<int> incr_many(RedisClient& client, std::string key, int times) {
  int ok = 0;
  for (int i = 0; i < times; ++i) {
    auto r = co_await client.command("INCR", key);
    if (r && r->type == Reply::Type::integer) ++ok;
  }
  co_return ok;
}

TEST_F(RedisClientTest, ConcurrentCommandsFromTwoThreads) {
  auto guard = asio::make_work_guard(io_);
  std::thread a([&] { io_.run(); });
  std::thread b([&] { io_.run(); });
  const std::string key = prefix_ + "concurrent";
  std::vector<std::future<int>> futures;
  for (int task = 0; task < 8; ++task) {
    futures.push_back(asio::co_spawn(io_, incr_many(client_, key, 250), asio::use_future));
  }
  int ok = 0;
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(20s), std::future_status::ready);
    ok += f.get();
  }
  auto total = asio::co_spawn(io_, client_.command("GET", key), asio::use_future).get();
  asio::co_spawn(io_, client_.command("DEL", key), asio::use_future).get();
  guard.reset();
  io_.stop();
  a.join();
  b.join();
  EXPECT_EQ(ok, 2000);
  ASSERT_TRUE(total);
  EXPECT_EQ(total->as_integer(), 2000);
}

asio::awaitable<void> survive_restart(RedisClient& client, RedisClient& observer,
                                      platform::testing::OwnRedisServer& server) {
  using Clock = std::chrono::steady_clock;
  EXPECT_TRUE(co_await client.wait_connected(5000ms));
  auto before = co_await client.command("SET", "k", "v");
  EXPECT_TRUE(before);

  // A command in flight (BLPOP blocks server-side) when the server dies.
  auto in_flight = std::make_shared<std::optional<platform::Result<Reply>>>();
  // No co_await inside the co_spawn call: g++ 12 mis-compiles that.
  auto executor = co_await asio::this_coro::executor;
  auto on_done = [in_flight](std::exception_ptr e, platform::Result<Reply> r) {
    EXPECT_FALSE(e);
    *in_flight = std::move(r);
  };
  asio::co_spawn(executor, client.command("BLPOP", "queue", "10"), on_done);
  asio::steady_timer timer(executor);
  const auto wait_deadline = Clock::now() + 5s;
  for (;;) {
    // Asked on another connection: this one is blocked behind the BLPOP.
    auto info = co_await observer.command("INFO", "clients");
    if (info && info->as_string().find("blocked_clients:1") != std::string::npos) break;
    if (Clock::now() > wait_deadline) break;
    timer.expires_after(5ms);
    co_await timer.async_wait(asio::use_awaitable);
  }

  server.kill();
  const auto killed = Clock::now();
  while (!in_flight->has_value() && Clock::now() - killed < 1s) {
    timer.expires_after(5ms);
    co_await timer.async_wait(asio::use_awaitable);
  }
  EXPECT_TRUE(in_flight->has_value()) << "in-flight command not failed within 1 s";
  if (in_flight->has_value()) {
    EXPECT_FALSE(**in_flight);
    if (!**in_flight) {
      EXPECT_EQ((*in_flight)->error().code, Errc::unavailable);
      EXPECT_EQ((*in_flight)->error().message, "redis unavailable");
    }
  }
  const auto fail_started = Clock::now();
  auto down = co_await client.command("GET", "k");
  EXPECT_FALSE(down);
  EXPECT_LT(Clock::now() - fail_started, 100ms);  // fails fast, no waiting for a reconnect
  EXPECT_FALSE(client.connected());
  EXPECT_FALSE(co_await client.ping());

  server.start();
  EXPECT_TRUE(co_await client.wait_connected(5000ms));
  auto after = co_await client.command("SET", "k", "again");
  EXPECT_TRUE(after && after->as_string() == "OK");
}

TEST(RedisClientRestartTest, FailsFastWhileDownAndReconnectsAfterRestart) {
  platform::testing::OwnRedisServer server;
  server.start();
  asio::io_context io;
  RedisConfig config;
  config.port = server.port();
  RedisClient client(io, config);
  RedisClient observer(io, config);
  ASSERT_TRUE(platform::testing::run(io, observer.wait_connected(5000ms)));
  platform::testing::run(io, survive_restart(client, observer, server));
}

asio::awaitable<void> time_out(RedisClient& client, std::string key) {
  auto slow = co_await client.command("BLPOP", key, "1");  // blocks 1 s > command_timeout
  EXPECT_FALSE(slow);
  if (!slow) {
    EXPECT_EQ(slow.error().code, Errc::timeout);
  }
  // The late reply is dropped and later replies stay matched: once the server is done with
  // the BLPOP (replies are in order), the connection answers again.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  platform::Result<Reply> next = platform::make_error(Errc::timeout, "not tried");
  while (!next && std::chrono::steady_clock::now() < deadline) {
    next = co_await client.command("ECHO", "after");
  }
  EXPECT_TRUE(next && next->as_string() == "after");
}

TEST(RedisClientTimeoutTest, CommandExceedingTimeoutIsTimeout) {
  asio::io_context io;
  RedisConfig config = platform::testing::redis_config();
  config.command_timeout = 200ms;
  RedisClient client(io, config);
  ASSERT_TRUE(platform::testing::run(io, client.wait_connected(5000ms)));
  platform::testing::run(io, time_out(client, "redis_test:" + platform::testing::unique_suffix()));
}

TEST(RedisClientDownTest, UnavailableWhenNothingListens) {
  asio::io_context io;
  RedisConfig config;
  config.port = 1;  // nothing listens there
  RedisClient client(io, config);
  auto reply = platform::testing::run(io, client.command("PING"));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::unavailable);
}

// A stand-in Redis that answers every command with one error reply (e.g. LOADING while a
// restarted server reads its data) until set_ready(); then PING gets PONG and the rest OK.
class FakeRedis {
 public:
  explicit FakeRedis(std::string error) : error_(std::move(error)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t length = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
      throw std::runtime_error("fake redis: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeRedis() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  FakeRedis(const FakeRedis&) = delete;
  FakeRedis& operator=(const FakeRedis&) = delete;

  int port() const { return port_; }
  void set_ready() { ready_ = true; }

 private:
  // One complete RESP command (an array of bulk strings) off the front of `buffer`, if there.
  static std::optional<std::vector<std::string>> take_command(std::string& buffer) {
    std::size_t at = 0;
    auto line = [&]() -> std::optional<std::string> {
      const auto end = buffer.find("\r\n", at);
      if (end == std::string::npos) return std::nullopt;
      auto text = buffer.substr(at, end - at);
      at = end + 2;
      return text;
    };
    auto header = line();
    if (!header || header->empty() || (*header)[0] != '*') return std::nullopt;
    std::vector<std::string> args;
    for (int n = std::stoi(header->substr(1)); n > 0; --n) {
      auto size = line();
      if (!size || size->empty() || (*size)[0] != '$') return std::nullopt;
      const auto length = static_cast<std::size_t>(std::stoul(size->substr(1)));
      if (buffer.size() < at + length + 2) return std::nullopt;
      args.push_back(buffer.substr(at, length));
      at += length + 2;
    }
    buffer.erase(0, at);
    return args;
  }

  std::string reply_to(const std::vector<std::string>& command) const {
    if (!ready_) return "-" + error_ + "\r\n";
    if (!command.empty() && command[0] == "PING") return "+PONG\r\n";
    return "+OK\r\n";
  }

  void serve() {
    std::map<int, std::string> clients;  // fd -> bytes not yet parsed
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (const auto& [fd, buffer] : clients) fds.push_back({fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd >= 0) clients[fd];
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        char chunk[4096];
        const auto n = ::read(fds[i].fd, chunk, sizeof chunk);
        if (n <= 0) {
          ::close(fds[i].fd);
          clients.erase(fds[i].fd);
          continue;
        }
        auto& buffer = clients[fds[i].fd];
        buffer.append(chunk, static_cast<std::size_t>(n));
        while (auto command = take_command(buffer)) {
          const auto reply = reply_to(*command);
          if (::write(fds[i].fd, reply.data(), reply.size()) < 0) break;
        }
      }
    }
    for (const auto& [fd, buffer] : clients) ::close(fd);
  }

  std::string error_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

asio::awaitable<void> not_ready_then_ready(RedisClient& client, FakeRedis& fake, std::string code) {
  auto single = co_await client.command("GET", "k");
  EXPECT_FALSE(single) << code;
  if (!single) {
    EXPECT_EQ(single.error().code, Errc::unavailable) << code;
    EXPECT_NE(single.error().message.find(code), std::string::npos) << single.error().message;
  }
  std::vector<std::vector<std::string>> commands{{"SET", "k", "v"}, {"GET", "k"}};
  auto pipelined = co_await client.pipeline(std::move(commands));
  EXPECT_FALSE(pipelined) << code;
  if (!pipelined) {
    EXPECT_EQ(pipelined.error().code, Errc::unavailable) << code;
  }
  const Script script = Script::from_source("noop", "return 1");
  auto evaluated =
      co_await client.eval(script, std::vector<std::string>{}, std::vector<std::string>{});
  EXPECT_FALSE(evaluated) << code;
  if (!evaluated) {
    EXPECT_EQ(evaluated.error().code, Errc::unavailable) << code;
  }
  EXPECT_FALSE(co_await client.ping()) << code << ": readiness must say not ready";

  fake.set_ready();
  EXPECT_TRUE(co_await client.ping()) << code;
  auto served = co_await client.command("GET", "k");
  EXPECT_TRUE(served && served->as_string() == "OK") << code;
}

// A Redis that is still loading its data after a restart (or busy, or without its master) is a
// dependency that is down for now: Errc::unavailable, so routes answer 503 with Retry-After.
TEST(RedisClientNotReadyTest, LoadingBusyAndMasterDownAreUnavailable) {
  for (const std::string error :
       {"LOADING Redis is loading the dataset in memory",
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."}) {
    FakeRedis fake(error);
    asio::io_context io;
    RedisConfig config;
    config.port = fake.port();
    RedisClient client(io, config);
    ASSERT_TRUE(platform::testing::run(io, client.wait_connected(5000ms)));
    platform::testing::run(io,
                           not_ready_then_ready(client, fake, error.substr(0, error.find(' '))));
  }
}

// Other error replies stay replies, one per command (BUSYKEY is not BUSY).
TEST(RedisClientNotReadyTest, OtherErrorRepliesStayReplies) {
  FakeRedis fake("BUSYKEY Target key name already exists.");
  asio::io_context io;
  RedisConfig config;
  config.port = fake.port();
  RedisClient client(io, config);
  ASSERT_TRUE(platform::testing::run(io, client.wait_connected(5000ms)));
  auto reply = platform::testing::run(io, client.command("RESTORE", "k", "0", "x"));
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->is_error());
  EXPECT_TRUE(reply->as_string().starts_with("BUSYKEY"));
}

}  // namespace
