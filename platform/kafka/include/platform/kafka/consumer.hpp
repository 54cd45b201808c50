#pragma once
// A consumer-group member over a list of topics. A private thread polls librdkafka and hands
// messages to the io_context through a bounded channel; what does not fit waits in a small
// overflow, and while that is full the poll thread takes no more messages, so librdkafka stops
// fetching at its prefetch bound (back-pressure without pausing the partitions, which would drop
// the prefetch). Memory: at most about twice prefetch_kbytes of messages (librdkafka's prefetch
// plus the overflow), plus what the lanes hold.
//
// Delivery: at least once, in order per key. A dispatcher routes each message by a hash of its key
// (of its partition when the key is empty) to one of `concurrency` lanes, each a small bounded
// queue whose messages are handled one at a time in arrival order; the lanes run concurrently.
// So the events of one key (of one partition, for empty keys) are handled in order, one after
// the other, while other keys go ahead. A slow or retried message holds up its own lane, and
// the others only once its lane's queue is full (the dispatcher waits for room).
// concurrency 1 handles every message one at a time in arrival order. A partition's offset is
// committed only up to its lowest message in flight (dispatched, not yet handled ok or sent to
// the dead-letter topic "<topic>.dlq"), so a restart may deliver again what was handled behind
// an unfinished message: handlers must be idempotent in effect (see platform/outbox/dedupe.hpp).
// Messages from before a rebalance are dropped if not yet started (the partition's next owner
// reads them again) and commit nothing when they finish.
// Errors: a handler error is retried `handler_retries` times with exponential backoff starting at
// `retry_backoff`; then, or at once for a poison message (no valid CloudEvents headers), the
// original record goes to "<topic>.dlq" with its headers plus dlq_error, dlq_original_topic,
// dlq_original_partition and dlq_original_offset. If the DLQ publish fails the offset is not
// committed and the message is retried.
// While a handler runs, the log trace id is the event's traceparent trace id.
// Thread-safety: start() and stop() from one thread. The dispatcher and each lane are a
// platform::BackgroundLoop, each on its own strand of the io_context: the handler is called
// concurrently for different keys (up to `concurrency` calls at once; in parallel when several
// threads run the io_context), so what its calls share must be safe for that.
// Cancellation: stop() cancels the loops' waits (for a message, for room in a lane, a retry or
// DLQ backoff); it never cancels a handler call in progress, which is awaited (up to stop_timeout;
// a handler still running then is left to finish on its own and commits nothing). The poll thread
// is then told to commit and leave the group; it reports back through the io_context and is joined
// only once it has finished, so stop() never blocks an I/O thread.
// Metrics: kafka_consumed_total{topic,result=ok|retry|dlq|poison}, kafka_dlq_total{topic} (series
// resolved once per topic), kafka_consumer_lag{topic,partition} (librdkafka statistics, every
// lag_interval).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace boost::asio {
class io_context;
}

namespace platform::kafka {

class Producer;

struct ConsumerConfig {
  std::string brokers = "127.0.0.1:9092";
  std::string group_id;
  std::vector<std::string> topics;
  std::chrono::milliseconds session_timeout{10000};
  std::chrono::milliseconds heartbeat_interval{1000};
  // fetch.wait.max.ms: 100 ms bounds the delivery latency of a quiet topic.
  std::chrono::milliseconds fetch_wait_max{100};
  // Lanes handling messages at once (by key, see above); 1 handles one message at a time.
  std::size_t concurrency = 16;
  int handler_retries = 3;
  std::chrono::milliseconds retry_backoff{100};
  std::size_t channel_capacity = 64;
  int prefetch_kbytes = 4096;  // queued.max.messages.kbytes
  std::chrono::milliseconds lag_interval{5000};
  // How often handled progress is committed (and always on stop and rebalance); a crash may
  // deliver again up to this much of what was handled.
  std::chrono::milliseconds commit_interval{200};
  // Bound for each of stop()'s two steps: finishing the handler calls in progress, then
  // committing and leaving the group.
  std::chrono::milliseconds stop_timeout{15000};

  // KAFKA_BROKERS (127.0.0.1:9092), KAFKA_SESSION_TIMEOUT_MS (10000),
  // KAFKA_HEARTBEAT_INTERVAL_MS (1000), KAFKA_FETCH_WAIT_MAX_MS (100),
  // KAFKA_HANDLER_CONCURRENCY (16, 1..1024), KAFKA_HANDLER_RETRIES (3),
  // KAFKA_RETRY_BACKOFF_MS (100), KAFKA_CONSUMER_CHANNEL (64), KAFKA_PREFETCH_KBYTES (4096),
  // KAFKA_LAG_INTERVAL_MS (5000), KAFKA_COMMIT_INTERVAL_MS (200). auto.offset.reset is always
  // earliest.
  static ConsumerConfig from_env(std::string group_id, std::vector<std::string> topics = {});
};

// Handles one event (topic and key filled). Return an error to have it retried.
using Handler = std::function<boost::asio::awaitable<Status>(const CloudEvent&)>;

class Consumer {
 public:
  // `dlq` publishes dead-letter copies; `io`, `dlq` and the handler's captures must outlive this.
  Consumer(boost::asio::io_context& io, ConsumerConfig config, Handler handler, Producer& dlq);
  // Stops abruptly if stop() was not awaited: requests the loops' stop without waiting for them
  // (they keep what they use alive), and joins the poll thread, which commits what was handled
  // and leaves the group; on an I/O thread it is detached instead and ends by itself.
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Joins the group and starts handling. Throws std::runtime_error on bad librdkafka config or a
  // concurrency outside 1..1024.
  void start();
  // Graceful: stops taking messages (idle lanes stop at once), lets the handler calls in progress
  // finish (no further retries), commits what was handled (up to each partition's first
  // unfinished message), closes the consumer (leaves the group). Queued messages not yet started
  // are left uncommitted. Bounded by stop_timeout (per step, see ConsumerConfig). Idempotent.
  boost::asio::awaitable<void> stop();

  // Messages handled to completion (ok or dead-lettered) since start(); for tests and readiness.
  std::size_t handled() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace platform::kafka
