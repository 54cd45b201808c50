#include "platform/kafka/producer.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "platform/config.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace platform::kafka {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

ProducerConfig ProducerConfig::from_env() {
  ProducerConfig c;
  c.brokers = config::get_string("KAFKA_BROKERS", c.brokers);
  c.client_id = config::get_string("KAFKA_CLIENT_ID", c.client_id);
  c.linger = std::chrono::milliseconds(config::get_int("KAFKA_LINGER_MS", 5, 0, 60000));
  c.delivery_timeout =
      std::chrono::milliseconds(config::get_int("KAFKA_DELIVERY_TIMEOUT_MS", 10000, 100, 3600000));
  return c;
}

namespace detail {
// Lives until both the awaiting coroutine and the delivery report are done with it.
struct Delivery {
  Delivery(const asio::any_io_executor& ex, metrics::Counter& ok, metrics::Counter& error)
      : channel(ex, 1), delivered(ok), failed(error) {}
  asio::experimental::concurrent_channel<void(boost::system::error_code, Status)> channel;
  // The record's kafka_produced_total series, resolved when it was produced.
  metrics::Counter& delivered;
  metrics::Counter& failed;
};
}  // namespace detail

namespace {
using detail::Delivery;

Status map_delivery_error(RdKafka::ErrorCode err) {
  if (err == RdKafka::ERR_NO_ERROR) return {};
  auto msg = "kafka delivery failed: " + RdKafka::err2str(err);
  if (err == RdKafka::ERR__MSG_TIMED_OUT || err == RdKafka::ERR__TIMED_OUT) {
    return make_error(Errc::timeout, msg, "kafka_timeout");
  }
  return make_error(Errc::unavailable, msg, "kafka_unavailable");
}

class DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto* delivery = static_cast<std::shared_ptr<Delivery>*>(message.msg_opaque());
    if (delivery == nullptr) return;  // every record is produced with one
    auto status = map_delivery_error(message.err());
    ((status ? (*delivery)->delivered : (*delivery)->failed)).inc();
    (*delivery)->channel.try_send(boost::system::error_code{}, status);
    delete delivery;
  }
};

}  // namespace

struct Producer::Impl {
  ProducerConfig config;
  DeliveryReports reports;
  // kafka_produced_total{topic,result}, each series resolved once per topic.
  metrics::CounterFamily delivered{
      "kafka_produced_total", "Records produced, by delivery result", "topic", {{"result", "ok"}}};
  metrics::CounterFamily failed{"kafka_produced_total",
                                "Records produced, by delivery result",
                                "topic",
                                {{"result", "error"}}};
  std::unique_ptr<RdKafka::Producer> producer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> reachable{false};
  std::thread poller;

  // A metadata request (brokers only) answers whether the cluster is reachable right now.
  void probe_brokers() {
    RdKafka::Metadata* metadata = nullptr;
    const auto err = producer->metadata(false, nullptr, &metadata, 1000);
    reachable =
        err == RdKafka::ERR_NO_ERROR && metadata != nullptr && !metadata->brokers()->empty();
    delete metadata;
  }
};

Producer::Producer(ProducerConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  const auto& c = impl_->config;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  auto set = [&](const std::string& name, const std::string& value) {
    if (conf->set(name, value, err) != RdKafka::Conf::CONF_OK) {
      throw std::runtime_error("kafka producer config " + name + ": " + err);
    }
  };
  set("bootstrap.servers", c.brokers);
  set("client.id", c.client_id);
  set("enable.idempotence", "true");
  set("acks", "all");
  set("linger.ms", std::to_string(c.linger.count()));
  set("message.timeout.ms", std::to_string(c.delivery_timeout.count()));
  if (conf->set("dr_cb", &impl_->reports, err) != RdKafka::Conf::CONF_OK) {
    throw std::runtime_error("kafka producer dr_cb: " + err);
  }
  impl_->producer.reset(RdKafka::Producer::create(conf.get(), err));
  if (!impl_->producer) throw std::runtime_error("kafka producer: " + err);
  impl_->probe_brokers();
  impl_->poller = std::thread([impl = impl_.get()] {
    auto next_probe = std::chrono::steady_clock::now();
    while (!impl->stopping.load()) {
      impl->producer->poll(100);
      if (std::chrono::steady_clock::now() >= next_probe) {
        impl->probe_brokers();
        next_probe = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      }
    }
  });
}

