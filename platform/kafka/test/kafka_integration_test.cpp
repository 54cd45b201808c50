// Against a real broker (KAFKA_BROKERS): envelope round trip, poison messages and retries to DLQ,
// per-key order and commits under concurrent handling.
#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "in_flight_offsets.hpp"
#include "platform/ids.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/run.hpp"

namespace platform::kafka {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Reads `count` records of `topic` from the beginning with a plain librdkafka consumer.
std::vector<Message> read_raw(const std::string& topic, std::size_t count) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  conf->set("bootstrap.servers", testing::kafka_brokers(), err);
  conf->set("group.id", "raw-" + random_hex(4), err);
  conf->set("auto.offset.reset", "earliest", err);
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
  c->subscribe({topic});
  std::vector<Message> out;
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(c->consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    Message msg;
    msg.topic = m->topic_name();
    msg.offset = m->offset();
    if (m->key() != nullptr) msg.key = *m->key();
    msg.value.assign(static_cast<const char*>(m->payload()), m->len());
    if (auto* h = m->headers()) {
      for (const auto& x : h->get_all())
        msg.headers.emplace_back(x.key(), std::string(x.value_string(), x.value_size()));
    }
    out.push_back(std::move(msg));
  }
  c->close();
  return out;
}

// The group's committed offset of topic[partition], RdKafka::Topic::OFFSET_INVALID if none.
std::int64_t committed_offset(const std::string& group, const std::string& topic,
                              std::int32_t partition) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  conf->set("bootstrap.servers", testing::kafka_brokers(), err);
  conf->set("group.id", group, err);
  conf->set("enable.auto.commit", "false", err);
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
  std::vector<RdKafka::TopicPartition*> parts{RdKafka::TopicPartition::create(topic, partition)};
  const auto result = c->committed(parts, 10000);
  const auto offset = result == RdKafka::ERR_NO_ERROR ? parts[0]->offset() : -2;
  RdKafka::TopicPartition::destroy(parts);
  c->close();
  return offset;
}

struct Seen {
  std::vector<CloudEvent> events;
  std::vector<std::string> trace_ids;
  int attempts = 0;
  bool fail = false;
};

asio::awaitable<Status> record(std::shared_ptr<Seen> seen, CloudEvent event) {
  ++seen->attempts;
  seen->trace_ids.push_back(log::current_trace_id());
  if (seen->fail) co_return make_error(Errc::unavailable, "downstream says no");
  seen->events.push_back(std::move(event));
  co_return Status{};
}

Handler recorder(std::shared_ptr<Seen> seen) {
  return [seen](const CloudEvent& e) {
    return record(seen, e);
  };
}

CloudEvent make_event(const std::string& topic, const std::string& session) {
  return testing::test_event(topic, session, "CartItemAdded", "/checkout/cart",
                             R"({"session_id":")" + session + R"("})");
}

// Publishes `events` one after the other, so each key's events are in the topic in this order.
asio::awaitable<void> publish_all(Producer& producer, std::vector<CloudEvent> events) {
  for (const auto& e : events) {
    auto status = co_await producer.publish(e);
    EXPECT_TRUE(status) << (status ? "" : status.error().message);
  }
}

