// The catalog_import binary against the real Redis and Kafka: what it stores, what it publishes
// on catalog-events, that a re-import publishes nothing, and that a leftover outbox is published
// by the next run. SKUs carry a per-run suffix because catalog keys have no test prefix.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>

#include "catalog_changes.hpp"
#include "catalog_store.hpp"
#include "contracts/test_product.hpp"
#include "contracts/topics.hpp"
#include "importer.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/redis/client.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/run.hpp"

namespace catalog_import {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

using contracts::testing::test_product;

struct RunResult {
  int exit_code = -1;
  std::string output;
};

// Runs the binary with stdout and stderr captured.
RunResult run_import(const fs::path& file) {
  const std::string command = std::string(CATALOG_IMPORT_BINARY) + " '" + file.string() + "' 2>&1";
  RunResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (auto n = std::fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// True when `type` accepts `data` per tools/contracts/validate_event.py.
bool valid_against_schema(const std::string& python, const std::string& type,
                          const std::string& data) {
  const std::string command =
      python + " " + CHECKOUT_SOURCE_DIR + "/tools/contracts/validate_event.py " + type + " - >&2";
  FILE* pipe = ::popen(command.c_str(), "w");
  if (pipe == nullptr) return false;
  std::fwrite(data.data(), 1, data.size(), pipe);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

struct Seen {
  std::vector<std::string> keys;  // only events with these keys are kept
  std::map<std::string, std::vector<platform::CloudEvent>> by_key;
  std::size_t count(const std::string& key, const std::string& type) const {
    auto it = by_key.find(key);
    if (it == by_key.end()) return 0;
    return static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(),
                                                  [&](const auto& e) { return e.type == type; }));
  }
};

asio::awaitable<platform::Status> record(std::shared_ptr<Seen> seen, platform::CloudEvent event) {
  if (std::find(seen->keys.begin(), seen->keys.end(), event.key) != seen->keys.end()) {
    seen->by_key[event.key].push_back(std::move(event));
  }
  co_return platform::Status{};
}

asio::awaitable<void> stop_consumer(platform::kafka::Consumer& consumer) {
  co_await consumer.stop();
}

class CatalogImportIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    // The binary reads its infrastructure from the environment, like in production.
    ::setenv("REDIS_HOST", platform::testing::redis_host().c_str(), 1);
    ::setenv("REDIS_PORT", std::to_string(platform::testing::redis_port()).c_str(), 1);
    ::setenv("KAFKA_BROKERS", platform::testing::kafka_brokers().c_str(), 1);
    ::setenv("CATALOG_IMPORT_TIMEOUT_MS", "60000", 0);
    ::setenv("LOG_LEVEL", "warn", 0);
    suffix_ = upper(platform::testing::unique_suffix());
    file_ = fs::temp_directory_path() / ("catalog_import_" + suffix_ + ".jsonl");

    auto created = platform::kafka::ensure_topics(platform::testing::kafka_brokers(),
                                                  {std::string(contracts::kCatalogTopic)}, 3,
                                                  std::chrono::seconds(30));
    ASSERT_TRUE(created) << created.error().message;
    platform::redis::RedisConfig redis_config;
    redis_config.host = platform::testing::redis_host();
    redis_config.port = platform::testing::redis_port();
    redis_ = std::make_unique<platform::redis::RedisClient>(io_, redis_config);
    ASSERT_TRUE(platform::testing::run(io_, redis_->wait_connected(milliseconds(5000))));
    platform::kafka::ProducerConfig producer_config;
    producer_config.brokers = platform::testing::kafka_brokers();
    dlq_ = std::make_unique<platform::kafka::Producer>(producer_config);
  }

  void TearDown() override {
    if (consumer_) platform::testing::run(io_, stop_consumer(*consumer_));
    consumer_.reset();
    if (redis_ && !written_skus_.empty()) {
      std::vector<std::string> del{"DEL"};
      for (const auto& sku : written_skus_) del.push_back(contracts::catalog_product_key(sku));
      (void)platform::testing::run(io_, redis_->command(std::move(del)));
    }
    if (redis_) redis_->stop();
    std::error_code ec;
    fs::remove(file_, ec);
  }

