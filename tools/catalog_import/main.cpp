// The catalog import's composition root (SPEC.md decision 3; format in tools/catalog/README.md).
//   catalog_import FILE.jsonl [--dry-run]
// Checks the whole file (nothing is written if any line is bad), writes new and changed products
// with their events to Redis (catalog:product:{sku} + outbox:catalog), then relays the outbox to
// catalog-events until it is empty. --dry-run only checks the file.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog_changes.hpp"
#include "catalog_file.hpp"
#include "catalog_store.hpp"
#include "importer.hpp"
#include "platform/config.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/client.hpp"

namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kRedisConnectTimeout{5000};
constexpr const char* kUsage = "usage: catalog_import FILE.jsonl [--dry-run]\n";

template <class T>
T run(asio::io_context& io, asio::awaitable<T> task) {
  auto future = asio::co_spawn(io, std::move(task), asio::use_future);
  io.restart();
  while (future.wait_for(0s) != std::future_status::ready) io.run_one_for(50ms);
  return future.get();
}

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  return std::max(1ms,
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

asio::awaitable<platform::Result<catalog_import::ImportSummary>> write_products(
    platform::redis::RedisClient& redis, catalog_import::CatalogImporter& importer,
    std::vector<cart::Product> products) {
  // Awaited outside the condition: g++ 12 miscompiles co_await on a temporary inside an if.
  const bool connected = co_await redis.wait_connected(kRedisConnectTimeout);
  if (!connected) {
    co_return platform::make_error(platform::Errc::unavailable, "redis unavailable");
  }
  co_return co_await importer.import(std::move(products));
}

asio::awaitable<platform::Status> relay_until_drained(platform::outbox::RedisOutboxRelay& relay,
                                                      catalog_import::CatalogStore& store,
                                                      std::chrono::milliseconds timeout) {
  relay.start();
  auto drained = co_await catalog_import::wait_until_drained(store, timeout);
  co_await relay.stop();
  co_return drained;
}

int import_file(const std::string& path, bool dry_run) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot read the file\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto file = catalog_import::parse_catalog(text.str());
  if (!file.errors.empty()) {
    for (const auto& error : file.errors) {
      std::cerr << catalog_import::format_error(path, error) << "\n";
    }
    std::cerr << path << ": " << file.errors.size() << " bad line(s), nothing imported\n";
    return 1;
  }
  const auto total = file.products.size();
  if (dry_run) {
    std::cout << path << ": " << total << " products valid (dry run, nothing written)\n";
    return 0;
  }

  platform::log::init("catalog_import");
  const auto timeout = platform::config::get_millis("CATALOG_IMPORT_TIMEOUT_MS", 60000ms);
  const auto brokers = platform::config::get_string("KAFKA_BROKERS", "127.0.0.1:9092");
  const auto partitions = platform::kafka::partitions_from_env();
  const auto relay_config = platform::outbox::RelayConfig::from_env("catalog");

  asio::io_context io;
  platform::redis::RedisClient redis(io, platform::redis::RedisConfig::from_env());
  platform::SystemClock clock;
  catalog_import::CatalogStore store(redis, relay_config.stream);
  catalog_import::CatalogImporter importer(store, clock);

  auto summary = run(io, write_products(redis, importer, std::move(file.products)));
  if (!summary) {
    std::cerr << "import failed, nothing more written: " << summary.error().message << "\n";
    return 1;
  }
  // From here on the changes are in Redis; whatever is not published now stays in the outbox
  // and is published by the next run.
  const auto deadline = Clock::now() + timeout;
  if (auto created = platform::kafka::ensure_topics(brokers, {catalog_import::kCatalogTopic},
                                                    partitions, remaining(deadline));
      !created) {
    std::cerr << "cannot create topic " << catalog_import::kCatalogTopic << ": "
              << created.error().message << "; the next run publishes the outbox\n";
    return 1;
  }
  platform::kafka::Producer producer(platform::kafka::ProducerConfig::from_env());
  catalog_import::CountingPublisher publisher(producer);
  platform::outbox::RedisOutboxRelay relay(io, redis, publisher, relay_config);
  auto drained = run(io, relay_until_drained(relay, store, remaining(deadline)));
  if (auto flushed = producer.flush(5s); !flushed) {
    std::cerr << "producer flush: " << flushed.error().message << "\n";
  }
  redis.stop();

  std::cout << total << " products: " << summary->added << " added, " << summary->updated
            << " updated, " << summary->unchanged << " unchanged; " << publisher.published()
            << " events published\n";
  if (!drained) {
    std::cerr << "outbox not drained within " << timeout.count()
              << " ms: " << drained.error().message << "; the next run publishes the rest\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  bool dry_run = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--dry-run") {
      dry_run = true;
    } else if (path.empty() && !arg.starts_with("-")) {
      path = arg;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (path.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    return import_file(path, dry_run);
  } catch (const std::exception& e) {
    // Startup and configuration failures (bad environment values, librdkafka config).
    std::cerr << "catalog_import: " << e.what() << "\n";
    return 1;
  }
}