asio::awaitable<void> sleep_for(milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

struct Ordered {
  std::mutex mutex;                   // the io_context may run on several threads
  std::map<std::string, int> seq_of;  // event id -> its sequence number within its key
  std::map<std::string, std::vector<int>> by_key;
  std::mt19937 rng{20260101};
};

asio::awaitable<Status> record_after_random_pause(std::shared_ptr<Ordered> seen, CloudEvent event) {
  milliseconds pause{};
  {
    std::lock_guard lock(seen->mutex);
    pause = milliseconds(seen->rng() % 4);
  }
  co_await sleep_for(pause);
  std::lock_guard lock(seen->mutex);
  seen->by_key[event.key].push_back(seen->seq_of.at(event.id));
  co_return Status{};
}

struct Overlap {
  int running = 0;
  int max_running = 0;
  std::size_t done = 0;
};

asio::awaitable<Status> count_overlap(std::shared_ptr<Overlap> overlap, CloudEvent) {
  overlap->max_running = std::max(overlap->max_running, ++overlap->running);
  co_await sleep_for(milliseconds(5));
  --overlap->running;
  ++overlap->done;
  co_return Status{};
}

// Every event but the one with `slow_key` is recorded at once; that one waits for `release`.
struct Gate {
  std::string slow_key;
  bool release = false;
  bool slow_started = false;
  bool slow_returned = false;
  std::vector<std::string> ids;
};

asio::awaitable<Status> hold_slow(std::shared_ptr<Gate> gate, CloudEvent event) {
  if (event.key != gate->slow_key) {
    gate->ids.push_back(event.id);
    co_return Status{};
  }
  gate->slow_started = true;
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (!gate->release && std::chrono::steady_clock::now() < deadline) {
    co_await sleep_for(milliseconds(5));
  }
  gate->slow_returned = true;
  co_return Status{};
}

class KafkaIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    topic_ = "kit-" + testing::unique_suffix();
    ASSERT_TRUE(ensure_topics(testing::kafka_brokers(), {topic_}, 3, milliseconds(20000)));
  }
  asio::io_context io_;
  std::string topic_;
  Producer producer_{testing::producer_config()};
};

TEST_F(KafkaIntegration, RoundTripKeepsHeadersAndTraceparent) {
  auto seen = std::make_shared<Seen>();
  Consumer consumer(io_, testing::consumer_config("g-" + topic_, {topic_}), recorder(seen),
                    producer_);
  auto sent = make_event(topic_, "s-1");
  sent.extra_headers = {{"x-tenant", "pl"}};
  consumer.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    auto status = co_await producer_.publish(sent);
    EXPECT_TRUE(status) << (status ? "" : status.error().message);
    EXPECT_TRUE(co_await platform::testing::eventually_async(
        io_, [&] { return seen->events.size() == 1; }));
    co_await consumer.stop();
  }());
  ASSERT_EQ(seen->events.size(), 1u);
  const auto& got = seen->events[0];
  EXPECT_EQ(got.id, sent.id);
  EXPECT_EQ(got.type, sent.type);
  EXPECT_EQ(got.source, sent.source);
  EXPECT_EQ(got.subject, sent.subject);
  EXPECT_EQ(got.time, sent.time);
  EXPECT_EQ(got.traceparent, sent.traceparent);
  EXPECT_EQ(got.data, sent.data);
  EXPECT_EQ(got.topic, topic_);
  EXPECT_EQ(got.key, "s-1");
  EXPECT_EQ(got.extra_headers, sent.extra_headers);
  EXPECT_EQ(seen->trace_ids[0], TraceContext::parse_or_generate(sent.traceparent).trace_id);

  auto raw = read_raw(topic_, 1);
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(*find_header(raw[0].headers, "ce_specversion"), "1.0");
  EXPECT_EQ(*find_header(raw[0].headers, "content-type"), "application/json");
  EXPECT_EQ(*find_header(raw[0].headers, "traceparent"), sent.traceparent);
  auto text = metrics::registry().render();
  EXPECT_NE(text.find("kafka_produced_total{topic=\"" + topic_ + "\",result=\"ok\"}"),
            std::string::npos);
}