  void write_file(const std::vector<contracts::Product>& products) {
    std::ofstream out(file_, std::ios::binary | std::ios::trunc);
    for (const auto& p : products) {
      out << boost::json::serialize(contracts::product_to_json(p)) << "\n";
      written_skus_.push_back(p.sku);
    }
  }

  void start_consumer(std::vector<std::string> keys) {
    seen_->keys = std::move(keys);
    auto config = platform::kafka::ConsumerConfig::from_env(
        "catalog-import-it-" + suffix_, {std::string(contracts::kCatalogTopic)});
    config.brokers = platform::testing::kafka_brokers();
    config.fetch_wait_max = milliseconds(20);
    auto seen = seen_;
    consumer_ = std::make_unique<platform::kafka::Consumer>(
        io_, config, [seen](const platform::CloudEvent& e) { return record(seen, e); }, *dlq_);
    consumer_->start();
  }

  bool wait_for(std::function<bool()> done) {
    return platform::testing::run(io_, platform::testing::eventually_async(io_, std::move(done)),
                                  std::chrono::seconds(40));
  }

  std::optional<std::string> stored(const std::string& sku) {
    auto reply =
        platform::testing::run(io_, redis_->command("GET", contracts::catalog_product_key(sku)));
    if (!reply || reply->is_nil()) return std::nullopt;
    return reply->as_string();
  }

  // Validates every event seen against its contract (skipped without the tools' venv).
  void expect_valid_against_schemas() {
    const std::string python = std::string(CHECKOUT_SOURCE_DIR) + "/.local/venv/bin/python";
    if (!fs::exists(python)) GTEST_SKIP() << "no " << python << ": schema validation skipped";
    for (const auto& [key, events] : seen_->by_key) {
      for (const auto& e : events) {
        EXPECT_TRUE(valid_against_schema(python, e.type, e.data)) << e.type << " " << e.data;
      }
    }
  }

  asio::io_context io_;
  std::string suffix_;
  fs::path file_;
  std::unique_ptr<platform::redis::RedisClient> redis_;
  std::unique_ptr<platform::kafka::Producer> dlq_;
  std::unique_ptr<platform::kafka::Consumer> consumer_;
  std::shared_ptr<Seen> seen_ = std::make_shared<Seen>();
  std::vector<std::string> written_skus_;  // deleted after the test
};

TEST_F(CatalogImportIntegration, PublishesChangesOnceAndPriceChangesWithOldAndNew) {
  const auto tv = "IT-TV-" + suffix_;
  const auto fridge = "IT-FR-" + suffix_;
  const auto cable = "IT-ACC-" + suffix_;
  const auto sms = "SRV-SMS-" + suffix_;
  std::vector<contracts::Product> products{
      test_product(tv, "tv", 329900, 14, {"large_appliance", "fragile"}),
      test_product(fridge, "fridge", 259900, 3, {"large_appliance"}),
      test_product(cable, "accessory", 4999, 120)};
  auto service = test_product(sms, "service", 99, 100000, {"standalone"});
  service.weight_g = 0;
  service.dimensions_mm = {};
  products.push_back(service);
  write_file(products);
  start_consumer({tv, fridge, cable, sms});

  auto first = run_import(file_);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("4 products: 4 added, 0 updated, 0 unchanged;"), std::string::npos)
      << first.output;
  // Stored in the Cart's format.
  for (const auto& p : products) {
    auto record = stored(p.sku);
    ASSERT_TRUE(record) << p.sku;
    auto parsed = contracts::product_from_json(boost::json::parse(*record));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, p);
  }
  ASSERT_TRUE(wait_for([&] {
    return seen_->count(tv, "CatalogProductUpserted") == 1 &&
           seen_->count(fridge, "CatalogProductUpserted") == 1 &&
           seen_->count(cable, "CatalogProductUpserted") == 1 &&
           seen_->count(sms, "CatalogProductUpserted") == 1;
  })) << "no CatalogProductUpserted for each new product";
  const auto& upserted = seen_->by_key[tv].front();
  EXPECT_EQ(upserted.source, "/checkout/catalog-import");
  EXPECT_EQ(upserted.subject, tv);
  EXPECT_EQ(upserted.traceparent.size(), 55u);

  auto second = run_import(file_);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("4 products: 0 added, 0 updated, 4 unchanged; 0 events published"),
            std::string::npos)
      << second.output;

  products[0].price = platform::pln(299900);
  write_file(products);
  auto third = run_import(file_);
  ASSERT_EQ(third.exit_code, 0) << third.output;
  EXPECT_NE(third.output.find("4 products: 0 added, 1 updated, 3 unchanged;"), std::string::npos)
      << third.output;
  ASSERT_TRUE(wait_for([&] { return seen_->count(tv, "CatalogPriceChanged") == 1; }));

  // A product's events are ordered (key = sku): the re-import added nothing in between.
  std::vector<std::string> tv_types;
  for (const auto& e : seen_->by_key[tv]) tv_types.push_back(e.type);
  EXPECT_EQ(tv_types, (std::vector<std::string>{"CatalogProductUpserted", "CatalogProductUpserted",
                                                "CatalogPriceChanged"}));
  EXPECT_EQ(seen_->by_key[fridge].size(), 1u);
  EXPECT_EQ(seen_->by_key[cable].size(), 1u);
  EXPECT_EQ(seen_->by_key[sms].size(), 1u);
  auto price = boost::json::parse(seen_->by_key[tv].back().data).as_object();
  EXPECT_EQ(price["old_price"], boost::json::parse(R"({"amount": 329900, "currency": "PLN"})"));
  EXPECT_EQ(price["new_price"], boost::json::parse(R"({"amount": 299900, "currency": "PLN"})"));

  expect_valid_against_schemas();
}

