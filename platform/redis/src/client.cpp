#include "platform/redis/client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <deque>
#include <exception>

#include "platform/config.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace platform::redis {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;

namespace {

Reply convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::error;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      out.array.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.array.push_back(convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::nil;
      break;
  }
  return out;
}

Error unavailable_error() {
  return make_error(Errc::unavailable, "redis unavailable");
}

// Error replies of a server that cannot serve right now but will soon, whatever the command:
// loading its data after a restart, running a long script, a replica cut off from its master,
// a cluster without quorum or in the middle of moving a slot. For callers that is Redis down.
bool not_ready(const Reply& reply) {
  if (!reply.is_error()) return false;
  for (std::string_view code : {"LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN"}) {
    const std::string_view text = reply.as_string();
    if (text.starts_with(code) && (text.size() == code.size() || text[code.size()] == ' ')) {
      return true;
    }
  }
  return false;
}

using Completion = asio::any_completion_handler<void(Result<std::vector<Reply>>)>;

// A caller waiting for replies: its completion handler and the executor it resumes on.
struct Waiter {
  Completion completion;
  asio::any_io_executor executor;
};

// Resumes a caller with its outcome on its own executor (never inline: the caller may issue
// commands at once, and hiredis may be inside a callback).
void complete(Waiter waiter, Result<std::vector<Reply>> outcome) {
  auto executor = waiter.executor;
  asio::post(executor,
             [completion = std::move(waiter.completion), outcome = std::move(outcome)]() mutable {
               std::move(completion)(std::move(outcome));
             });
}

// The shared state of one command or pipeline. Touched only on the strand.
struct Pending {
  Pending(std::size_t expected_replies, Clock::time_point deadline_at, Waiter caller)
      : expected(expected_replies), deadline(deadline_at), waiter(std::move(caller)) {}
  std::size_t expected;
  Clock::time_point deadline;
  Waiter waiter;  // resumed once, when the outcome is known
  std::vector<Reply> replies;
  bool done = false;    // outcome known (or timed out): later replies are dropped
  bool failed = false;  // the connection died first
};

}  // namespace

std::int64_t Reply::as_integer() const {
  if (type == Type::integer) return integer;
  if (type == Type::string) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(str.data(), str.data() + str.size(), value);
    if (ec == std::errc() && end == str.data() + str.size()) return value;
  }
  return 0;
}

RedisConfig RedisConfig::from_env() {
  RedisConfig c;
  c.host = config::get_string("REDIS_HOST", c.host);
  c.port = static_cast<int>(config::get_int("REDIS_PORT", c.port, 1, 65535));
  c.connect_timeout = config::get_millis("REDIS_CONNECT_TIMEOUT_MS", c.connect_timeout);
  c.command_timeout = config::get_millis("REDIS_COMMAND_TIMEOUT_MS", c.command_timeout);
  c.reconnect_backoff_max =
      config::get_millis("REDIS_RECONNECT_BACKOFF_MAX_MS", c.reconnect_backoff_max);
  return c;
}

Script Script::from_source(std::string name, std::string source) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(source.data(), source.size(), digest, &length, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA-1 failed for script " + name);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string sha;
  for (unsigned int i = 0; i < length; ++i) {
    sha += kHex[digest[i] >> 4];
    sha += kHex[digest[i] & 0xf];
  }
  return Script{std::move(name), std::move(source), std::move(sha)};
}

struct RedisClient::Impl : std::enable_shared_from_this<RedisClient::Impl> {
  // One hiredis connection attempt and its socket. hiredis owns the fd; the descriptor only
  // waits on it and releases it (without closing) in the cleanup hook.
  struct Conn : std::enable_shared_from_this<Conn> {
    Conn(const Strand& strand, Impl* owner) : sd(strand), impl(owner) {}
    asio::posix::stream_descriptor sd;
    Impl* impl;
    redisAsyncContext* ctx = nullptr;  // null once hiredis has freed it
    bool connected = false;
    bool want_read = false;
    bool want_write = false;
    bool read_armed = false;
    bool write_armed = false;
    bool flush_posted = false;
  };