Producer::~Producer() {
  auto flushed = flush(impl_->config.delivery_timeout);
  if (!flushed) spdlog::warn("kafka producer closing with undelivered records");
  impl_->stopping = true;
  impl_->poller.join();
  // Fail what is left so every pending publish() gets its report and its state is freed.
  impl_->producer->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  impl_->producer->poll(0);
}

bool Producer::brokers_reachable() const {
  return impl_->reachable.load();
}

Status Producer::flush(std::chrono::milliseconds timeout) {
  auto err = impl_->producer->flush(static_cast<int>(timeout.count()));
  if (err != RdKafka::ERR_NO_ERROR) {
    return make_error(Errc::timeout, "kafka flush: " + RdKafka::err2str(err), "kafka_timeout");
  }
  return {};
}

asio::awaitable<Status> Producer::publish(CloudEvent event) {
  co_return co_await send(to_message(event));
}

// Hands one record to librdkafka; its delivery report arrives on the returned channel.
Result<std::shared_ptr<Delivery>> Producer::produce(const Message& message,
                                                    const asio::any_io_executor& ex) {
  auto& failed = impl_->failed.at(message.topic);
  auto delivery = std::make_shared<Delivery>(ex, impl_->delivered.at(message.topic), failed);
  auto* headers = RdKafka::Headers::create();
  for (const auto& [name, value] : message.headers) headers->add(name, value);
  auto* opaque = new std::shared_ptr<Delivery>(delivery);
  auto err = impl_->producer->produce(
      message.topic, message.partition < 0 ? RdKafka::Topic::PARTITION_UA : message.partition,
      RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(message.value.data()), message.value.size(),
      message.key.empty() ? nullptr : message.key.data(), message.key.size(), 0, headers, opaque);
  if (err != RdKafka::ERR_NO_ERROR) {
    // On failure librdkafka keeps ownership with us.
    delete headers;
    delete opaque;
    failed.inc();
    auto code = err == RdKafka::ERR__QUEUE_FULL ? Errc::unavailable : Errc::invalid;
    return make_error(code, "kafka produce to " + message.topic + ": " + RdKafka::err2str(err),
                      "kafka_produce");
  }
  return delivery;
}

asio::awaitable<Status> Producer::await_delivery(std::shared_ptr<Delivery> delivery,
                                                 std::string topic) {
  // librdkafka reports within message.timeout.ms; the timer is a backstop.
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           impl_->config.delivery_timeout + std::chrono::seconds(2));
  auto result = co_await (delivery->channel.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                          timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (result.index() == 0) {
    auto [ec, status] = std::get<0>(std::move(result));
    if (!ec) co_return status;
  }
  co_return make_error(Errc::timeout, "kafka delivery report for " + topic + " timed out",
                       "kafka_timeout");
}

asio::awaitable<Status> Producer::send(Message message) {
  auto delivery = produce(message, co_await asio::this_coro::executor);
  if (!delivery) co_return delivery.error();
  co_return co_await await_delivery(std::move(*delivery), message.topic);
}

asio::awaitable<std::vector<Status>> Producer::publish_all(std::vector<CloudEvent> events) {
  const auto ex = co_await asio::this_coro::executor;
  std::vector<Result<std::shared_ptr<Delivery>>> deliveries;
  deliveries.reserve(events.size());
  for (const auto& event : events) deliveries.push_back(produce(to_message(event), ex));
  std::vector<Status> results;
  results.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!deliveries[i]) {
      results.emplace_back(deliveries[i].error());
    } else {
      results.push_back(co_await await_delivery(std::move(*deliveries[i]), events[i].topic));
    }
  }
  co_return results;
}

}  // namespace platform::kafka
