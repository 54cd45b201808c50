#pragma once
// The control API for tests (the same routes in the PayU and Stripe simulators): faults, reset,
// flush of held notifications, the clock, the state, and paying / declining / abandoning a
// transaction by its sessionId. No authentication: the server listens on 127.0.0.1 only. Errors
// become problem+json through the kit's router.
// Not copyable; everything it is given must outlive it. Thread-safe.
#include <boost/asio/awaitable.hpp>

#include "cashier.hpp"
#include "gateway_sim/fault_config.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "ledger.hpp"
#include "notification_queue.hpp"
#include "notifier.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace p24_sim {

inline constexpr std::int64_t kMaxAdvanceSeconds = 366LL * 24 * 3600;

class ControlApi {
 public:
  ControlApi(Cashier& cashier, Ledger& ledger, gateway_sim::FaultStore& faults,
             NotificationQueue& queue, Notifier& notifier, gateway_sim::SimClock& clock);
  ControlApi(const ControlApi&) = delete;
  ControlApi& operator=(const ControlApi&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Request = platform::http::Request;
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer post_faults(Request request);
  Answer post_reset(Request request);
  Answer post_flush(Request request);
  Answer post_clock(Request request);
  Answer get_state(Request request);
  Answer post_payment_action(Request request);

  [[nodiscard]] platform::http::Response state() const;

  Cashier& cashier_;
  Ledger& ledger_;
  gateway_sim::FaultStore& faults_;
  NotificationQueue& queue_;
  Notifier& notifier_;
  gateway_sim::SimClock& clock_;
};

}  // namespace p24_sim
