// How fast the kit's consumer (platform/kafka: poll thread, hand-over, keyed lanes, commits)
// works through a backlog, against librdkafka's own consume loop reading the same backlog in
// the same run (the floor: fetching and decoding, nothing else). Handlers: one that returns at
// once, and one that waits 1 ms like a handler doing two Redis round trips.
// Needs a broker at KAFKA_BROKERS (the dev stack's, ./dev up). Env: BENCH_EVENTS (50000).
#include <librdkafka/rdkafkacpp.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "platform/config.hpp"
#include "platform/ids.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"

namespace {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Writes `count` cart-like events over 5000 sessions.
void produce(const std::string& brokers, const std::string& topic, int count) {
  platform::kafka::ProducerConfig config;
  config.brokers = brokers;
  platform::kafka::Producer producer(config);
  asio::io_context io;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const std::string data(1200, 'x');  // about the size of a CartItemAdded
        for (int sent = 0; sent < count;) {
          std::vector<platform::CloudEvent> batch;
          for (int i = 0; i < 1000 && sent < count; ++i, ++sent) {
            platform::CloudEvent e;
            e.id = platform::new_uuid();
            e.type = "CartItemAdded";
            e.source = "/checkout/cart";
            e.key = e.subject = "session-" + std::to_string(sent % 5000);
            e.time = "2026-11-30T12:00:00.000Z";
            e.traceparent = platform::TraceContext::generate().traceparent();
            e.data = data;
            e.topic = topic;
            batch.push_back(std::move(e));
          }
          auto statuses = co_await producer.publish_all(std::move(batch));
          for (const auto& s : statuses) {
            if (!s) std::fprintf(stderr, "publish failed: %s\n", s.error().message.c_str());
          }
        }
      },
      asio::detached);
  io.run();
}

// librdkafka alone: a fresh group reads the topic from the start.
double raw_rate(const std::string& brokers, const std::string& topic, int count) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  conf->set("bootstrap.servers", brokers, err);
  conf->set("group.id", "bench-raw-" + platform::random_hex(4), err);
  conf->set("auto.offset.reset", "earliest", err);
  conf->set("enable.auto.commit", "false", err);
  conf->set("queued.max.messages.kbytes", "4096", err);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  consumer->subscribe({topic});
  int seen = 0;
  Clock::time_point start;
  while (seen < count) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    if (seen++ == 0) start = Clock::now();  // from the first message: group join excluded
  }
  const double rate = (count - 1) / seconds_since(start);
  consumer->close();
  return rate;
}

// The kit's consumer with a handler that waits `handler_time` (0: returns at once).
double kit_rate(const std::string& brokers, const std::string& topic, int count,
                std::chrono::microseconds handler_time) {
  asio::io_context io;
  auto config =
      platform::kafka::ConsumerConfig::from_env("bench-kit-" + platform::random_hex(4), {topic});
  config.brokers = brokers;
  platform::kafka::ProducerConfig producer_config;
  producer_config.brokers = brokers;
  platform::kafka::Producer dlq(producer_config);
  Clock::time_point start;
  bool started = false;
  platform::kafka::Consumer consumer(
      io, config,
      [&](const platform::CloudEvent&) -> asio::awaitable<platform::Status> {
        if (!started) {
          started = true;
          start = Clock::now();
        }
        if (handler_time.count() > 0) {
          asio::steady_timer timer(co_await asio::this_coro::executor, handler_time);
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        co_return platform::Status{};
      },
      dlq);
  consumer.start();
  double rate = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        while (consumer.handled() < static_cast<std::size_t>(count)) {
          timer.expires_after(1ms);
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        rate = (count - 1) / seconds_since(start);
        co_await consumer.stop();
      },
      asio::detached);
  io.run();
  return rate;
}

}  // namespace

int main() {
  const auto brokers = platform::config::get_string("KAFKA_BROKERS", "127.0.0.1:9092");
  const int count =
      static_cast<int>(platform::config::get_int("BENCH_EVENTS", 50000, 1000, 10000000));
  const auto topic = "bench-consumer-" + platform::random_hex(4);
  if (auto created = platform::kafka::ensure_topics(brokers, {topic}, 3, 30s); !created) {
    std::fprintf(stderr, "cannot create %s: %s\n", topic.c_str(), created.error().message.c_str());
    return 1;
  }
  produce(brokers, topic, count);
  const double raw = raw_rate(brokers, topic, count);
  const double instant = kit_rate(brokers, topic, count, 0us);
  const double waiting = kit_rate(brokers, topic, count, 1000us);
  std::printf("%d events of 1.2 KB over 5000 keys, 3 partitions (topic %s)\n", count,
              topic.c_str());
  std::printf("%-46s %12s %8s\n", "reader", "events/s", "ratio");
  std::printf("%-46s %12.0f %8s\n", "baseline: librdkafka consume loop", raw, "1.00");
  std::printf("%-46s %12.0f %8.2f\n", "kit consumer, handler returns at once", instant,
              instant / raw);
  std::printf("%-46s %12.0f %8.2f\n", "kit consumer, handler waits 1 ms", waiting, waiting / raw);
  return 0;
}