  Impl(asio::io_context& io, RedisConfig cfg)
      : config(std::move(cfg)),
        strand(asio::make_strand(io)),
        event(strand),
        deadline_timer(strand),
        connected_gauge(metrics::registry().gauge("redis_connected",
                                                  "1 while the Redis connection is established")),
        ok_total(commands_counter("ok")),
        error_total(commands_counter("error")),
        unavailable_total(commands_counter("unavailable")),
        timeout_total(commands_counter("timeout")) {}

  ~Impl() {
    // Only reached when no handler is left, i.e. after stop() ran or the io_context was
    // destroyed; in the latter case free hiredis without touching timers.
    destroying = true;
    if (conn && conn->ctx) redisAsyncFree(conn->ctx);
  }

  static metrics::Counter& commands_counter(const char* result) {
    return metrics::registry().counter("redis_commands_total", "Redis commands by outcome",
                                       {{"result", result}});
  }

  void notify() { event.cancel(); }

  asio::awaitable<void> wait_event(Clock::time_point deadline) {
    event.expires_at(deadline);
    co_await event.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  void set_connected(bool value) {
    connected.store(value);
    connected_gauge.set(value ? 1 : 0);
  }

  // hiredis event hooks; hiredis calls them on the strand (all its entry points run there).
  static Conn& conn_of(void* data) { return *static_cast<Conn*>(data); }
  static void hook_add_read(void* data) {
    Conn& c = conn_of(data);
    c.want_read = true;
    c.impl->arm_read(c);
  }
  static void hook_del_read(void* data) { conn_of(data).want_read = false; }
  static void hook_add_write(void* data) {
    Conn& c = conn_of(data);
    c.want_write = true;
    if (c.connected) {
      c.impl->post_flush(c);
    } else {
      c.impl->arm_write(c);  // a connect in progress completes when the socket turns writable
    }
  }
  static void hook_del_write(void* data) { conn_of(data).want_write = false; }
  static void hook_cleanup(void* data) {
    Conn& c = conn_of(data);
    c.want_read = c.want_write = false;
    c.ctx = nullptr;
    if (c.sd.is_open()) c.sd.release();  // cancels our waits; hiredis closes the fd
  }

  void arm_read(Conn& c) {
    if (c.read_armed || c.ctx == nullptr) return;
    c.read_armed = true;
    c.sd.async_wait(
        asio::posix::descriptor_base::wait_read,
        asio::bind_executor(strand, [self = shared_from_this(),
                                     conn = c.shared_from_this()](boost::system::error_code ec) {
          conn->read_armed = false;
          if (ec || conn->ctx == nullptr || !conn->want_read) return;
          redisAsyncHandleRead(conn->ctx);
          if (conn->ctx != nullptr && conn->want_read) self->arm_read(*conn);
        }));
  }

  // Writes what hiredis has buffered once the handlers ready now have run, so the commands of
  // every request handled in this turn of the event loop leave in one write (no wait for the
  // socket to turn writable: it nearly always is; if the write is partial, fall back to waiting).
  void post_flush(Conn& c) {
    if (c.flush_posted || c.write_armed || c.ctx == nullptr) return;
    c.flush_posted = true;
    asio::post(strand, [self = shared_from_this(), conn = c.shared_from_this()] {
      conn->flush_posted = false;
      if (conn->ctx == nullptr || !conn->want_write) return;
      redisAsyncHandleWrite(conn->ctx);
      if (conn->ctx != nullptr && conn->want_write) self->arm_write(*conn);
    });
  }

  void arm_write(Conn& c) {
    if (c.write_armed || c.ctx == nullptr) return;
    c.write_armed = true;
    c.sd.async_wait(
        asio::posix::descriptor_base::wait_write,
        asio::bind_executor(strand, [self = shared_from_this(),
                                     conn = c.shared_from_this()](boost::system::error_code ec) {
          conn->write_armed = false;
          if (ec || conn->ctx == nullptr || !conn->want_write) return;
          redisAsyncHandleWrite(conn->ctx);
          if (conn->ctx != nullptr && conn->want_write) self->arm_write(*conn);
        }));
  }

  static void on_connect(const redisAsyncContext* ac, int status) {
    Conn& c = conn_of(ac->data);
    if (status == REDIS_OK) {
      c.connected = true;
      c.impl->set_connected(true);
      spdlog::info("redis connected to {}:{}", c.impl->config.host, c.impl->config.port);
    } else {
      spdlog::debug("redis connect to {}:{} failed: {}", c.impl->config.host, c.impl->config.port,
                    ac->errstr);
    }
    c.impl->notify();
  }

  static void on_disconnect(const redisAsyncContext* ac, int status) {
    Conn& c = conn_of(ac->data);
    c.connected = false;
    c.impl->set_connected(false);
    if (status != REDIS_OK) spdlog::warn("redis connection lost: {}", ac->errstr);
    if (!c.impl->destroying) c.impl->notify();
  }

  static void on_reply(redisAsyncContext* ac, void* reply, void* privdata) {
    std::unique_ptr<std::shared_ptr<Pending>> holder(
        static_cast<std::shared_ptr<Pending>*>(privdata));
    Pending& p = **holder;
    if (p.done) return;
    if (reply == nullptr) {
      p.failed = true;
    } else {
      p.replies.push_back(convert(static_cast<redisReply*>(reply)));
      if (p.replies.size() < p.expected) return;
    }
    conn_of(ac->data).impl->finish(p);
  }

  // Resumes the caller of a finished command with its outcome, counted in the metrics. Posted,
  // not run inline: the caller may issue commands, and hiredis is in a callback here.
  void finish(Pending& p) {
    p.done = true;
    // While the client is destroyed its io_context may be gone: the caller is not resumed.
    if (!p.waiter.completion || destroying) return;
    const std::size_t count = p.expected;
    Result<std::vector<Reply>> outcome = std::vector<Reply>{};
    if (p.failed) {
      unavailable_total.inc(count);
      outcome = unavailable_error();
    } else if (p.replies.size() < p.expected) {
      timeout_total.inc(count);
      outcome = make_error(Errc::timeout, "redis command timed out");
    } else if (auto busy = std::find_if(p.replies.begin(), p.replies.end(), not_ready);
               busy != p.replies.end()) {
      unavailable_total.inc(count);
      outcome = make_error(Errc::unavailable, "redis not ready: " + busy->as_string());
    } else {
      for (const auto& r : p.replies) (r.is_error() ? error_total : ok_total).inc();
      outcome = std::move(p.replies);
    }
    complete(std::move(p.waiter), std::move(outcome));  // leaves p.waiter.completion empty
  }

  // Replies come in command order, so the oldest command still waiting is at the front of
  // `in_flight`; one timer at its deadline times out whatever is overdue.
  void watch_deadlines() {
    while (!in_flight.empty() && in_flight.front()->done) in_flight.pop_front();
    if (in_flight.empty() || deadline_armed) return;
    deadline_armed = true;
    deadline_timer.expires_at(in_flight.front()->deadline);
    deadline_timer.async_wait(
        asio::bind_executor(strand, [self = shared_from_this()](boost::system::error_code) {
          self->deadline_armed = false;
          const auto now = Clock::now();
          for (auto& pending : self->in_flight) {
            if (pending->deadline > now) break;
            if (!pending->done) self->finish(*pending);
          }
          self->watch_deadlines();
        }));
  }

  // One connection attempt; true once connected.
  asio::awaitable<bool> connect_once() {
    redisAsyncContext* ac = redisAsyncConnect(config.host.c_str(), config.port);
    if (ac == nullptr) co_return false;
    if (ac->err != 0) {
      spdlog::debug("redis connect to {}:{} failed: {}", config.host, config.port, ac->errstr);
      redisAsyncFree(ac);
      co_return false;
    }
    auto c = std::make_shared<Conn>(strand, this);
    boost::system::error_code ec;
    c->sd.assign(ac->c.fd, ec);
    if (ec) {
      spdlog::warn("redis: cannot watch socket: {}", ec.message());
      redisAsyncFree(ac);
      co_return false;
    }
    c->ctx = ac;
    ac->data = c.get();
    ac->ev.data = c.get();
    ac->ev.addRead = hook_add_read;
    ac->ev.delRead = hook_del_read;
    ac->ev.addWrite = hook_add_write;
    ac->ev.delWrite = hook_del_write;
    ac->ev.cleanup = hook_cleanup;
    conn = c;
    // Hooks first: setting the connect callback arms the first write wait.
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);

    const auto deadline = Clock::now() + config.connect_timeout;
    while (!stopped && c->ctx != nullptr && !c->connected && Clock::now() < deadline) {
      co_await wait_event(deadline);
    }
    if (c->connected && !stopped) co_return true;
    if (c->ctx != nullptr) redisAsyncFree(c->ctx);  // timed out or stopped while connecting
    conn.reset();
    co_return false;
  }

