#include "cart_service_fixture.hpp"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "events.hpp"
#include "platform/http/auth.hpp"
#include "platform/kafka/admin.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/outbox/publisher.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"
#include "test_product.hpp"

namespace cart::testing {
namespace {
using namespace std::chrono_literals;

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}
}  // namespace

void CartServiceTest::SetUpTestSuite() {
  suffix_ = platform::testing::unique_suffix();
  port_ = platform::testing::free_port();
  ASSERT_TRUE(platform::kafka::ensure_topics(platform::testing::kafka_brokers(),
                                             {kCartTopic, kCatalogTopic}, 3, 30s));
  probe_ = std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kCartTopic});
  start_service();
}

void CartServiceTest::TearDownTestSuite() {
  if (service_) stop_service(SIGTERM);
  probe_.reset();
}

void CartServiceTest::start_service() {
  service_ = std::make_unique<platform::testing::ChildProcess>(
      CART_SERVICE_BINARY, std::vector<std::string>{},
      std::vector<std::pair<std::string, std::string>>{
          {"HTTP_PORT", std::to_string(port_)},
          {"REDIS_HOST", platform::testing::redis_host()},
          {"REDIS_PORT", std::to_string(platform::testing::redis_port())},
          {"KAFKA_BROKERS", platform::testing::kafka_brokers()},
          {"KAFKA_GROUP_PREFIX", suffix_ + "-"},
          {"CART_MAX_LINES", "50"},
          {"CART_TTL_DAYS", "2"},
          {"OUTBOX_POLL_INTERVAL_MS", "10"},
          {"LOG_LEVEL", "info"}},
      std::filesystem::temp_directory_path() / ("cart_service_" + suffix_ + ".log"));
  service_->start();
  const bool ready = platform::testing::eventually(
      [] {
        try {
          return platform::testing::http_call(port_, "GET", "/readyz").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      30s, 50ms);
  ASSERT_TRUE(ready) << "cart_service did not become ready:\n" << service_->log_tail();
}

void CartServiceTest::stop_service(int signal) {
  service_->stop(signal);
  service_.reset();
}

std::string CartServiceTest::token(const std::string& user_id) {
  return platform::http::issue_token(platform::http::JwtConfig::from_env(), user_id, 1h);
}

HttpResult CartServiceTest::call(const std::string& user_id, const std::string& method,
                                 const std::string& target, const std::string& body,
                                 std::vector<std::pair<std::string, std::string>> headers) {
  if (!user_id.empty()) headers.emplace_back("Authorization", "Bearer " + token(user_id));
  return platform::testing::http_call(port_, method, target, body, headers);
}

platform::redis::Reply CartServiceTest::redis(std::vector<std::string> args) {
  // One connection for the whole suite, driven by this thread's calls to run().
  static boost::asio::io_context io;
  static platform::redis::RedisClient client(io, platform::testing::redis_config());
  auto task = [&]() -> boost::asio::awaitable<platform::Result<platform::redis::Reply>> {
    const bool connected = co_await client.wait_connected(5s);
    if (!connected) {
      co_return platform::make_error(platform::Errc::unavailable, "redis unavailable");
    }
    co_return co_await client.command(std::move(args));
  };
  auto reply = platform::testing::run(io, task());
  if (!reply) throw std::runtime_error("redis: " + reply.error().message);
  return *reply;
}

void CartServiceTest::put_product(const Product& product) {
  redis({"SET", "catalog:product:{" + product.sku + "}",
         boost::json::serialize(product_to_json(product))});
}

void CartServiceTest::publish_catalog_event(const std::string& type, const std::string& sku,
                                            const std::string& data) {
  // The io_context outlives the producer: delivery reports complete on its executor.
  boost::asio::io_context io;
  platform::kafka::Producer producer(platform::testing::producer_config());
  const auto event =
      platform::testing::test_event(kCatalogTopic, sku, type, "/checkout/catalog-import", data);
  auto status = platform::testing::run(io, producer.publish(event));
  ASSERT_TRUE(status) << status.error().message;
}

std::string CartServiceTest::unique(const std::string& base) {
  return upper(base + "-" + suffix_);
}

Product CartServiceTest::product(const std::string& sku, std::int64_t price, std::string category,
                                 std::vector<std::string> flags, std::int64_t stock) {
  return test_product(sku, std::move(category), price, stock, std::move(flags));
}

std::vector<platform::CloudEvent> CartServiceTest::cart_events_of(const std::string& user_id) {
  const auto needle = "\"user_id\":\"" + user_id + "\"";
  return probe_->matching([&](const platform::CloudEvent& event) {
    return event.data.find(needle) != std::string::npos;
  });
}

::testing::AssertionResult CartServiceTest::validates(const platform::CloudEvent& event) {
  const std::string root = CHECKOUT_SOURCE_DIR;
  const std::string python = root + "/.local/venv/bin/python";
  if (!std::filesystem::exists(python)) {
    return ::testing::AssertionFailure()
           << "no contracts venv at " << python << " (./dev test creates it)";
  }
  const auto file = std::filesystem::temp_directory_path() / ("event_" + event.id + ".json");
  std::ofstream(file) << event.data;
  const auto command = python + " " + root + "/tools/contracts/validate_event.py " + event.type +
                       " " + file.string() + " > " + file.string() + ".out 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream out(file.string() + ".out");
  std::string message((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + ".out");
  if (status == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << event.type << " does not match its schema: " << message << "\n"
         << event.data;
}

boost::json::object CartServiceTest::json_of(const std::string& text) {
  return boost::json::parse(text).as_object();
}

}  // namespace cart::testing
