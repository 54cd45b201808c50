#include "platform/app/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <stdexcept>

#include "contracts/topics.hpp"
#include "platform/app/give_way.hpp"
#include "platform/config.hpp"
#include "platform/http/auth.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/idempotency/idempotency.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/pg/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "platform/process.hpp"
#include "platform/redis/client.hpp"

namespace platform::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
// Initialised before the members that read it (the front io_context's concurrency hint).
int http_threads_from_env() {
  return static_cast<int>(config::get_int("HTTP_THREADS", 1, 1, 64));
}

const ServiceSpec& checked(const ServiceSpec& spec) {
  if (spec.name.empty()) throw std::invalid_argument("service name is empty");
  platform::log::init(spec.name);
  ensure_topics(spec.topics);
  return spec;
}
}  // namespace

struct Service::Impl {
  explicit Impl(ServiceSpec s)
      : spec(checked(s)),
        http_threads(http_threads_from_env()),
        producer(kafka::ProducerConfig::from_env()),
        front_io(http_threads),
        front_redis(front_io, redis::RedisConfig::from_env()),
        idempotency(front_redis, spec.name + ":idempotency:"),
        verifier(http::JwtConfig::from_env()),
        server(front_io, http::ServerConfig::from_env(spec.port), router, &verifier),
        back_redis(back_io, redis::RedisConfig::from_env()),
        give_way([this] { return server.requests_in_flight(); }, GiveWayConfig::from_env()),
        group_prefix(config::get_string("KAFKA_GROUP_PREFIX", "")),
        background_nice(static_cast<int>(config::get_int("BACKGROUND_NICE", 5, 0, 19))) {
    // One pool per half: a pool's connections wait on the io_context it was made with, and a
    // coroutine of the other half awaiting them would touch them from two threads at once.
    if (spec.postgres) {
      pool.emplace(front_io, pg::PoolConfig::from_env());
      back_pool.emplace(back_io, pg::PoolConfig::from_env());
    }
  }

  asio::awaitable<void> stop_background() {
    for (auto& consumer : consumers) co_await consumer->stop();
    for (auto& relay : redis_relays) co_await relay->stop();
    for (auto& relay : pg_relays) co_await relay->stop();
    for (auto& hook : shutdown_hooks) co_await hook();
    back_redis.stop();
  }

  // Stop accepting, drain requests, finish the events in hand, flush the producer.
  asio::awaitable<void> shutdown() {
    spdlog::info("shutting down");
    co_await server.shutdown();
    co_await asio::co_spawn(back_io, stop_background(), asio::use_awaitable);
    if (auto flushed = producer.flush(10s); !flushed) {
      spdlog::warn("producer flush: {}", flushed.error().message);
    }
    front_redis.stop();
  }

  ServiceSpec spec;
  SystemClock clock;
  int http_threads;
  kafka::Producer producer;
  asio::io_context front_io;
  redis::RedisClient front_redis;
  idempotency::IdempotencyStore idempotency;
  http::Router router;
  http::JwtVerifier verifier;
  http::HttpServer server;
  asio::io_context back_io;
  redis::RedisClient back_redis;
  GiveWay give_way;
  std::string group_prefix;
  int background_nice;
  std::optional<pg::Pool> pool;
  std::optional<pg::Pool> back_pool;
  std::vector<std::unique_ptr<outbox::RedisOutboxRelay>> redis_relays;
  std::vector<std::unique_ptr<pg::PgOutboxRelay>> pg_relays;
  std::vector<std::unique_ptr<kafka::Consumer>> consumers;
  std::vector<std::function<asio::awaitable<void>()>> shutdown_hooks;
};

Service::Service(ServiceSpec spec) : impl_(std::make_unique<Impl>(std::move(spec))) {}
Service::~Service() = default;

const ServiceSpec& Service::spec() const {
  return impl_->spec;
}
asio::io_context& Service::io() {
  return impl_->front_io;
}
http::Router& Service::router() {
  return impl_->router;
}
redis::RedisClient& Service::redis() {
  return impl_->front_redis;
}
idempotency::IdempotencyStore& Service::idempotency() {
  return impl_->idempotency;
}
asio::io_context& Service::background_io() {
  return impl_->back_io;
}
redis::RedisClient& Service::background_redis() {
  return impl_->back_redis;
}
kafka::Producer& Service::producer() {
  return impl_->producer;
}
const Clock& Service::clock() const {
  return impl_->clock;
}

