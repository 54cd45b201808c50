#pragma once
// The Cart's layer over platform::testing::ServiceProcess: the real cart_service binary against
// the test Redis and Kafka, catalog products and events as the import would write them, and an
// event probe on cart-events.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "contracts/catalog_product.hpp"
#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/service_process.hpp"

namespace cart::testing {

using contracts::Product;

using platform::testing::HttpResult;

class CartServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // (Re)starts the service process; waits until /readyz answers 200.
  static void start_service();
  static void stop_service(int signal);

  static std::string token(const std::string& user_id);
  static HttpResult call(const std::string& user_id, const std::string& method,
                         const std::string& target, const std::string& body = {},
                         std::vector<std::pair<std::string, std::string>> headers = {});
  // Runs one Redis command on the test Redis.
  static platform::redis::Reply redis(std::vector<std::string> args);
  // Puts a product straight into the catalog keys (as the import tool would).
  static void put_product(const Product& product);
  // Publishes an event and waits for the broker's acknowledgement.
  static void publish(const platform::CloudEvent& event);
  // Publishes a catalog event as the import tool would.
  static void publish_catalog_event(const std::string& type, const std::string& sku,
                                    const std::string& data);

  static std::string unique(const std::string& base);  // unique SKU / user id for this run
  static Product product(const std::string& sku, std::int64_t price, std::string category = "tv",
                         std::vector<std::string> flags = {}, std::int64_t stock = 20);

  // Events on cart-events for a user, in arrival order.
  static std::vector<platform::CloudEvent> cart_events_of(const std::string& user_id);
  // Validates an event's data against contracts/events via tools/contracts/validate_event.py.
  static ::testing::AssertionResult validates(const platform::CloudEvent& event);

  static boost::json::object json_of(const std::string& text);

  // The suite's process and probe, made in SetUpTestSuite and shared by its tests.
  // NOLINTBEGIN(readability-identifier-naming,cppcoreguidelines-avoid-non-const-global-variables)
  static inline std::unique_ptr<platform::testing::ServiceProcess> service_;
  static inline std::unique_ptr<platform::testing::EventProbe> probe_;
  // NOLINTEND(readability-identifier-naming,cppcoreguidelines-avoid-non-const-global-variables)
};

}  // namespace cart::testing
