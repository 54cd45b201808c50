#pragma once
// The service skeleton: what every service's main() would otherwise repeat, and nothing of any
// domain. A service builds its own objects in main() and hands them over; there is no container.
//
//   int main(int argc, char** argv) {
//     return platform::app::run_main(argc, argv, {.name = "shipping", .port = 8102,
//                                                 .topics = {...}}, wire, admin_commands);
//   }
//
// A Service is two halves sharing one Kafka producer:
//   front: the HTTP server, its router and one Redis connection, on io() run by HTTP_THREADS
//          threads (default 1); idempotency records under "<name>:idempotency:".
//   back:  outbox relays and event consumers on background_io(), one thread at a lower CPU
//          priority (BACKGROUND_NICE, 5) with its own Redis connection; each relay batch and each
//          event first gives way to requests while the server is busy (GiveWay,
//          BACKGROUND_GIVE_WAY_AT / BACKGROUND_PASS_INTERVAL_MS).
// Construction (throws std::runtime_error / std::invalid_argument on bad configuration or an
// unreachable broker; run_main logs it and exits 1): JSON logging, the topics and their ".dlq"
// twins with the partition counts of contracts/asyncapi.yaml, the producer, the JWT verifier, both
// Redis connections, the PostgreSQL pool when asked for. Readiness: Redis, Kafka (and PostgreSQL).
// run(): starts everything, serves until SIGTERM or SIGINT, then shuts down in order: stop
// accepting and drain requests, stop consumers (finish events in hand, commit) and relays, flush
// the producer, close the connections. Everything registered must be registered before run();
// objects handed over (handlers' captures) must outlive run().
// Thread-safety: configure from one thread before run(); the accessors' objects document their own.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/clock.hpp"
#include "platform/kafka/consumer.hpp"

namespace boost::asio {
class io_context;
}
namespace platform::http {
class Router;
}
namespace platform::redis {
class RedisClient;
}
namespace platform::idempotency {
class IdempotencyStore;
}
namespace platform::kafka {
class Producer;
}
namespace platform::pg {
class Pool;
}

namespace platform::app {

struct ServiceSpec {
  // Lower-case service name: log field, outbox stream "outbox:<name>", consumer groups
  // "<KAFKA_GROUP_PREFIX><name>[-<purpose>]", idempotency prefix "<name>:idempotency:".
  std::string name;
  std::uint16_t port = 0;           // HTTP_PORT's default (SPEC.md ports)
  std::vector<std::string> topics;  // created at start, with their ".dlq": published and consumed
  bool postgres = false;            // open the PostgreSQL pool (PG_*) and check it in /readyz
};

class Service {
 public:
  explicit Service(ServiceSpec spec);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  const ServiceSpec& spec() const;

  // The front half.
  boost::asio::io_context& io();
  http::Router& router();
  redis::RedisClient& redis();
  idempotency::IdempotencyStore& idempotency();
  // The back half.
  boost::asio::io_context& background_io();
  redis::RedisClient& background_redis();
  // Shared.
  kafka::Producer& producer();
  const Clock& clock() const;
  // Throws std::logic_error unless the spec asked for PostgreSQL. Runs on the front half.
  pg::Pool& postgres();
  // The back half's own pool (same PG_* settings): a pool is awaited only from coroutines of the
  // io_context it was made with.
  pg::Pool& background_postgres();

  // Relays "outbox:<name>" (platform/outbox, OUTBOX_* settings) on the back half.
  void relay_redis_outbox();
  // Relays <schema>.outbox (platform/pg) on the back half (its pool), with the same OUTBOX_*
  // settings.
  void relay_postgres_outbox(std::string schema);
  // A consumer group "<KAFKA_GROUP_PREFIX><name>" (or "...<name>-<purpose>" when `purpose` is not
  // empty: a service with two consumers of different purposes) over `topics`, on the back half,
  // dead letters to "<topic>.dlq"; `handler` runs after giving way to requests.
  void consume(std::string purpose, std::vector<std::string> topics, kafka::Handler handler);
  // Added to /readyz next to Redis, Kafka (and PostgreSQL).
  void add_readiness_check(std::string name, std::function<boost::asio::awaitable<bool>()> check);
  // Awaited on the back half during shutdown, after the consumers and relays stopped (e.g. a
  // service's own background loop).
  void on_shutdown(std::function<boost::asio::awaitable<void>()> stop);

  // Serves until SIGTERM/SIGINT (see above); returns the process exit code.
  int run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Creates `topics` and their ".dlq" twins when missing (contracts/asyncapi.yaml's partition
// counts; KAFKA_PARTITIONS overrides the main topics' count) on KAFKA_BROKERS. Throws
// std::runtime_error when the broker cannot be reached within `timeout`.
void ensure_topics(const std::vector<std::string>& topics,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace platform::app