pg::Pool& Service::postgres() {
  if (!impl_->pool) throw std::logic_error(impl_->spec.name + " did not ask for PostgreSQL");
  return *impl_->pool;
}

pg::Pool& Service::background_postgres() {
  if (!impl_->back_pool) throw std::logic_error(impl_->spec.name + " did not ask for PostgreSQL");
  return *impl_->back_pool;
}

void Service::relay_redis_outbox() {
  auto& d = *impl_;
  auto config = outbox::RelayConfig::from_env(d.spec.name);
  config.before_batch = [&give_way = d.give_way] {
    return give_way.wait();
  };
  d.redis_relays.push_back(
      std::make_unique<outbox::RedisOutboxRelay>(d.back_io, d.back_redis, d.producer, config));
}

void Service::relay_postgres_outbox(std::string schema) {
  auto& d = *impl_;
  const auto settings = outbox::RelayConfig::from_env(d.spec.name);
  pg::RelayConfig config{.schema = std::move(schema),
                         .batch = settings.batch,
                         .poll_interval = settings.poll_interval,
                         .stop_timeout = settings.stop_timeout};
  d.pg_relays.push_back(std::make_unique<pg::PgOutboxRelay>(d.back_io, background_postgres(),
                                                            d.producer, std::move(config)));
}

void Service::consume(std::string purpose, std::vector<std::string> topics,
                      kafka::Handler handler) {
  auto& d = *impl_;
  auto group = d.group_prefix + d.spec.name;
  if (!purpose.empty()) group += "-" + purpose;
  auto after_giving_way = [&give_way = d.give_way, handler = std::move(handler)](
                              const CloudEvent& event) -> asio::awaitable<Status> {
    co_await give_way.wait();
    co_return co_await handler(event);
  };
  d.consumers.push_back(std::make_unique<kafka::Consumer>(
      d.back_io, kafka::ConsumerConfig::from_env(std::move(group), std::move(topics)),
      std::move(after_giving_way), d.producer));
}

void Service::add_readiness_check(std::string name, std::function<asio::awaitable<bool>()> check) {
  impl_->server.add_readiness_check(std::move(name), std::move(check));
}

void Service::on_shutdown(std::function<asio::awaitable<void>()> stop) {
  impl_->shutdown_hooks.push_back(std::move(stop));
}

int Service::run() {
  auto& d = *impl_;
  d.server.add_readiness_check("redis", [&d] { return d.front_redis.ping(); });
  d.server.add_readiness_check(
      "kafka", [&d]() -> asio::awaitable<bool> { co_return d.producer.brokers_reachable(); });
  if (d.pool) {
    d.server.add_readiness_check("postgres", [&d]() -> asio::awaitable<bool> {
      auto answered = co_await d.pool->query("SELECT 1");
      co_return answered.has_value();
    });
  }

  d.server.start();
  for (auto& relay : d.redis_relays) relay->start();
  for (auto& relay : d.pg_relays) relay->start();
  for (auto& consumer : d.consumers) consumer->start();
  spdlog::info("{} listening on port {}", d.spec.name, d.server.port());

  process::on_shutdown_signal(d.front_io,
                              [&d] { asio::co_spawn(d.front_io, d.shutdown(), asio::detached); });
  auto back_thread = process::run_io_in_background(d.back_io, d.background_nice);
  process::run_io(d.front_io, d.http_threads);
  back_thread.join();
  spdlog::info("stopped");
  return 0;
}

void ensure_topics(const std::vector<std::string>& topics, std::chrono::milliseconds timeout) {
  if (topics.empty()) return;
  const auto brokers = config::get_string("KAFKA_BROKERS", "127.0.0.1:9092");
  const auto partitions =
      static_cast<int>(config::get_int("KAFKA_PARTITIONS", contracts::kTopicPartitions, 1, 1024));
  if (auto created = kafka::ensure_topics(brokers, topics, partitions, timeout,
                                          contracts::kDeadLetterPartitions);
      !created) {
    throw std::runtime_error("cannot create topics: " + created.error().message);
  }
}

}  // namespace platform::app
