// The Cart service's composition root.
//   cart_service                      serve HTTP, relay the outbox, consume catalog and cart events
//   cart_service rebuild-view USER_ID rebuild cart:view and cart:counter from cart:events
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <iostream>

#include "cart_service.hpp"
#include "event_handlers.hpp"
#include "events.hpp"
#include "http_api.hpp"
#include "platform/config.hpp"
#include "platform/http/auth.hpp"
#include "platform/http/give_way.hpp"
#include "platform/http/server.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/client.hpp"

namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr std::uint16_t kDefaultPort = 8101;

// A Redis connection on `io` and the cart's use cases over it.
struct CartOnRedis {
  CartOnRedis(asio::io_context& io, const cart::CartConfig& config, const platform::Clock& clock)
      : redis(io, platform::redis::RedisConfig::from_env()),
        store(redis, config.outbox_stream, config.cart_ttl),
        service(store, config, clock) {}

  platform::redis::RedisClient redis;
  cart::CartStore store;
  cart::CartService service;
};

// `handle`, run once the front's requests have had their turn (see GiveWay).
template <class Handle>
platform::kafka::Handler after_giving_way(platform::http::GiveWay& give_way, Handle handle) {
  return [&give_way, handle](const platform::CloudEvent& e) -> asio::awaitable<platform::Status> {
    co_await give_way.wait();
    co_return co_await handle(e);
  };
}

int rebuild_view(const std::string& user_id) {
  asio::io_context io;
  platform::SystemClock clock;
  CartOnRedis cart(io, cart::CartConfig::from_env(), clock);
  auto rebuild = [&]() -> asio::awaitable<platform::Result<cart::Cart>> {
    const bool connected = co_await cart.redis.wait_connected(5s);
    if (!connected) {
      co_return platform::make_error(platform::Errc::unavailable, "redis unavailable");
    }
    co_return co_await cart.service.rebuild_view(user_id);
  };
  auto pending = asio::co_spawn(io, rebuild(), asio::use_future);
  // The Redis client keeps the io_context busy, so run it only until the rebuild is done.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (pending.wait_for(0s) != std::future_status::ready &&
         std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(50ms);
  }
  if (pending.wait_for(0s) != std::future_status::ready) {
    std::cerr << "rebuild timed out\n";
    return 1;
  }
  auto rebuilt = pending.get();
  cart.redis.stop();
  if (!rebuilt) {
    std::cerr << "rebuild failed: " << rebuilt.error().message << "\n";
    return 1;
  }
  std::cout << "rebuilt cart of " << user_id << ": " << rebuilt->lines.size() << " lines, "
            << rebuilt->item_count() << " items, version " << rebuilt->version << "\n";
  return 0;
}

