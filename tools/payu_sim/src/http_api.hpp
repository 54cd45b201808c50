#pragma once
// The simulator's HTTP routes (README.md): PayU's OAuth endpoint and REST v2.1 API (/api/v2_1:
// orders, refunds; answered in PayU's own JSON shapes and statuses, behind the api_status and
// api_delay_ms faults), the hosted payment page (/pay/), and the control API for tests
// (/control: faults, reset, flush, clock, state, payments; problem+json errors, no
// authentication: the server only listens on 127.0.0.1).
// Not copyable; the simulator must outlive it. Thread-safe.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>

#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "simulator.hpp"

namespace payu_sim {

class PayUApi {
 public:
  explicit PayUApi(Simulator& simulator);
  ~PayUApi() = default;
  PayUApi(const PayUApi&) = delete;
  PayUApi& operator=(const PayUApi&) = delete;
  PayUApi(PayUApi&&) = delete;
  PayUApi& operator=(PayUApi&&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::http::Response>;
  using ControlAnswer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer post_token(platform::http::Request request);
  Answer post_order(platform::http::Request request);
  Answer get_order(platform::http::Request request);
  Answer delete_order(platform::http::Request request);
  Answer post_refund(platform::http::Request request);
  Answer get_refunds(platform::http::Request request);
  Answer get_page(platform::http::Request request);
  Answer post_page(platform::http::Request request);
  ControlAnswer post_faults(platform::http::Request request);
  ControlAnswer post_reset(platform::http::Request request);
  ControlAnswer post_flush(platform::http::Request request);
  ControlAnswer post_clock(platform::http::Request request);
  ControlAnswer get_state(platform::http::Request request);
  ControlAnswer post_payment(platform::http::Request request);

  // The api_delay_ms and api_status faults of an /api or OAuth request: waits, then the injected
  // answer or std::nullopt to go on.
  boost::asio::awaitable<std::optional<platform::http::Response>> injected_fault();
  // std::nullopt when the bearer token (or Basic credential) is good, else PayU's 401.
  [[nodiscard]] std::optional<platform::http::Response> unauthorized(
      const platform::http::Request& request) const;
  [[nodiscard]] platform::http::Response state() const;

  Simulator& simulator_;
  std::atomic<std::int64_t> api_requests_{0};
};

}  // namespace payu_sim