TEST_F(KafkaIntegration, PoisonMessageGoesToDlqAndConsumerContinues) {
  auto seen = std::make_shared<Seen>();
  Consumer consumer(io_, testing::consumer_config("g-" + topic_, {topic_}), recorder(seen),
                    producer_);
  consumer.start();
  Message poison;
  poison.topic = topic_;
  poison.partition = 0;
  poison.key = "s-2";
  poison.value = "not an event";
  poison.headers = {{"x-origin", "legacy"}};
  auto good = make_event(topic_, "s-2");
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await producer_.send(poison));
    EXPECT_TRUE(co_await producer_.publish(good));
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return consumer.handled() == 2; }));
    co_await consumer.stop();
  }());
  ASSERT_EQ(seen->events.size(), 1u);
  EXPECT_EQ(seen->events[0].id, good.id);
  auto dlq = read_raw(dlq_topic(topic_), 1);
  ASSERT_EQ(dlq.size(), 1u);
  EXPECT_EQ(dlq[0].value, "not an event");
  EXPECT_EQ(dlq[0].key, "s-2");
  EXPECT_EQ(*find_header(dlq[0].headers, "x-origin"), "legacy");
  EXPECT_EQ(*find_header(dlq[0].headers, "dlq_error"), "missing header ce_specversion");
  EXPECT_EQ(*find_header(dlq[0].headers, "dlq_original_topic"), topic_);
  EXPECT_EQ(*find_header(dlq[0].headers, "dlq_original_partition"), "0");
  EXPECT_EQ(*find_header(dlq[0].headers, "dlq_original_offset"), "0");
}

TEST_F(KafkaIntegration, HandlerFailingEveryTimeEndsInDlqAfterRetries) {
  auto seen = std::make_shared<Seen>();
  seen->fail = true;
  auto config = testing::consumer_config("g-" + topic_, {topic_});
  config.handler_retries = 3;
  Consumer consumer(io_, config, recorder(seen), producer_);
  consumer.start();
  auto event = make_event(topic_, "s-3");
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await producer_.publish(event));
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return consumer.handled() == 1; }));
    co_await consumer.stop();
  }());
  EXPECT_EQ(seen->attempts, 4);  // the first call and three retries
  auto dlq = read_raw(dlq_topic(topic_), 1);
  ASSERT_EQ(dlq.size(), 1u);
  EXPECT_EQ(*find_header(dlq[0].headers, "ce_id"), event.id);
  EXPECT_EQ(*find_header(dlq[0].headers, "traceparent"), event.traceparent);
  EXPECT_EQ(*find_header(dlq[0].headers, "dlq_error"), "downstream says no");
  EXPECT_EQ(dlq[0].value, event.data);
}

// Publishes 200 events of 10 keys, interleaved, and handles them with concurrency 8 on an
// io_context run by `io_threads` threads, through a handler that pauses 0-3 ms at random.
// Returns each key's sequence numbers in the order they were handled.
std::map<std::string, std::vector<int>> handle_interleaved_keys(Producer& producer,
                                                                const std::string& topic,
                                                                int io_threads) {
  asio::io_context io;
  auto seen = std::make_shared<Ordered>();
  std::vector<CloudEvent> events;
  for (int i = 0; i < 200; ++i) {
    events.push_back(make_event(topic, "key-" + std::to_string(i % 10)));
    seen->seq_of[events.back().id] = i / 10;
  }
  testing::run(io, publish_all(producer, events));
  auto config = testing::consumer_config("g-" + topic, {topic});
  config.concurrency = 8;
  Consumer consumer(
      io, config, [seen](const CloudEvent& e) { return record_after_random_pause(seen, e); },
      producer);
  consumer.start();
  auto work = asio::make_work_guard(io);
  io.restart();  // testing::run left it stopped once it ran out of work
  std::vector<std::thread> threads;
  for (int i = 0; i < io_threads; ++i) threads.emplace_back([&io] { io.run(); });
  auto handle_all = [&]() -> asio::awaitable<bool> {
    const bool all =
        co_await platform::testing::eventually_async(io, [&] { return consumer.handled() == 200; });
    co_await consumer.stop();
    co_return all;
  };
  auto handled_all = asio::co_spawn(io, handle_all(), asio::use_future);
  EXPECT_TRUE(handled_all.get());
  work.reset();
  for (auto& t : threads) t.join();
  std::lock_guard lock(seen->mutex);
  return seen->by_key;
}

void expect_every_key_once_in_order(const std::map<std::string, std::vector<int>>& by_key) {
  ASSERT_EQ(by_key.size(), 10u);
  std::vector<int> expected(20);
  for (int i = 0; i < 20; ++i) expected[i] = i;
  for (const auto& [key, seqs] : by_key) EXPECT_EQ(seqs, expected) << key;
}

