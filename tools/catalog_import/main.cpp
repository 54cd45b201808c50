// The catalog import's composition root (SPEC.md decision 3; format in tools/catalog/README.md).
//   catalog_import FILE.jsonl [--dry-run]
// Checks the whole file (nothing is written if any line is bad), writes new and changed products
// with their events to Redis (catalog:product:{sku} + outbox:catalog), then relays the outbox to
// catalog-events until it is empty. --dry-run only checks the file.
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "catalog_changes.hpp"
#include "catalog_file.hpp"
#include "catalog_store.hpp"
#include "contracts/topics.hpp"
#include "importer.hpp"
#include "platform/app/service.hpp"
#include "platform/app/task.hpp"
#include "platform/config.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/outbox/redis_outbox.hpp"

namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage = "usage: catalog_import FILE.jsonl [--dry-run]\n";

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  return std::max(1ms,
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

asio::awaitable<platform::Status> write_products(
    catalog_import::CatalogImporter& importer, std::vector<contracts::Product> products,
    std::optional<catalog_import::ImportSummary>& out) {
  auto summary = co_await importer.import(std::move(products));
  if (!summary) co_return summary.error();
  out = *summary;
  co_return platform::Status{};
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
  const auto deadline = Clock::now() + timeout;
  const auto relay_config = platform::outbox::RelayConfig::from_env("catalog");

  platform::app::Task task;
  catalog_import::CatalogStore store(task.redis(), relay_config.stream);
  catalog_import::CatalogImporter importer(store, task.clock());
  std::optional<catalog_import::ImportSummary> summary;
  if (auto written = task.run(
          [&] { return write_products(importer, std::move(file.products), summary); }, timeout);
      !written) {
    std::cerr << "import failed, nothing more written: " << written.error().message << "\n";
    return 1;
  }
  // From here on the changes are in Redis; whatever is not published now stays in the outbox
  // and is published by the next run.
  try {
    platform::app::ensure_topics({std::string(contracts::kCatalogTopic)}, remaining(deadline));
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << "; the next run publishes the outbox\n";
    return 1;
  }
  catalog_import::CountingPublisher publisher(task.producer());
  platform::outbox::RedisOutboxRelay relay(task.io(), task.redis(), publisher, relay_config);
  const auto budget = remaining(deadline);
  auto drained = task.run([&] { return relay_until_drained(relay, store, budget); }, budget + 5s);

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