  // The reconnect loop: connect, wait for the connection to drop, reconnect at once and then
  // with exponential backoff while Redis stays down.
  static asio::awaitable<void> supervise(std::shared_ptr<Impl> self) {
    auto backoff = self->config.reconnect_backoff_initial;
    while (!self->stopped) {
      if (co_await self->connect_once()) {
        backoff = self->config.reconnect_backoff_initial;
        while (!self->stopped && self->conn && self->conn->connected) {
          co_await self->wait_event(Clock::time_point::max());
        }
        self->conn.reset();
        continue;
      }
      const auto deadline = Clock::now() + backoff;
      while (!self->stopped && Clock::now() < deadline) co_await self->wait_event(deadline);
      backoff = std::min(backoff * 2, self->config.reconnect_backoff_max);
    }
  }

  void start() {
    asio::co_spawn(strand, supervise(shared_from_this()), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("redis reconnect task failed: {}", ex.what());
      }
    });
  }

  void stop_on_strand() {
    if (stopped) return;
    stopped = true;
    auto c = conn;  // keeps the Conn alive through hiredis's callbacks
    if (c && c->ctx != nullptr) redisAsyncFree(c->ctx);  // fails what is in flight
    deadline_timer.cancel();
    set_connected(false);
    notify();
  }

  // Sends the commands (on the strand) and arranges for `completion` to get their replies.
  void submit(std::vector<std::vector<std::string>> commands, Waiter waiter) {
    const std::size_t count = commands.size();
    auto fail_now = [&](Error error) {
      complete(std::move(waiter), std::move(error));
    };
    if (count == 0) return complete(std::move(waiter), std::vector<Reply>{});
    for (const auto& args : commands) {
      if (args.empty()) return fail_now(make_error(Errc::internal, "empty redis command"));
    }
    auto c = conn;
    if (stopped || !c || !c->connected || c->ctx == nullptr) {
      unavailable_total.inc(count);
      return fail_now(unavailable_error());
    }
    auto p =
        std::make_shared<Pending>(count, Clock::now() + config.command_timeout, std::move(waiter));
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& args : commands) {
      argv.clear();
      lengths.clear();
      for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
      }
      auto* holder = new std::shared_ptr<Pending>(p);
      if (redisAsyncCommandArgv(c->ctx, on_reply, holder, static_cast<int>(argv.size()),
                                argv.data(), lengths.data()) != REDIS_OK) {
        delete holder;
        p->failed = true;  // replies to the commands already queued are dropped
        finish(*p);
        return;
      }
    }
    in_flight.push_back(std::move(p));
    watch_deadlines();
  }

  static asio::awaitable<Result<std::vector<Reply>>> pipeline(
      std::shared_ptr<Impl> impl, std::vector<std::vector<std::string>> commands) {
    auto executor = co_await asio::this_coro::executor;
    auto initiate = [impl = std::move(impl), commands = std::move(commands),
                     executor](Completion completion) mutable {
      auto strand = impl->strand;
      asio::dispatch(strand, [impl = std::move(impl), commands = std::move(commands),
                              waiter = Waiter{std::move(completion), executor}]() mutable {
        impl->submit(std::move(commands), std::move(waiter));
      });
    };
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                            void(Result<std::vector<Reply>>)>(std::move(initiate),
                                                                              asio::use_awaitable);
  }

  static asio::awaitable<Result<Reply>> command(std::shared_ptr<Impl> impl,
                                                std::vector<std::string> args) {
    std::vector<std::vector<std::string>> commands;
    commands.push_back(std::move(args));
    auto replies = co_await pipeline(std::move(impl), std::move(commands));
    if (!replies) co_return replies.error();
    co_return std::move(replies->front());
  }

  static asio::awaitable<Result<Reply>> eval(std::shared_ptr<Impl> impl, std::string sha,
                                             std::string source, std::vector<std::string> keys,
                                             std::vector<std::string> args) {
    std::vector<std::string> request;
    request.reserve(3 + keys.size() + args.size());
    request.push_back("EVALSHA");
    request.push_back(std::move(sha));
    request.push_back(std::to_string(keys.size()));
    for (auto& k : keys) request.push_back(std::move(k));
    for (auto& a : args) request.push_back(std::move(a));

    auto reply = co_await command(impl, request);
    if (!reply || !reply->is_error() || !reply->str.starts_with("NOSCRIPT")) co_return reply;
    // The server lost its script cache (restart, SCRIPT FLUSH): load and retry once.
    // Built outside the co_await: g++ 12 mis-compiles braced lists in coroutine arguments.
    std::vector<std::string> load{"SCRIPT", "LOAD", std::move(source)};
    auto loaded = co_await command(impl, std::move(load));
    if (!loaded || loaded->is_error()) co_return loaded;
    co_return co_await command(std::move(impl), std::move(request));
  }

  static asio::awaitable<bool> ping(std::shared_ptr<Impl> impl) {
    std::vector<std::string> ping{"PING"};
    auto reply = co_await command(std::move(impl), std::move(ping));
    co_return reply && reply->as_string() == "PONG";
  }

  static asio::awaitable<bool> wait_connected(std::shared_ptr<Impl> impl,
                                              std::chrono::milliseconds timeout) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    const auto deadline = Clock::now() + timeout;
    while (!impl->connected.load()) {
      if (Clock::now() >= deadline) co_return false;
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return true;
  }

  RedisConfig config;
  Strand strand;
  asio::steady_timer event;  // wakes the reconnect loop on connection state changes
  std::shared_ptr<Conn> conn;
  std::deque<std::shared_ptr<Pending>> in_flight;  // sent, oldest first
  asio::steady_timer deadline_timer;               // at the oldest in-flight deadline
  bool deadline_armed = false;
  bool stopped = false;
  bool destroying = false;
  std::atomic<bool> connected{false};
  metrics::Gauge& connected_gauge;
  metrics::Counter& ok_total;
  metrics::Counter& error_total;
  metrics::Counter& unavailable_total;
  metrics::Counter& timeout_total;
};

