#pragma once
// The simulator's HTTP routes: the courier's API (/v1: calendar and bookings, behind an API key
// and the injected faults) and the control API for tests (/control: faults, clock, reset, state;
// no key, the server only listens on 127.0.0.1). Errors become problem+json through the kit's
// router; the only status picked by hand is the one a test asks to be injected.
// Not copyable; the clock, ledger, faults and held requests must outlive it. Thread-safe.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "bookings.hpp"
#include "faults.hpp"
#include "held_requests.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "sim_clock.hpp"

namespace carrier_sim {

struct ApiConfig {
  std::string api_key = "dev-carrier-key";      // expected in "Authorization: Bearer <key>"
  std::chrono::milliseconds hang_limit{60000};  // the longest a hung request is held
  int default_days = 14;                        // GET /v1/calendar without days=
};

class CarrierApi {
 public:
  CarrierApi(ApiConfig config, SimClock& clock, BookingLedger& ledger, FaultInjector& faults,
             HeldRequests& held);
  ~CarrierApi() = default;
  CarrierApi(const CarrierApi&) = delete;
  CarrierApi& operator=(const CarrierApi&) = delete;
  CarrierApi(CarrierApi&&) = delete;
  CarrierApi& operator=(CarrierApi&&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer get_calendar(platform::http::Request request);
  Answer post_booking(platform::http::Request request);
  Answer post_faults(platform::http::Request request);
  Answer post_clock(platform::http::Request request);
  Answer post_reset(platform::http::Request request);
  Answer get_state(platform::http::Request request);

  // Applies the configured faults to a /v1 request: waits the latency, then answers for the
  // fault (hang, drop, error status) or returns std::nullopt to let the request through.
  boost::asio::awaitable<std::optional<platform::http::Response>> injected_fault(std::string path);
  [[nodiscard]] platform::Status authorize(const platform::http::Request& request) const;
  [[nodiscard]] platform::http::Response state() const;

  ApiConfig config_;
  SimClock& clock_;
  BookingLedger& ledger_;
  FaultInjector& faults_;
  HeldRequests& held_;
  std::atomic<std::int64_t> requests_{0};
  std::atomic<std::int64_t> calendar_requests_{0};
  std::atomic<std::int64_t> booking_requests_{0};
};

}  // namespace carrier_sim
