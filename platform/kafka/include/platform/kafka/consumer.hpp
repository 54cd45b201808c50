#pragma once
// A consumer-group member over a list of topics. A private thread polls librdkafka and hands
// messages to the io_context through a bounded channel; what does not fit waits in a bounded
// overflow, and above 64 x channel_capacity waiting messages the poll thread pauses its partitions
// (back-pressure) until half of them were handled.
//
// Delivery: at least once. Messages are handled one at a time in arrival order (so each
// partition's order is kept); an offset is committed only after the handler returned ok, or after
// the message went to the dead-letter topic "<topic>.dlq". Handlers must be idempotent in effect
// (see platform/outbox/dedupe.hpp).
// Errors: a handler error is retried `handler_retries` times with exponential backoff starting at
// `retry_backoff`; then, or at once for a poison message (no valid CloudEvents headers), the
// original record goes to "<topic>.dlq" with its headers plus dlq_error, dlq_original_topic,
// dlq_original_partition and dlq_original_offset. If the DLQ publish fails the offset is not
// committed and the message is retried.
// While a handler runs, the log trace id is the event's traceparent trace id.
// Thread-safety: start() and stop() from one thread; the handler runs on the io_context.
// Metrics: kafka_consumed_total{topic,result=ok|retry|dlq|poison}, kafka_dlq_total{topic},
// kafka_consumer_lag{topic,partition} (librdkafka statistics, every lag_interval).
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
  int handler_retries = 3;
  std::chrono::milliseconds retry_backoff{100};
  std::size_t channel_capacity = 64;
  int prefetch_kbytes = 4096;  // queued.max.messages.kbytes
  std::chrono::milliseconds lag_interval{5000};
  // Upper bound for stop(): finishing the message in hand, committing and leaving the group.
  std::chrono::milliseconds stop_timeout{15000};

  // KAFKA_BROKERS (127.0.0.1:9092), KAFKA_SESSION_TIMEOUT_MS (10000),
  // KAFKA_HEARTBEAT_INTERVAL_MS (1000), KAFKA_FETCH_WAIT_MAX_MS (100),
  // KAFKA_HANDLER_RETRIES (3), KAFKA_RETRY_BACKOFF_MS (100), KAFKA_CONSUMER_CHANNEL (64),
  // KAFKA_PREFETCH_KBYTES (4096),
  // KAFKA_LAG_INTERVAL_MS (5000). auto.offset.reset is always earliest.
  static ConsumerConfig from_env(std::string group_id, std::vector<std::string> topics = {});
};

// Handles one event (topic and key filled). Return an error to have it retried.
using Handler = std::function<boost::asio::awaitable<Status>(const CloudEvent&)>;

class Consumer {
 public:
  // `dlq` publishes dead-letter copies; `io`, `dlq` and the handler's captures must outlive this.
  Consumer(boost::asio::io_context& io, ConsumerConfig config, Handler handler, Producer& dlq);
  ~Consumer();  // stops abruptly (no commit of the message in hand) if stop() was not awaited
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Joins the group and starts handling. Throws std::runtime_error on bad librdkafka config.
  void start();
  // Graceful: lets the handler call in progress finish (no further retries), commits what was
  // handled, closes the consumer (leaves the group). Bounded by stop_timeout. Idempotent.
  boost::asio::awaitable<void> stop();

  // Messages handled to completion (ok or dead-lettered) since start(); for tests and readiness.
  std::size_t handled() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace platform::kafka