RedisClient::RedisClient(asio::io_context& io, RedisConfig config)
    : impl_(std::make_shared<Impl>(io, std::move(config))) {
  impl_->start();
}

RedisClient::~RedisClient() {
  stop();
}

void RedisClient::stop() {
  asio::post(impl_->strand, [impl = impl_] { impl->stop_on_strand(); });
}

bool RedisClient::connected() const {
  return impl_->connected.load();
}

// The public calls are plain functions that hand owned copies of their arguments to
// coroutines, so the caller's temporaries and even the client may go away while they run.
asio::awaitable<Result<std::vector<Reply>>> RedisClient::pipeline(
    std::vector<std::vector<std::string>> commands) {
  return Impl::pipeline(impl_, std::move(commands));
}

asio::awaitable<Result<Reply>> RedisClient::command(std::vector<std::string> args) {
  return Impl::command(impl_, std::move(args));
}

asio::awaitable<Result<Reply>> RedisClient::eval(const Script& script,
                                                 std::vector<std::string> keys,
                                                 std::vector<std::string> args) {
  return Impl::eval(impl_, script.sha, script.source, std::move(keys), std::move(args));
}

asio::awaitable<bool> RedisClient::ping() {
  return Impl::ping(impl_);
}

asio::awaitable<bool> RedisClient::wait_connected(std::chrono::milliseconds timeout) {
  return Impl::wait_connected(impl_, timeout);
}

}  // namespace platform::redis
