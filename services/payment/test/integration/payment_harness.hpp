#pragma once
// The Payment service under test: the real payment_service binary against the test Redis, Kafka
// and PostgreSQL (a schema of its own), the three gateway simulators as real processes, events
// from the other services built from their contracts, and its payment-events recorded by a probe
// and checked against their JSON Schemas. Shared by the integration test files.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "contracts/cart_feed.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/service_process.hpp"

namespace payment::testing {

namespace json = boost::json;
using platform::testing::HttpResult;

inline constexpr const char* kBackofficeKey = "test-backoffice-key-0123456789";

// One gateway simulator (tools/<name>_sim) on a free port, with the control API of all three.
class Simulator {
 public:
  Simulator(std::string name, std::string binary, std::string port_variable);
  int port() const { return port_; }
  const std::string& name() const { return name_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  HttpResult control(const std::string& method, const std::string& target,
                     const std::string& body = "{}") const;
  // The whole fault configuration (fields left out: no fault).
  void faults(const std::string& body) const;
  void clear_faults() const;
  // The page's buttons for our transaction id: pay, fail or abandon.
  HttpResult act(const std::string& transaction_id, const std::string& action) const;
  std::string log_tail() const { return process_->log_tail(); }

 private:
  std::string name_;
  int port_;
  std::unique_ptr<platform::testing::ChildProcess> process_;
};

struct Suite {
  std::unique_ptr<Simulator> p24;
  std::unique_ptr<Simulator> payu;
  std::unique_ptr<Simulator> stripe;
  std::unique_ptr<platform::testing::ServiceProcess> service;
  std::unique_ptr<platform::testing::EventProbe> probe;
  std::string schema;
  std::string rules_file;  // a copy of the shipped rules the reload test may edit
};

// Started once per test binary (a global test environment), stopped at its end.
Suite& suite();
void start_suite();
void stop_suite();

const Simulator& simulator(const std::string& gateway);

// A customer with a cart (one line) the service has seen, and a delivery method chosen.
class Customer {
 public:
  explicit Customer(std::int64_t unit_price = 329900, std::string category = "tv");
  const std::string& user() const { return cart_.user(); }
  const std::string& session() const { return cart_.session(); }
  contracts::testing::CartFeed& cart() { return cart_; }

  // ShippingMethodSelected (version `version`) for `method_id`.
  void choose_shipping(const std::string& method_id, bool cash_on_delivery_allowed,
                       std::int64_t version);
  // OrderCreated for the session: the order's id (`order_id`, or a new one when empty).
  std::string place_order(const std::string& payment_method_id, std::int64_t grand_total,
                          std::string order_id = "");
  // OrderCancelled for the session's order (a new event id each time).
  void cancel_order(const std::string& order_id, const std::string& reason_code = "hold_expired");

  HttpResult call(const std::string& method, const std::string& target,
                  const std::string& body = "", platform::testing::Headers headers = {}) const;
  // GET /payment/available once the service holds the cart.
  json::object available();
  // POST /payment/initialize until the order is known (the consumer has taken OrderCreated).
  HttpResult initialize(const std::string& body, platform::testing::Headers headers = {});
  // The attempt of the order the service started by itself.
  json::object started_attempt(const std::string& order_id);
  // GET /payment/status/{id} until `state`.
  json::object wait_state(const std::string& transaction_id, const std::string& state);

 private:
  contracts::testing::CartFeed cart_;
};

void publish(const platform::CloudEvent& event);
// The session's payment-events (type, data), in order, each checked against its schema.
std::vector<std::pair<std::string, json::object>> published(const std::string& session);
// Waits until the session has an event of `type` and returns the number of them.
std::size_t wait_events(const std::string& session, const std::string& type, std::size_t n = 1);
std::size_t count_events(const std::string& session, const std::string& type);

HttpResult admin(const std::string& method, const std::string& target, const std::string& body = "",
                 const std::string& key = kBackofficeKey);
json::object body_of(const HttpResult& result);

}  // namespace payment::testing
