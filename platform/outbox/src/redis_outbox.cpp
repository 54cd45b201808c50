#include "platform/outbox/redis_outbox.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/io_context.hpp>

#include "platform/background_loop.hpp"
#include "platform/config.hpp"
#include "platform/ids.hpp"
#include "platform/metrics.hpp"
#include "platform/redis/client.hpp"

namespace platform::outbox {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kFields[] = {"id",          "type",  "source", "subject", "time",
                                   "traceparent", "topic", "key",    "data"};

const redis::Script& renew_script() {
  static const auto script = redis::Script::from_source(
      "outbox_lease_renew",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
      "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end");
  return script;
}

const redis::Script& release_script() {
  static const auto script = redis::Script::from_source(
      "outbox_lease_release",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) "
      "else return 0 end");
  return script;
}

// The event of one XRANGE entry ([id, [field, value, ...]]); empty id/topic = unusable.
CloudEvent to_event(const redis::Reply& fields) {
  CloudEvent e;
  const auto& kv = fields.elements();
  for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
    const auto& name = kv[i].as_string();
    const auto& value = kv[i + 1].as_string();
    if (name == "id")
      e.id = value;
    else if (name == "type")
      e.type = value;
    else if (name == "source")
      e.source = value;
    else if (name == "subject")
      e.subject = value;
    else if (name == "time")
      e.time = value;
    else if (name == "traceparent")
      e.traceparent = value;
    else if (name == "topic")
      e.topic = value;
    else if (name == "key")
      e.key = value;
    else if (name == "data")
      e.data = value;
  }
  return e;
}

}  // namespace

std::string_view outbox_lua_append() {
  static const std::string lua = [] {
    std::string s = "local function outbox_append(stream";
    for (const char* f : kFields) s += std::string(", f_") + f;
    s += ")\n  return redis.call('XADD', stream, '*'";
    for (const char* f : kFields) s += std::string(", '") + f + "', f_" + f;
    s += ")\nend\nlocal function outbox_append_argv(stream, first)\n"
         "  return outbox_append(stream";
    for (int i = 0; i < 9; ++i) s += ", ARGV[first + " + std::to_string(i) + "]";
    s += ")\nend\n";
    return s;
  }();
  return lua;
}

std::vector<std::string> outbox_argv(const CloudEvent& e) {
  return {e.id, e.type, e.source, e.subject, e.time, e.traceparent, e.topic, e.key, e.data};
}

std::string outbox_stream(std::string_view service) {
  return "outbox:" + std::string(service);
}

RelayConfig RelayConfig::from_env(std::string_view service) {
  RelayConfig c;
  c.stream = outbox_stream(service);
  c.batch = static_cast<std::size_t>(config::get_int("OUTBOX_BATCH", 100, 1, 10000));
  c.poll_interval = milliseconds(config::get_int("OUTBOX_POLL_INTERVAL_MS", 50, 1, 60000));
  c.lease_ttl = milliseconds(config::get_int("OUTBOX_LEASE_MS", 5000, 100, 600000));
  c.error_backoff = milliseconds(config::get_int("OUTBOX_ERROR_BACKOFF_MS", 500, 1, 600000));
  c.stop_timeout = milliseconds(config::get_int("OUTBOX_STOP_TIMEOUT_MS", 30000, 1, 600000));
  return c;
}

struct RedisOutboxRelay::Impl {
  Impl(asio::io_context& io, redis::RedisClient& r, EventPublisher& p, RelayConfig c)
      : redis(r),
        publisher(p),
        config(std::move(c)),
        lease_key(config.stream + ":lease"),
        owner(new_uuid()),
        loop(io, "outbox relay " + config.stream),
        backlog(metrics::registry().gauge("outbox_backlog", "Entries waiting in an outbox stream",
                                          {{"stream", config.stream}})),
        published(metrics::registry().counter("outbox_published_total",
                                              "Outbox entries published and removed",
                                              {{"stream", config.stream}})) {}

  redis::RedisClient& redis;
  EventPublisher& publisher;
  RelayConfig config;
  std::string lease_key;
  std::string owner;
  BackgroundLoop loop;
  metrics::Gauge& backlog;
  metrics::Counter& published;
  std::atomic<bool> leased{false};
  Clock::time_point renewed_at{};  // the loop's strand only
  bool started = false;

  // Acquires or renews the lease; false when another relay holds it.
  asio::awaitable<bool> keep_lease() {
    const auto ttl = std::to_string(config.lease_ttl.count());
    if (leased.load()) {
      if (Clock::now() - renewed_at < config.lease_ttl / 3) co_return true;
      // Named vectors: g++ 12 miscompiles braced string lists inside co_await expressions.
      std::vector<std::string> keys{lease_key};
      std::vector<std::string> args{owner, ttl};
      auto r = co_await redis.eval(renew_script(), std::move(keys), std::move(args));
      if (r && !r->is_error() && r->as_integer() == 1) {
        renewed_at = Clock::now();
        co_return true;
      }
      if (r) {
        spdlog::warn("outbox relay {} lost its lease", config.stream);
        leased = false;
      }
      co_return false;
    }
    std::vector<std::string> set{"SET", lease_key, owner, "NX", "PX", ttl};
    auto r = co_await redis.command(std::move(set));
    if (r && r->as_string() == "OK") {
      spdlog::info("outbox relay {} took the lease", config.stream);
      leased = true;
      renewed_at = Clock::now();
      co_return true;
    }
    co_return false;
  }

