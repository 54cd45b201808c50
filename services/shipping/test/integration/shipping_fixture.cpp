#include "shipping_fixture.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"

namespace shipping::testing {
namespace {
namespace json = boost::json;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kShippingTopic(contracts::kShippingTopic);

json::object example(const std::string& type) {
  std::ifstream file(std::string(CHECKOUT_SOURCE_DIR) + "/contracts/events/examples/" + type +
                     ".json");
  std::stringstream text;
  text << file.rdbuf();
  return json::parse(text.str()).as_object();
}

std::string now_rfc3339() {
  return platform::format_rfc3339(std::chrono::system_clock::now());
}
}  // namespace

TestCart::TestCart(std::string user_id)
    : user_(std::move(user_id)), session_("cs-" + platform::new_uuid()) {}

void TestCart::next_session() {
  session_ = "cs-" + platform::new_uuid();
  version_ = 0;
}

platform::CloudEvent TestCart::put(const TestLine& line, std::string type) {
  return event(line, type);
}

platform::CloudEvent TestCart::remove(const TestLine& line) {
  return event(line, std::string(contracts::event_type::kCartItemRemoved));
}

platform::CloudEvent TestCart::event(const TestLine& line, const std::string& type) {
  auto data = example(type);
  data["session_id"] = session_;
  data["user_id"] = user_;
  data["version"] = ++version_;
  data["occurred_at"] = now_rfc3339();
  data["cart_hash"] = "h-" + session_ + "-" + std::to_string(version_);
  auto& l = data["line"].as_object();
  l["item_id"] = line.item_id;
  l["type"] = line.category == "accessory" ? "accessory" : "offer";
  l["sku"] = line.sku;
  l["category"] = line.category;
  l["unit_price"] = json::object{{"amount", line.unit_price}, {"currency", "PLN"}};
  l["quantity"] = line.quantity;
  l["parent_item_id"] = nullptr;
  l["weight_g"] = line.weight_g;
  l["dimensions_mm"] =
      json::object{{"width", line.longest_side_mm}, {"height", 100}, {"depth", 100}};
  json::array flags;
  for (const auto& flag : line.flags) flags.emplace_back(flag);
  l["flags"] = std::move(flags);
  return platform::testing::test_event(kCartTopic, session_, type,
                                       std::string(contracts::kCartSource), json::serialize(data));
}

ShippingServiceTest::Suite& ShippingServiceTest::suite() {
  static Suite shared;
  return shared;
}

void ShippingServiceTest::SetUpTestSuite() {
  platform::app::ensure_topics({kCartTopic, kCheckoutTopic, kShippingTopic});
  suite().probe =
      std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kShippingTopic});

  suite().carrier_port = platform::testing::free_port();
  suite().carrier = std::make_unique<platform::testing::ChildProcess>(
      CARRIER_SIM_BINARY, std::vector<std::string>{},
      std::vector<std::pair<std::string, std::string>>{
          {"CARRIER_SIM_PORT", std::to_string(suite().carrier_port)}},
      (std::filesystem::temp_directory_path() / ("carrier-sim-" + platform::new_uuid() + ".log"))
          .string());
  suite().carrier->start();
  ASSERT_TRUE(platform::testing::eventually([] {
    try {
      return carrier("GET", "/healthz").status == 200;
    } catch (const std::exception&) {
      return false;  // not listening yet
    }
  })) << suite().carrier->log_tail();

  // A copy of the shipped rules the reload test may edit.
  suite().rules_file = (std::filesystem::temp_directory_path() /
                        ("delivery_rules-" + platform::new_uuid() + ".yaml"))
                           .string();
  std::filesystem::copy_file(
      std::string(CHECKOUT_SOURCE_DIR) + "/services/shipping/config/delivery_rules.yaml",
      suite().rules_file);
  suite().service = std::make_unique<platform::testing::ServiceProcess>(
      SHIPPING_SERVICE_BINARY,
      platform::testing::Env{
          {"SHIPPING_RULES_FILE", suite().rules_file},
          {"CARRIER_URL", "http://127.0.0.1:" + std::to_string(suite().carrier_port)},
          {"CARRIER_REQUEST_TIMEOUT_MS", "500"},
          {"CARRIER_MAX_RETRIES", "0"},
          {"CARRIER_CB_WINDOW_SIZE", "4"},
          {"CARRIER_CB_MIN_CALLS", "2"},
          {"CARRIER_CB_OPEN_WAIT_MS", "1500"},
          {"CARRIER_CB_HALF_OPEN_CALLS", "1"},
          // Every calendar request asks the carrier, so its failures show at once.
          {"CALENDAR_FRESH_S", "0"}});
  ASSERT_NO_THROW(suite().service->start());
}

