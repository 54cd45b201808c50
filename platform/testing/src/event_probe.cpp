#include "platform/testing/event_probe.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <mutex>
#include <thread>

#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"

namespace platform::testing {

struct EventProbe::Impl {
  mutable std::mutex mutex;
  std::vector<CloudEvent> seen;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  kafka::Producer dlq;
  kafka::Consumer consumer;
  std::thread thread;

  explicit Impl(std::vector<std::string> topics)
      : dlq(producer_config()),
        consumer(
            io, consumer_config("probe-" + unique_suffix(), std::move(topics)),
            [this](const CloudEvent& event) -> boost::asio::awaitable<Status> {
              std::lock_guard lock(mutex);
              seen.push_back(event);
              co_return Status{};
            },
            dlq) {
    consumer.start();
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    auto stopped = boost::asio::co_spawn(io, consumer.stop(), boost::asio::use_future);
    stopped.wait_for(std::chrono::seconds(20));
    work.reset();
    io.stop();
    thread.join();
  }
};

EventProbe::EventProbe(std::vector<std::string> topics)
    : impl_(std::make_unique<Impl>(std::move(topics))) {}

EventProbe::~EventProbe() = default;

std::vector<CloudEvent> EventProbe::events() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

std::vector<CloudEvent> EventProbe::matching(
    const std::function<bool(const CloudEvent&)>& filter) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<CloudEvent> out;
  for (const auto& event : impl_->seen) {
    if (filter(event)) out.push_back(event);
  }
  return out;
}

}  // namespace platform::testing
