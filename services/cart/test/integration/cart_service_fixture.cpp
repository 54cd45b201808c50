#include "cart_service_fixture.hpp"

#include <csignal>

#include "contracts/test_product.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/run.hpp"

namespace cart::testing {
namespace {
using namespace std::chrono_literals;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCatalogTopic(contracts::kCatalogTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}
}  // namespace

void CartServiceTest::SetUpTestSuite() {
  platform::app::ensure_topics({kCartTopic, kCatalogTopic, kCheckoutTopic});
  probe_ = std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kCartTopic});
  service_ = std::make_unique<platform::testing::ServiceProcess>(
      CART_SERVICE_BINARY,
      platform::testing::Env{{"CART_MAX_LINES", "50"}, {"CART_TTL_DAYS", "2"}});
  start_service();
}

void CartServiceTest::TearDownTestSuite() {
  service_.reset();
  probe_.reset();
}

void CartServiceTest::start_service() {
  ASSERT_NO_THROW(service_->start());
}

void CartServiceTest::stop_service(int signal) {
  service_->stop(signal);
}

std::string CartServiceTest::token(const std::string& user_id) {
  return platform::testing::token_for(user_id);
}

HttpResult CartServiceTest::call(const std::string& user_id, const std::string& method,
                                 const std::string& target, const std::string& body,
                                 std::vector<std::pair<std::string, std::string>> headers) {
  return service_->call(user_id, method, target, body, std::move(headers));
}

platform::redis::Reply CartServiceTest::redis(std::vector<std::string> args) {
  return platform::testing::redis_command(std::move(args));
}

void CartServiceTest::put_product(const Product& product) {
  redis({"SET", contracts::catalog_product_key(product.sku),
         boost::json::serialize(contracts::product_to_json(product))});
}

void CartServiceTest::publish(const platform::CloudEvent& event) {
  // The io_context outlives the producer: delivery reports complete on its executor.
  boost::asio::io_context io;
  platform::kafka::Producer producer(platform::testing::producer_config());
  auto status = platform::testing::run(io, producer.publish(event));
  ASSERT_TRUE(status) << status.error().message;
}

void CartServiceTest::publish_catalog_event(const std::string& type, const std::string& sku,
                                            const std::string& data) {
  publish(platform::testing::test_event(kCatalogTopic, sku, type,
                                        std::string(contracts::kCatalogImportSource), data));
}

std::string CartServiceTest::unique(const std::string& base) {
  return upper(base + "-" + service_->suffix());
}

Product CartServiceTest::product(const std::string& sku, std::int64_t price, std::string category,
                                 std::vector<std::string> flags, std::int64_t stock) {
  return contracts::testing::test_product(sku, std::move(category), price, stock, std::move(flags));
}

std::vector<platform::CloudEvent> CartServiceTest::cart_events_of(const std::string& user_id) {
  const auto needle = R"("user_id":")" + user_id + R"(")";
  return probe_->matching([&](const platform::CloudEvent& event) {
    return event.data.find(needle) != std::string::npos;
  });
}

::testing::AssertionResult CartServiceTest::validates(const platform::CloudEvent& event) {
  if (auto violation = platform::testing::contract_violation(event)) {
    return ::testing::AssertionFailure() << *violation;
  }
  return ::testing::AssertionSuccess();
}

boost::json::object CartServiceTest::json_of(const std::string& text) {
  return boost::json::parse(text).as_object();
}

}  // namespace cart::testing
