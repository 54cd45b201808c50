#include "payment_harness.hpp"

#include <filesystem>
#include <stdexcept>

#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/testing/contract_events.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"

namespace payment::testing {
namespace {
namespace et = contracts::event_type;
using namespace std::chrono_literals;
using platform::testing::eventually;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kShippingTopic(contracts::kShippingTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kPaymentTopic(contracts::kPaymentTopic);

// Small breakers, no retries: a gateway answering 503 opens its breaker after a few calls.
platform::testing::Env gateway_env(const std::string& prefix, const std::string& url) {
  return {{prefix + "_URL", url},
          {prefix + "_MAX_RETRIES", "0"},
          {prefix + "_REQUEST_TIMEOUT_MS", "3000"},
          {prefix + "_CB_WINDOW_SIZE", "4"},
          {prefix + "_CB_MIN_CALLS", "4"},
          {prefix + "_CB_OPEN_WAIT_MS", "1500"},
          {prefix + "_CB_HALF_OPEN_CALLS", "1"}};
}
}  // namespace

Simulator::Simulator(std::string name, std::string binary, std::string port_variable)
    : name_(std::move(name)), port_(platform::testing::free_port()) {
  platform::testing::Env env{{port_variable, std::to_string(port_)}, {"LOG_LEVEL", "debug"}};
  process_ = std::make_unique<platform::testing::ChildProcess>(
      std::move(binary), std::vector<std::string>{}, env,
      ::testing::TempDir() + name_ + "_" + platform::new_uuid() + ".log");
  process_->start();
  const bool up = eventually(
      [this] {
        try {
          return platform::testing::http_call(port_, "GET", "/healthz").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      20s);
  if (!up) throw std::runtime_error(name_ + " did not come up:\n" + process_->log_tail());
}

HttpResult Simulator::control(const std::string& method, const std::string& target,
                              const std::string& body) const {
  return platform::testing::http_call(port_, method, target, body,
                                      {{"Content-Type", "application/json"}});
}

void Simulator::faults(const std::string& body) const {
  const auto answer = control("POST", "/control/faults", body);
  if (answer.status != 200) throw std::runtime_error(name_ + " faults refused: " + answer.body);
}

void Simulator::clear_faults() const {
  faults("{}");
}

HttpResult Simulator::act(const std::string& transaction_id, const std::string& action) const {
  return control("POST", "/control/payments/" + transaction_id + "/" + action);
}

Suite& suite() {
  static Suite shared;
  return shared;
}

void start_suite() {
  auto& s = suite();
  platform::app::ensure_topics({kCartTopic, kShippingTopic, kCheckoutTopic, kPaymentTopic});
  s.probe =
      std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kPaymentTopic});
  s.p24 = std::make_unique<Simulator>("przelewy24", PRZELEWY24_SIM_BINARY, "P24_SIM_PORT");
  s.payu = std::make_unique<Simulator>("payu", PAYU_SIM_BINARY, "PAYU_SIM_PORT");
  s.stripe = std::make_unique<Simulator>("stripe", STRIPE_SIM_BINARY, "STRIPE_SIM_PORT");
  s.schema = "payment_it_" + platform::random_hex(4);
  s.rules_file =
      (std::filesystem::temp_directory_path() / ("payment_rules-" + platform::new_uuid() + ".yaml"))
          .string();
  std::filesystem::copy_file(
      std::string(CHECKOUT_SOURCE_DIR) + "/services/payment/config/payment_rules.yaml",
      s.rules_file);
  platform::testing::Env env{{"PAYMENT_PG_SCHEMA", s.schema},
                             {"PAYMENT_BACKOFFICE_KEY", kBackofficeKey},
                             {"PAYMENT_RULES_FILE", s.rules_file},
                             {"PAYMENT_RECONCILE_INTERVAL_S", "1"},
                             {"PAYMENT_RECONCILE_AFTER_S", "3"}};
  for (auto part : {gateway_env("P24", s.p24->url()), gateway_env("PAYU", s.payu->url()),
                    gateway_env("STRIPE", s.stripe->url())}) {
    env.insert(env.end(), part.begin(), part.end());
  }
  s.service = std::make_unique<platform::testing::ServiceProcess>(PAYMENT_SERVICE_BINARY, env);
  s.service->start();
  // Stripe sends every event to one endpoint configured at Stripe, not per payment.
  const auto url =
      "http://127.0.0.1:" + std::to_string(s.service->port()) + "/payment/webhook/stripe";
  const auto set =
      s.stripe->control("POST", "/control/webhook", json::serialize(json::object{{"url", url}}));
  if (set.status != 200) throw std::runtime_error("stripe webhook url refused: " + set.body);
}

namespace {
// The suite around every test of the binary.
class SuiteEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_NO_THROW(start_suite()); }
  void TearDown() override { stop_suite(); }
};
const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new SuiteEnvironment);
}  // namespace

void stop_suite() {
  auto& s = suite();
  s.service.reset();
  s.p24.reset();
  s.payu.reset();
  s.stripe.reset();
  s.probe.reset();
  if (!s.rules_file.empty()) std::filesystem::remove(s.rules_file);
}

const Simulator& simulator(const std::string& gateway) {
  if (gateway == "przelewy24") return *suite().p24;
  if (gateway == "payu") return *suite().payu;
  return *suite().stripe;
}

void publish(const platform::CloudEvent& event) {
  auto status = platform::testing::publish_event(event);
  ASSERT_TRUE(status) << status.error().message;
}