int serve() {
  platform::log::init("cart");
  const auto config = cart::CartConfig::from_env();
  const auto brokers = platform::config::get_string("KAFKA_BROKERS", "127.0.0.1:9092");
  if (auto created =
          platform::kafka::ensure_topics(brokers, {cart::kCartTopic, cart::kCatalogTopic},
                                         platform::kafka::partitions_from_env(), 30s);
      !created) {
    spdlog::critical("cannot create topics: {}", created.error().message);
    return 1;
  }

  // Two halves, each with its own io_context, thread and Redis connection, sharing only the
  // Kafka producer: the front serves customers; the back relays the outbox and consumes events
  // (enrichment, repricing) at a lower CPU priority, so a burst of adds is answered first and
  // its background work catches up right after.
  platform::kafka::Producer producer(platform::kafka::ProducerConfig::from_env());
  platform::SystemClock clock;

  // The concurrency hint lets Asio skip cross-thread hand-offs when one thread serves (default).
  const auto http_threads = static_cast<int>(platform::config::get_int("HTTP_THREADS", 1, 1, 64));
  asio::io_context front_io(http_threads);
  CartOnRedis front(front_io, config, clock);
  platform::idempotency::IdempotencyStore idempotency(front.redis, "cart:idempotency:");
  platform::http::Router router;
  cart::CartHttpApi api(front.service, idempotency);
  api.register_routes(router);
  platform::http::JwtVerifier verifier(platform::http::JwtConfig::from_env());
  platform::http::HttpServer server(front_io, platform::http::ServerConfig::from_env(kDefaultPort),
                                    router, &verifier);

  asio::io_context back_io;
  CartOnRedis back(back_io, config, clock);
  cart::EventHandlers handlers(back.service);
  // While the front is busy, relay batches and events go one at a time, a few milliseconds apart.
  platform::http::GiveWay give_way(server, platform::http::GiveWayConfig::from_env());
  auto relay_config = platform::outbox::RelayConfig::from_env("cart");
  relay_config.before_batch = [&give_way] {
    return give_way.wait();
  };
  platform::outbox::RedisOutboxRelay relay(back_io, back.redis, producer, relay_config);
  // KAFKA_GROUP_PREFIX lets tests run isolated instances against one broker.
  const auto group_prefix = platform::config::get_string("KAFKA_GROUP_PREFIX", "");
  platform::kafka::Consumer catalog_consumer(
      back_io,
      platform::kafka::ConsumerConfig::from_env(group_prefix + "cart-catalog",
                                                {cart::kCatalogTopic}),
      after_giving_way(give_way,
                       [&handlers](const auto& e) { return handlers.on_catalog_event(e); }),
      producer);
  platform::kafka::Consumer enrichment_consumer(
      back_io,
      platform::kafka::ConsumerConfig::from_env(group_prefix + "cart-enrichment",
                                                {cart::kCartTopic}),
      after_giving_way(give_way, [&handlers](const auto& e) { return handlers.on_cart_event(e); }),
      producer);

  server.add_readiness_check("redis", [&front] { return front.redis.ping(); });
  server.add_readiness_check(
      "kafka", [&producer]() -> asio::awaitable<bool> { co_return producer.brokers_reachable(); });

  server.start();
  relay.start();
  catalog_consumer.start();
  enrichment_consumer.start();
  spdlog::info("cart listening on port {}", server.port());

  // Stop accepting, drain requests, finish the events in hand, flush the producer.
  auto stop_back = [&]() -> asio::awaitable<void> {
    co_await enrichment_consumer.stop();
    co_await catalog_consumer.stop();
    co_await relay.stop();
    back.redis.stop();
  };
  auto shutdown = [&]() -> asio::awaitable<void> {
    spdlog::info("shutting down");
    co_await server.shutdown();
    co_await asio::co_spawn(back_io, stop_back(), asio::use_awaitable);
    if (auto flushed = producer.flush(10s); !flushed) {
      spdlog::warn("producer flush: {}", flushed.error().message);
    }
    front.redis.stop();
  };
  platform::http::on_shutdown_signal(front_io,
                                     [&] { asio::co_spawn(front_io, shutdown(), asio::detached); });
  auto back_thread = platform::http::run_io_in_background(
      back_io, static_cast<int>(platform::config::get_int("BACKGROUND_NICE", 5, 0, 19)));
  // One front I/O thread by default: every request hops to the Redis connection's strand, and on
  // a small machine shared with Redis and Kafka the cross-thread hand-offs cost more than a
  // second thread gains (bench/cart.sh: GET /cart about 50k req/s with 1 thread, 22k with 2).
  platform::http::run_io(front_io, http_threads);
  back_thread.join();
  spdlog::info("stopped");
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && std::string_view(argv[1]) == "rebuild-view") return rebuild_view(argv[2]);
    if (argc != 1) {
      std::cerr << "usage: cart_service [rebuild-view USER_ID]\n";
      return 2;
    }
    return serve();
  } catch (const std::exception& e) {
    std::cerr << "cart_service: " << e.what() << "\n";
    return 1;
  }
}