  enum class Batch { failed, drained, more };

  // Publishes one batch in order; stops at the first failure so order is kept.
  asio::awaitable<Batch> relay_batch(StopSignal stop) {
    std::vector<std::string> xlen{"XLEN", config.stream};
    auto len = co_await redis.command(std::move(xlen));
    if (len && !len->is_error()) backlog.set(static_cast<double>(len->as_integer()));
    std::vector<std::string> xrange{"XRANGE", config.stream, "-",
                                    "+",      "COUNT",       std::to_string(config.batch)};
    auto range = co_await redis.command(std::move(xrange));
    if (!range || range->is_error()) {
      spdlog::warn("outbox relay {}: XRANGE failed: {}", config.stream,
                   range ? range->as_string() : range.error().message);
      co_return Batch::failed;
    }
    const auto& entries = range->elements();
    if (entries.empty()) co_return Batch::drained;
    if (stop.stop_requested() || !co_await keep_lease()) co_return Batch::drained;
    std::vector<std::string> ids;
    std::vector<CloudEvent> events;
    for (const auto& entry : entries) {
      if (entry.elements().size() != 2) continue;
      const auto& entry_id = entry.elements()[0].as_string();
      auto event = to_event(entry.elements()[1]);
      if (event.id.empty() || event.topic.empty()) {
        // Unpublishable: park it so it does not block the stream forever.
        spdlog::error("outbox relay {}: entry {} has no id or topic, moved to {}:dead",
                      config.stream, entry_id, config.stream);
        std::vector<std::string> xadd{"XADD", config.stream + ":dead", "*", "entry", entry_id};
        std::vector<std::string> xdel{"XDEL", config.stream, entry_id};
        std::vector<std::vector<std::string>> both{std::move(xadd), std::move(xdel)};
        auto moved = co_await redis.pipeline(std::move(both));
        if (!moved) co_return Batch::failed;
        continue;
      }
      ids.push_back(entry_id);
      events.push_back(std::move(event));
    }
    // The whole batch goes to the broker at once; entries are deleted up to the first failure,
    // so a failed entry and everything after it are published again (at least once, in order).
    const auto results = co_await publisher.publish_all(std::move(events));
    std::size_t acked = 0;
    while (acked < results.size() && results[acked]) ++acked;
    if (acked > 0) {
      std::vector<std::string> xdel{"XDEL", config.stream};
      xdel.insert(xdel.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(acked));
      auto deleted = co_await redis.command(std::move(xdel));
      if (!deleted || deleted->is_error()) co_return Batch::failed;
      published.inc(acked);
      backlog.add(-static_cast<double>(acked));
    }
    if (acked < results.size()) {
      spdlog::warn("outbox relay {}: publishing {} failed: {}", config.stream, ids[acked],
                   results[acked].error().message);
      co_return Batch::failed;
    }
    co_return entries.size() == config.batch ? Batch::more : Batch::drained;
  }

  // Waits (the poll interval, the error backoff, the before_batch hook) end at once on stop();
  // a batch in progress is finished, its XDEL included, before the loop looks at the stop.
  asio::awaitable<void> run(StopSignal stop) {
    while (!stop.stop_requested()) {
      if (!co_await keep_lease()) {
        co_await stop.sleep(config.poll_interval);
        continue;
      }
      if (config.before_batch) {
        const bool passed = co_await stop.wait(config.before_batch());
        if (!passed) break;
      }
      auto batch = co_await relay_batch(stop);
      if (batch == Batch::failed) {
        co_await stop.sleep(config.error_backoff);
      } else if (batch == Batch::drained) {
        co_await stop.sleep(config.poll_interval);
      }
    }
    if (leased.exchange(false)) {
      std::vector<std::string> keys{lease_key};
      std::vector<std::string> args{owner};
      auto r = co_await redis.eval(release_script(), std::move(keys), std::move(args));
      if (!r) spdlog::warn("outbox relay {}: lease release failed", config.stream);
    }
  }
};

RedisOutboxRelay::RedisOutboxRelay(asio::io_context& io, redis::RedisClient& redis,
                                   EventPublisher& publisher, RelayConfig config)
    : impl_(std::make_shared<Impl>(io, redis, publisher, std::move(config))) {}

RedisOutboxRelay::~RedisOutboxRelay() {
  // The loop keeps the Impl alive until it returns; without a stop() it returns at its next wait.
  impl_->loop.request_stop();
}

bool RedisOutboxRelay::holds_lease() const {
  return impl_->leased.load();
}

void RedisOutboxRelay::start() {
  if (impl_->started) return;
  impl_->started = true;
  impl_->loop.start([impl = impl_](StopSignal stop) { return impl->run(std::move(stop)); });
}

asio::awaitable<void> RedisOutboxRelay::stop() {
  auto impl = impl_;
  const bool ended = co_await impl->loop.stop(Clock::now() + impl->config.stop_timeout);
  if (!ended) spdlog::warn("outbox relay {} did not stop in time", impl->config.stream);
}

}  // namespace platform::outbox
