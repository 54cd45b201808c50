#pragma once
// The simulated PayU POS: OAuth tokens, orders and their lifecycle (NEW → PENDING → COMPLETED or
// CANCELED), refunds, and the signed notifications each change sends (deliveries.hpp), with the
// injected faults applied. No I/O: the HTTP routes (http_api.hpp) and the resend loop
// (notifier.hpp) call it. Thread-safe: one mutex around all of its state, never held while
// anything else runs.
//
// Errors: Errc::unauthenticated (a token or credential refused), Errc::not_found (no such
// order), Errc::malformed (a body PayU would refuse, reason = PayU's statusCode), Errc::conflict
// (an action the order's status does not allow). http_api.cpp answers them in PayU's shapes.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deliveries.hpp"
#include "gateway_sim/fault_config.hpp"
#include "gateway_sim/page_action.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "orders.hpp"
#include "platform/error.hpp"

namespace payu_sim {

struct SimConfig {
  std::string pos_id = "300746";
  std::string client_id = "300746";
  std::string client_secret = "dev-payu-client-secret";
  std::string second_key = "dev-payu-second-key";
  std::string public_url;  // "http://127.0.0.1:8203": the base of redirectUri
  std::chrono::seconds token_lifetime{43199};
};

// What the hosted page shows.
struct PageView {
  std::string order_id;
  std::string token;
  std::string description;
  std::int64_t amount = 0;
  std::string currency;
  std::string status;
};

class Simulator {
 public:
  Simulator(SimConfig config, gateway_sim::SimClock& clock);

  // POST /pl/standard/user/oauth/authorize: the form's grant_type, client_id, client_secret.
  [[nodiscard]] platform::Result<boost::json::object> issue_token(std::string_view form_body);
  // "Bearer <live token>" or "Basic base64(posId:secondKey)".
  [[nodiscard]] bool authorized(std::optional<std::string_view> authorization) const;

  // The 302's body: {status, redirectUri, orderId, extOrderId}.
  [[nodiscard]] platform::Result<boost::json::object> create_order(std::string_view body);
  [[nodiscard]] platform::Result<boost::json::object> get_order(const std::string& order_id) const;
  [[nodiscard]] platform::Result<boost::json::object> cancel_order(const std::string& order_id);
  [[nodiscard]] platform::Result<boost::json::object> create_refund(const std::string& order_id,
                                                                    std::string_view body);
  [[nodiscard]] platform::Result<boost::json::object> get_refunds(
      const std::string& order_id) const;

  // The hosted page: the order behind a page token, and the customer's choice (the continueUrl
  // to send the browser to).
  [[nodiscard]] platform::Result<PageView> page(const std::string& order_id,
                                                std::string_view token) const;
  [[nodiscard]] platform::Result<std::string> act(const std::string& order_id,
                                                  std::string_view token,
                                                  gateway_sim::PageAction action);
  [[nodiscard]] platform::Result<std::string> act_external(const std::string& ext_order_id,
                                                           gateway_sim::PageAction action);

  void set_faults(const gateway_sim::FaultConfig& faults);
  [[nodiscard]] gateway_sim::FaultConfig faults() const;
  void reset();
  void flush();
  void advance(std::chrono::seconds by);
  [[nodiscard]] boost::json::object state() const;

  // For the resend loop.
  [[nodiscard]] std::vector<Delivery> take_due();
  void report(std::uint64_t delivery_id, int status);

 private:
  platform::Result<std::string> act_locked(Order& order, gateway_sim::PageAction action);
  void notify_order_locked(const Order& order);
  void notify_refund_locked(const Order& order, const Refund& refund);
  void send_locked(std::string url, std::string body, std::string what);
  [[nodiscard]] std::string page_token(const std::string& order_id) const;
  [[nodiscard]] std::string redirect_uri(const std::string& order_id) const;

  const SimConfig config_;
  gateway_sim::SimClock& clock_;

  mutable std::mutex mutex_;
  gateway_sim::FaultConfig faults_;
  std::map<std::string, Order, std::less<>> orders_;
  std::map<std::string, std::string, std::less<>> by_ext_order_id_;
  std::map<std::string, platform::TimePoint, std::less<>> tokens_;
  DeliveryQueue deliveries_;
  std::uint64_t next_order_ = 1;
  std::uint64_t next_refund_ = 5000000001;
};

}  // namespace payu_sim
