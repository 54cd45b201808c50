#pragma once
// Transactional outbox on Redis. A service changes its state and appends the event to the stream
// "outbox:<service>" in ONE Lua script (so a crash cannot keep one without the other); the relay
// publishes the stream's entries in order and deletes each only after the broker acked it.
//
// Entry layout (XADD <stream> * field value ...), all strings:
//   id type source subject time traceparent topic key data
// which map one-to-one onto CloudEvent fields.
//
// Delivery: at least once (a relay killed between the ack and XDEL publishes the entry again), so
// consumers deduplicate on the event id (platform/outbox/dedupe.hpp). One relay per stream across
// processes: the relay holding the lease "<stream>:lease" (SET NX PX, renewed) publishes; the
// others wait. Cluster note: the stream key has no hash tag, so the script's state keys and the
// stream must share a slot if Redis Cluster is ever used.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/outbox/publisher.hpp"

namespace boost::asio {
class io_context;
}
namespace platform::redis {
class RedisClient;
}

namespace platform::outbox {

// Lua text to prepend to a service script. Defines
//   local function outbox_append(stream, id, type, source, subject, time, traceparent,
//                                topic, key, data)       -> the new entry id
//   local function outbox_append_argv(stream, first)      -> the same, reading the nine values
//                                                            from ARGV[first .. first+8]
// Use with outbox_argv() below to pass an event's fields as ARGV.
std::string_view outbox_lua_append();

// The nine ARGV values outbox_append_argv expects, in entry-field order.
std::vector<std::string> outbox_argv(const CloudEvent& event);

// "outbox:<service>"
std::string outbox_stream(std::string_view service);

struct RelayConfig {
  std::string stream;  // e.g. outbox_stream("cart")
  std::size_t batch = 100;
  std::chrono::milliseconds poll_interval{50};  // how often an empty stream is read again
  std::chrono::milliseconds lease_ttl{5000};
  std::chrono::milliseconds error_backoff{500};  // after a Redis or publish failure
  // Awaited before each batch is read, e.g. to give way to requests (platform::app::GiveWay);
  // empty: none. Not set by from_env. stop() cancels it (it runs as its own coroutine).
  std::function<boost::asio::awaitable<void>()> before_batch;
  // Upper bound for stop(): a batch being published may take up to the producer's delivery
  // timeout.
  std::chrono::milliseconds stop_timeout{30000};

  // OUTBOX_BATCH (100), OUTBOX_POLL_INTERVAL_MS (50), OUTBOX_LEASE_MS (5000),
  // OUTBOX_ERROR_BACKOFF_MS (500), OUTBOX_STOP_TIMEOUT_MS (30000).
  static RelayConfig from_env(std::string_view service);
};

// One relay loop (a platform::BackgroundLoop on its own strand of `io`).
// Ownership: `io`, `redis` and `publisher` must outlive the relay and whatever the loop is still
// doing; await stop() before destroying (destroying it unstopped only requests the stop).
// Thread-safety: start()/stop() from one thread; holds_lease() from any.
// Cancellation: stop() cancels the wait the loop is idle in (poll interval, error backoff, the
// before_batch hook), so an idle relay stops at once; a batch being published is finished, its
// XDEL included, then the lease is released. Bounded by stop_timeout.
// Errors: Redis and publish failures are logged and retried after error_backoff, in order.
// Metrics: outbox_backlog{stream} (XLEN), outbox_published_total{stream}.
class RedisOutboxRelay {
 public:
  RedisOutboxRelay(boost::asio::io_context& io, redis::RedisClient& redis,
                   EventPublisher& publisher, RelayConfig config);
  ~RedisOutboxRelay();
  RedisOutboxRelay(const RedisOutboxRelay&) = delete;
  RedisOutboxRelay& operator=(const RedisOutboxRelay&) = delete;

  // Spawns the relay loop on `io`.
  void start();
  // Graceful: ends the wait the loop is idle in, or finishes the batch being published (and its
  // XDEL), releases the lease, returns; at most stop_timeout. Idempotent.
  boost::asio::awaitable<void> stop();

  // Whether this relay currently holds the stream's lease (for readiness and tests).
  bool holds_lease() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace platform::outbox