void ShippingServiceTest::TearDownTestSuite() {
  suite().service.reset();
  suite().probe.reset();
  suite().carrier.reset();
  std::filesystem::remove(suite().rules_file);
}

HttpResult ShippingServiceTest::call(const std::string& user_id, const std::string& method,
                                     const std::string& target, const std::string& body) {
  return suite().service->call(user_id, method, target, body);
}

platform::redis::Reply ShippingServiceTest::redis(std::vector<std::string> args) {
  return platform::testing::redis_command(std::move(args));
}

void ShippingServiceTest::publish(const platform::CloudEvent& event) {
  boost::asio::io_context io;
  platform::kafka::Producer producer(platform::testing::producer_config());
  auto status = platform::testing::run(io, producer.publish(event));
  ASSERT_TRUE(status) << status.error().message;
}

platform::CloudEvent ShippingServiceTest::order_created(const std::string& user_id,
                                                        const std::string& session_id) {
  auto data = example(std::string(contracts::event_type::kOrderCreated));
  data["session_id"] = session_id;
  data["user_id"] = user_id;
  return platform::testing::test_event(
      kCheckoutTopic, session_id, std::string(contracts::event_type::kOrderCreated),
      std::string(contracts::kCheckoutSource), json::serialize(data));
}

json::object ShippingServiceTest::available_for(const TestCart& cart) {
  const auto version = std::to_string(cart.version());
  json::object last;
  const bool caught_up = platform::testing::eventually([&] {
    const auto held = redis({"HGET", "shipping:session:{" + cart.session() + "}", "cart_version"});
    if (held.as_string() != version) return false;
    auto response = call(cart.user(), "GET", "/shipping/available");
    if (response.status != 200) return false;
    last = json_of(response.body);
    return true;
  });
  EXPECT_TRUE(caught_up) << "the service never applied cart version " << version << "\n"
                         << suite().service->log_tail();
  return last;
}

json::object ShippingServiceTest::selection(const std::string& user_id) {
  auto response = call(user_id, "GET", "/shipping/selection");
  EXPECT_EQ(response.status, 200) << response.body;
  return json_of(response.body);
}

const json::object* ShippingServiceTest::method_in(const json::object& available,
                                                   const std::string& id) {
  for (const auto& method : available.at("methods").as_array()) {
    if (method.at("id").as_string() == id) return &method.as_object();
  }
  return nullptr;
}

std::vector<platform::CloudEvent> ShippingServiceTest::shipping_events(
    const std::string& session_id) {
  return suite().probe->matching(
      [&](const platform::CloudEvent& event) { return event.key == session_id; });
}

::testing::AssertionResult ShippingServiceTest::validates(const platform::CloudEvent& event) {
  if (auto violation = platform::testing::contract_violation(event)) {
    return ::testing::AssertionFailure() << event.type << ": " << *violation;
  }
  return ::testing::AssertionSuccess();
}

json::object ShippingServiceTest::json_of(const std::string& text) {
  return json::parse(text).as_object();
}

HttpResult ShippingServiceTest::carrier(const std::string& method, const std::string& target,
                                        const std::string& body) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return platform::testing::http_call(suite().carrier_port, method, target, body, headers);
}

std::int64_t ShippingServiceTest::carrier_calendar_requests() {
  auto state = json_of(carrier("GET", "/control/state").body);
  return state.at("counters").at("calendar_requests").as_int64();
}

std::string ShippingServiceTest::unique(const std::string& base) {
  return base + "-" + suite().service->suffix();
}

}  // namespace shipping::testing
