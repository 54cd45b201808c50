#pragma once
// The Shipping's layer over platform::testing::ServiceProcess: the real shipping_service binary
// against the test Redis and Kafka and the real carrier calendar simulator, cart and checkout
// events built from their contracts' examples, and a probe on shipping-events.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/service_process.hpp"

namespace shipping::testing {

using platform::testing::HttpResult;

// A cart line as cart events carry it.
struct TestLine {
  std::string item_id;
  std::string sku;
  std::string category = "phone";
  std::int64_t unit_price = 99900;
  std::int64_t quantity = 1;
  std::int64_t weight_g = 450;
  std::int64_t longest_side_mm = 170;
  std::vector<std::string> flags;
};

// One customer's cart as the Cart would publish it: each change is the next version.
class TestCart {
 public:
  explicit TestCart(std::string user_id);
  const std::string& user() const { return user_; }
  const std::string& session() const { return session_; }
  std::int64_t version() const { return version_; }
  // The event for adding (or changing) a line / removing it, as the next version.
  platform::CloudEvent put(const TestLine& line, std::string type = "CartItemAdded");
  platform::CloudEvent remove(const TestLine& line);
  // Starts a new session (after an order).
  void next_session();

 private:
  platform::CloudEvent event(const TestLine& line, const std::string& type);

  std::string user_;
  std::string session_;
  std::int64_t version_ = 0;
};

class ShippingServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static HttpResult call(const std::string& user_id, const std::string& method,
                         const std::string& target, const std::string& body = {});
  static platform::redis::Reply redis(std::vector<std::string> args);
  static void publish(const platform::CloudEvent& event);
  static platform::CloudEvent order_created(const std::string& user_id,
                                            const std::string& session_id);

  // GET /shipping/available once the service's copy of the cart reached `cart`'s version.
  static boost::json::object available_for(const TestCart& cart);
  static boost::json::object selection(const std::string& user_id);
  static const boost::json::object* method_in(const boost::json::object& available,
                                              const std::string& id);
  // Events on shipping-events of one session, in arrival order.
  static std::vector<platform::CloudEvent> shipping_events(const std::string& session_id);
  static ::testing::AssertionResult validates(const platform::CloudEvent& event);
  static boost::json::object json_of(const std::string& text);

  // The carrier simulator's control endpoint.
  static HttpResult carrier(const std::string& method, const std::string& target,
                            const std::string& body = {});
  static std::int64_t carrier_calendar_requests();

  static std::string unique(const std::string& base);

  // What the whole suite shares: the simulator, the rules file copy, the service, the probe.
  struct Suite {
    std::unique_ptr<platform::testing::ChildProcess> carrier;
    int carrier_port = 0;
    std::string rules_file;
    std::unique_ptr<platform::testing::ServiceProcess> service;
    std::unique_ptr<platform::testing::EventProbe> probe;
  };
  static Suite& suite();
};

}  // namespace shipping::testing