std::vector<std::pair<std::string, json::object>> published(const std::string& session) {
  std::vector<std::pair<std::string, json::object>> events;
  for (const auto& event :
       suite().probe->matching([&](const platform::CloudEvent& e) { return e.key == session; })) {
    if (auto violation = platform::testing::contract_violation(event)) {
      ADD_FAILURE() << event.type << ": " << *violation;
    }
    events.emplace_back(event.type, json::parse(event.data).as_object());
  }
  return events;
}

std::size_t count_events(const std::string& session, const std::string& type) {
  std::size_t n = 0;
  for (const auto& event : suite().probe->matching(
           [&](const platform::CloudEvent& e) { return e.key == session && e.type == type; })) {
    (void)event;
    ++n;
  }
  return n;
}

std::size_t wait_events(const std::string& session, const std::string& type, std::size_t n) {
  std::size_t seen = 0;
  EXPECT_TRUE(eventually([&] {
    seen = count_events(session, type);
    return seen >= n;
  })) << "no "
      << n << " × " << type << " for " << session << "\n"
      << suite().service->log_tail();
  return seen;
}

HttpResult admin(const std::string& method, const std::string& target, const std::string& body,
                 const std::string& key) {
  platform::testing::Headers headers{{"Content-Type", "application/json"}};
  if (!key.empty()) headers.emplace_back("X-Backoffice-Key", key);
  return platform::testing::http_call(suite().service->port(), method, target, body, headers);
}

json::object body_of(const HttpResult& result) {
  auto parsed = json::parse(result.body);
  return parsed.is_object() ? parsed.as_object() : json::object{};
}

Customer::Customer(std::int64_t unit_price, std::string category)
    : cart_("pay-user-" + platform::random_hex(6)) {
  publish(cart_.put({.item_id = "it-1",
                     .sku = "SKU-PAY-1",
                     .category = std::move(category),
                     .unit_price = unit_price}));
}

void Customer::choose_shipping(const std::string& method_id, bool cash_on_delivery_allowed,
                               std::int64_t version) {
  auto data = platform::testing::contract_example(et::kShippingMethodSelected);
  data["session_id"] = session();
  data["user_id"] = user();
  data["version"] = version;
  data["occurred_at"] = platform::testing::now_rfc3339();
  data["method_id"] = method_id;
  data["cash_on_delivery_allowed"] = cash_on_delivery_allowed;
  publish(platform::testing::test_event(kShippingTopic, session(),
                                        std::string(et::kShippingMethodSelected),
                                        "/checkout/shipping", json::serialize(data)));
}

std::string Customer::place_order(const std::string& payment_method_id, std::int64_t grand_total,
                                  std::string order_id) {
  if (order_id.empty()) order_id = "ORD-" + platform::random_hex(6);
  auto data = platform::testing::contract_example(et::kOrderCreated);
  data["session_id"] = session();
  data["user_id"] = user();
  data["occurred_at"] = platform::testing::now_rfc3339();
  data["order_id"] = order_id;
  data["payment_method_id"] = payment_method_id;
  data["totals"].as_object()["grand_total"] =
      json::object{{"amount", grand_total}, {"currency", "PLN"}};
  publish(platform::testing::test_event(kCheckoutTopic, session(), std::string(et::kOrderCreated),
                                        "/checkout/checkout", json::serialize(data)));
  return order_id;
}

void Customer::cancel_order(const std::string& order_id, const std::string& reason_code) {
  auto data = platform::testing::contract_example(et::kOrderCancelled);
  data["session_id"] = session();
  data["user_id"] = user();
  data["occurred_at"] = platform::testing::now_rfc3339();
  data["order_id"] = order_id;
  data["reason_code"] = reason_code;
  publish(platform::testing::test_event(kCheckoutTopic, session(), std::string(et::kOrderCancelled),
                                        "/checkout/checkout", json::serialize(data)));
}

HttpResult Customer::call(const std::string& method, const std::string& target,
                          const std::string& body, platform::testing::Headers headers) const {
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return suite().service->call(user(), method, target, body, std::move(headers));
}

json::object Customer::available() {
  json::object doc;
  EXPECT_TRUE(eventually([&] {
    auto response = call("GET", "/payment/available");
    if (response.status != 200) return false;
    doc = body_of(response);
    return doc.at("session_id").is_string();
  })) << suite().service->log_tail();
  return doc;
}

HttpResult Customer::initialize(const std::string& body, platform::testing::Headers headers) {
  HttpResult response;
  EXPECT_TRUE(eventually([&] {
    response = call("POST", "/payment/initialize", body, headers);
    return response.status != 404;
  })) << response.body;
  return response;
}

json::object Customer::started_attempt(const std::string& order_id) {
  json::object attempt;
  EXPECT_TRUE(eventually([&] {
    auto response =
        call("POST", "/payment/initialize", json::serialize(json::object{{"order_id", order_id}}));
    if (response.status != 200) return false;
    attempt = body_of(response);
    return attempt.at("state").as_string() == "initialized";
  })) << suite().service->log_tail();
  return attempt;
}

json::object Customer::wait_state(const std::string& transaction_id, const std::string& state) {
  json::object doc;
  EXPECT_TRUE(eventually([&] {
    auto response = call("GET", "/payment/status/" + transaction_id);
    if (response.status != 200) return false;
    doc = body_of(response);
    return doc.at("state").as_string() == state;
  })) << "payment "
      << transaction_id << " never " << state << ": " << json::serialize(doc) << "\n"
      << suite().service->log_tail();
  return doc;
}

}  // namespace payment::testing