asio::awaitable<platform::Result<ImportSummary>> write_only(
    platform::redis::RedisClient& redis, CatalogImporter& importer,
    std::vector<contracts::Product> products) {
  const bool connected = co_await redis.wait_connected(milliseconds(5000));
  if (!connected) {
    co_return platform::make_error(platform::Errc::unavailable, "redis unavailable");
  }
  co_return co_await importer.import(std::move(products));
}

TEST_F(CatalogImportIntegration, NextRunPublishesWhatAKilledRunLeftInTheOutbox) {
  const auto washer = "IT-WM-" + suffix_;
  const auto laptop = "IT-LT-" + suffix_;
  std::vector<contracts::Product> products{
      test_product(washer, "washing_machine", 179900, 7, {"large_appliance", "needs_installation"}),
      test_product(laptop, "laptop", 349900, 0)};
  write_file(products);
  start_consumer({washer, laptop});

  // A run that wrote to Redis and died before its relay published anything.
  CatalogStore store(*redis_, "outbox:catalog");
  platform::SystemClock clock;
  CatalogImporter importer(store, clock);
  auto written = platform::testing::run(io_, write_only(*redis_, importer, products));
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(written->added, 2u);
  EXPECT_EQ(written->events, 2u);

  auto next = run_import(file_);
  ASSERT_EQ(next.exit_code, 0) << next.output;
  EXPECT_NE(next.output.find("2 products: 0 added, 0 updated, 2 unchanged;"), std::string::npos)
      << next.output;
  EXPECT_EQ(next.output.find("; 0 events published"), std::string::npos) << next.output;
  ASSERT_TRUE(wait_for([&] {
    return seen_->count(washer, "CatalogProductUpserted") == 1 &&
           seen_->count(laptop, "CatalogProductUpserted") == 1;
  }));
  auto length = platform::testing::run(io_, store.outbox_length());
  ASSERT_TRUE(length);
  EXPECT_EQ(*length, 0);
  expect_valid_against_schemas();
}

TEST_F(CatalogImportIntegration, BadFileWritesNothing) {
  const auto good = "IT-OK-" + suffix_;
  write_file({test_product(good, "tv", 100, 1)});
  {
    std::ofstream out(file_, std::ios::binary | std::ios::app);
    out << "{\"sku\": \"IT-BAD\"}\n";
  }
  auto result = run_import(file_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find(file_.string() + ":2: "), std::string::npos) << result.output;
  EXPECT_FALSE(stored(good)) << "all or nothing: the good line must not be written";
}

}  // namespace
}  // namespace catalog_import
