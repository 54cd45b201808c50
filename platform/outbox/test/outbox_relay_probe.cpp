// Test helper: runs a RedisOutboxRelay in its own process so a test can SIGKILL it.
// Env: PROBE_SERVICE (stream outbox:<service>), REDIS_HOST/REDIS_PORT, KAFKA_BROKERS, OUTBOX_*;
// PROBE_HOLD_AFTER_PUBLISH=1 makes it hang after the broker acked an entry, before XDEL.
// Prints "published <event id>" after each acked publish. SIGTERM stops it gracefully.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>

#include "platform/config.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/client.hpp"

namespace asio = boost::asio;
using namespace platform;

class AnnouncingPublisher final : public outbox::EventPublisher {
 public:
  AnnouncingPublisher(asio::io_context& io, outbox::EventPublisher& inner, bool hold)
      : io_(io), inner_(inner), hold_(hold) {}

  asio::awaitable<Status> publish(CloudEvent event) override {
    auto id = event.id;
    auto status = co_await inner_.publish(std::move(event));
    if (status) {
      std::printf("published %s\n", id.c_str());
      std::fflush(stdout);
      if (hold_) {
        asio::steady_timer timer(io_, std::chrono::seconds(60));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
    }
    co_return status;
  }

 private:
  asio::io_context& io_;
  outbox::EventPublisher& inner_;
  bool hold_;
};

asio::awaitable<void> shutdown(asio::io_context& io, outbox::RedisOutboxRelay& relay) {
  co_await relay.stop();
  io.stop();
}

int main() {
  asio::io_context io;
  redis::RedisClient redis(io, redis::RedisConfig::from_env());
  kafka::Producer producer(kafka::ProducerConfig::from_env());
  AnnouncingPublisher publisher(io, producer, config::get_bool("PROBE_HOLD_AFTER_PUBLISH", false));
  outbox::RedisOutboxRelay relay(
      io, redis, publisher,
      outbox::RelayConfig::from_env(config::get_string("PROBE_SERVICE", "probe")));
  relay.start();
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code, int) {
    asio::co_spawn(io, shutdown(io, relay), asio::detached);
  });
  io.run();
  return 0;
}