TEST_F(KafkaIntegration, EachKeyIsHandledInOrderWhileKeysRunConcurrently) {
  expect_every_key_once_in_order(handle_interleaved_keys(producer_, topic_, 1));
}

TEST_F(KafkaIntegration, EachKeyIsHandledInOrderWithSeveralIoThreads) {
  expect_every_key_once_in_order(handle_interleaved_keys(producer_, topic_, 3));
}

// Runs 64 events of 64 keys through a handler that takes 5 ms; returns the most calls at once.
int most_handlers_at_once(asio::io_context& io, Producer& producer, const std::string& topic,
                          std::size_t concurrency) {
  std::vector<CloudEvent> events;
  for (int i = 0; i < 64; ++i) events.push_back(make_event(topic, "key-" + std::to_string(i)));
  auto overlap = std::make_shared<Overlap>();
  auto config = testing::consumer_config("g-" + topic, {topic});
  config.concurrency = concurrency;
  Consumer consumer(
      io, config, [overlap](const CloudEvent& e) { return count_overlap(overlap, e); }, producer);
  testing::run(io, publish_all(producer, events));
  consumer.start();
  testing::run(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io, [&] { return consumer.handled() == 64; }));
    co_await consumer.stop();
  }());
  EXPECT_EQ(overlap->done, 64u);
  return overlap->max_running;
}

TEST_F(KafkaIntegration, HandlersOfDifferentKeysRunAtOnceUpToTheConcurrency) {
  const int most = most_handlers_at_once(io_, producer_, topic_, 8);
  EXPECT_GT(most, 1);
  EXPECT_LE(most, 8);
}

TEST_F(KafkaIntegration, ConcurrencyOneHandlesOneMessageAtATime) {
  EXPECT_EQ(most_handlers_at_once(io_, producer_, topic_, 1), 1);
}

TEST_F(KafkaIntegration, CommitStopsBeforeAnUnfinishedMessageWhichComesAgain) {
  // 20 events on partition 0; the one at offset 5 hangs in its handler while the others, all on
  // other lanes, finish.
  constexpr std::size_t kLanes = 4;
  constexpr std::int64_t kSlowOffset = 5;
  auto gate = std::make_shared<Gate>();
  gate->slow_key = "slow";
  std::vector<CloudEvent> events;
  for (int k = 0; events.size() < 20; ++k) {
    if (static_cast<std::int64_t>(events.size()) == kSlowOffset) {
      events.push_back(make_event(topic_, gate->slow_key));
      continue;
    }
    const auto key = "key-" + std::to_string(k);
    if (detail::lane_of(key, 0, kLanes) == detail::lane_of(gate->slow_key, 0, kLanes)) continue;
    events.push_back(make_event(topic_, key));
  }
  const auto group = "g-" + topic_;
  auto config = testing::consumer_config(group, {topic_});
  config.concurrency = kLanes;
  config.stop_timeout = milliseconds(500);  // gives up on the hanging handler
  Consumer first(
      io_, config, [gate](const CloudEvent& e) { return hold_slow(gate, e); }, producer_);
  first.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    for (const auto& e : events) {
      auto message = to_message(e);
      message.partition = 0;
      EXPECT_TRUE(co_await producer_.send(message));
    }
    EXPECT_TRUE(co_await platform::testing::eventually_async(
        io_, [&] { return gate->slow_started && gate->ids.size() == 19; }));
    co_await first.stop();
  }());
  EXPECT_EQ(first.handled(), 19u);
  EXPECT_EQ(committed_offset(group, topic_, 0), kSlowOffset);

  auto seen = std::make_shared<Seen>();
  Consumer second(io_, testing::consumer_config(group, {topic_}), recorder(seen), producer_);
  second.start();
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return second.handled() == 15; }));
    co_await second.stop();
    gate->release = true;  // lets the first consumer's handler return while io_ still runs
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return gate->slow_returned; }));
  }());
  std::vector<std::string> again;
  for (const auto& e : seen->events) again.push_back(e.id);
  std::vector<std::string> expected;
  for (std::size_t i = kSlowOffset; i < events.size(); ++i) expected.push_back(events[i].id);
  std::sort(again.begin(), again.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(again, expected);  // the slow event and everything after it, once each
  EXPECT_EQ(committed_offset(group, topic_, 0), 20);
}

