// Against a real broker (KAFKA_BROKERS): envelope round trip, poison messages and retries to DLQ.
#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

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
