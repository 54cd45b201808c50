#pragma once
// An idempotent Kafka producer (enable.idempotence=true, acks=all) wrapping librdkafka. A private
// thread polls librdkafka for delivery reports; publish() completes on the awaiting coroutine's
// executor when the report for its record arrives.
//
// Thread-safety: publish()/send()/flush() may be called from any thread concurrently.
// Errors: Errc::unavailable when the broker refused or could not be reached before the delivery
// timeout (librdkafka's message.timeout.ms), Errc::timeout when no report arrived in time,
// Errc::invalid for records librdkafka rejects outright (e.g. too large, unknown topic).
// Cancellation: cancelling the awaiting coroutine abandons the wait; the record may still be
// delivered. Metrics: kafka_produced_total{topic,result=ok|error}, each series resolved once per
// topic. Ownership: destroy after the io_context stopped running publish() coroutines; the
// destructor flushes for up to ProducerConfig::delivery_timeout.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "platform/kafka/envelope.hpp"
#include "platform/outbox/publisher.hpp"

namespace platform::kafka {

namespace detail {
struct Delivery;  // one record's pending delivery report (src/producer.cpp)
}

struct ProducerConfig {
  std::string brokers = "127.0.0.1:9092";
  std::string client_id = "checkout";
  // linger.ms: 5 ms batches a burst of events without adding visible latency to one request.
  std::chrono::milliseconds linger{5};
  // message.timeout.ms: how long librdkafka retries a record before reporting failure.
  std::chrono::milliseconds delivery_timeout{10000};

  // KAFKA_BROKERS (127.0.0.1:9092), KAFKA_CLIENT_ID (checkout), KAFKA_LINGER_MS (5),
  // KAFKA_DELIVERY_TIMEOUT_MS (10000). Throws std::invalid_argument on bad values.
  static ProducerConfig from_env();
};

class Producer final : public outbox::EventPublisher {
 public:
  // Throws std::runtime_error when librdkafka rejects the configuration.
  explicit Producer(ProducerConfig config);
  ~Producer() override;
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Produces the event in CloudEvents binary mode to event.topic; ok once acked by all replicas.
  boost::asio::awaitable<Status> publish(CloudEvent event) override;
  // Produces every event before awaiting the first ack (librdkafka keeps their order per
  // partition), then returns one Status per event.
  boost::asio::awaitable<std::vector<Status>> publish_all(std::vector<CloudEvent> events) override;
  // Produces a raw record (used for dead-letter copies, which keep the original headers).
  boost::asio::awaitable<Status> send(Message message);

  // Whether the last broker probe (a metadata request every 2 s on the poll thread) succeeded;
  // for /readyz.
  bool brokers_reachable() const;

  // Blocks until every outstanding record is delivered or failed; for graceful shutdown.
  // Errc::timeout when records are still in flight after `timeout`.
  [[nodiscard]] Status flush(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  Result<std::shared_ptr<detail::Delivery>> produce(const Message& message,
                                                    const boost::asio::any_io_executor& ex);
  boost::asio::awaitable<Status> await_delivery(std::shared_ptr<detail::Delivery> delivery,
                                                std::string topic);
  std::unique_ptr<Impl> impl_;
};

}  // namespace platform::kafka