asio::awaitable<void> stop_and_flag(Consumer* consumer, bool* stopped) {
  co_await consumer->stop();
  *stopped = true;
}

TEST_F(KafkaIntegration, StopWaitsForTheHandlerInProgressThenCommitsIt) {
  auto gate = std::make_shared<Gate>();
  gate->slow_key = "slow";
  const auto group = "g-" + topic_;
  Consumer consumer(
      io_, testing::consumer_config(group, {topic_}),
      [gate](const CloudEvent& e) { return hold_slow(gate, e); }, producer_);
  consumer.start();
  bool stopped = false;
  std::chrono::steady_clock::duration stop_after_release{};
  testing::run(io_, [&]() -> asio::awaitable<void> {
    auto message = to_message(make_event(topic_, gate->slow_key));
    message.partition = 0;
    EXPECT_TRUE(co_await producer_.send(message));
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return gate->slow_started; }));
    asio::co_spawn(io_, stop_and_flag(&consumer, &stopped), asio::detached);
    co_await sleep_for(milliseconds(300));
    EXPECT_FALSE(stopped);  // the handler in progress is awaited, not cancelled
    EXPECT_FALSE(gate->slow_returned);
    gate->release = true;
    const auto released = std::chrono::steady_clock::now();
    EXPECT_TRUE(co_await platform::testing::eventually_async(
        io_, [&] { return stopped; }, milliseconds(10000), milliseconds(1)));
    stop_after_release = std::chrono::steady_clock::now() - released;
  }());
  EXPECT_TRUE(gate->slow_returned);
  EXPECT_EQ(consumer.handled(), 1u);
  EXPECT_EQ(committed_offset(group, topic_, 0), 1);  // committed on stop
  // Committing and leaving the group, not a handler's retry backoff or a poll slice.
  EXPECT_LT(stop_after_release, seconds(3));
  std::printf(
      "stop after the handler returned: %lld ms\n",
      static_cast<long long>(std::chrono::duration_cast<milliseconds>(stop_after_release).count()));
}

TEST_F(KafkaIntegration, StopIsPromptWhileALaneWaitsOutARetryBackoff) {
  auto seen = std::make_shared<Seen>();
  seen->fail = true;
  auto config = testing::consumer_config("g-" + topic_, {topic_});
  config.retry_backoff = seconds(60);
  Consumer consumer(io_, config, recorder(seen), producer_);
  consumer.start();
  std::chrono::steady_clock::duration took{};
  testing::run(io_, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await producer_.publish(make_event(topic_, "s-1")));
    EXPECT_TRUE(
        co_await platform::testing::eventually_async(io_, [&] { return seen->attempts == 1; }));
    const auto started = std::chrono::steady_clock::now();
    co_await consumer.stop();
    took = std::chrono::steady_clock::now() - started;
  }());
  EXPECT_EQ(seen->attempts, 1);  // no retry after the stop
  EXPECT_EQ(consumer.handled(), 0u);
  EXPECT_LT(took, seconds(5));  // not the 60 s backoff
  std::printf("stop during a 60 s backoff: %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<milliseconds>(took).count()));
}

TEST_F(KafkaIntegration, PublishToMissingTopicFailsWithinDeadline) {
  auto config = testing::producer_config();
  config.delivery_timeout = milliseconds(1000);
  Producer producer(config);
  auto event = make_event("missing-" + topic_, "s-4");
  auto status = testing::run(io_, producer.publish(event));
  ASSERT_FALSE(status);
  EXPECT_TRUE(status.error().code == Errc::timeout || status.error().code == Errc::unavailable);
}

}  // namespace
}  // namespace platform::kafka
