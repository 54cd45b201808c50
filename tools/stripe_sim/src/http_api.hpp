#pragma once
// The simulator's routes (README.md): the Stripe API subset under /v1 (Bearer secret key,
// form-encoded bodies, Idempotency-Key, Stripe's error bodies, the injected api_status and
// api_delay_ms), the hosted page under /c/pay, and the control API for tests under /control
// (no auth: the server listens on 127.0.0.1 only; errors as problem+json).
// Not copyable; what it is given must outlive it. Thread-safe.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "faults.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "idempotency.hpp"
#include "ledger.hpp"
#include "outbox.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace stripe_sim {

struct ApiConfig {
  std::string secret_key = "sk_test_dev";  // expected as "Authorization: Bearer <key>"
  std::string webhook_url;                 // what POST /control/reset goes back to
};

class StripeApi {
 public:
  StripeApi(ApiConfig config, gateway_sim::SimClock& clock, Ledger& ledger, Outbox& outbox,
            IdempotencyStore& idempotency, Faults& faults);
  ~StripeApi() = default;
  StripeApi(const StripeApi&) = delete;
  StripeApi& operator=(const StripeApi&) = delete;
  StripeApi(StripeApi&&) = delete;
  StripeApi& operator=(StripeApi&&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Operation = ApiResult<boost::json::object> (StripeApi::*)(const platform::http::Request&,
                                                                  const boost::json::object&,
                                                                  Events&);
  using Control = boost::asio::awaitable<platform::Result<platform::http::Response>>;

  // The /v1 pipeline: api_status fault, key, parameters, Idempotency-Key, api_delay_ms, the
  // operation, its events published.
  boost::asio::awaitable<platform::http::Response> call(platform::http::Request request,
                                                        Operation operation);
  ApiResult<boost::json::object> create_session(const platform::http::Request& request,
                                                const boost::json::object& params, Events& events);
  ApiResult<boost::json::object> get_session(const platform::http::Request& request,
                                             const boost::json::object& params, Events& events);
  ApiResult<boost::json::object> expire_session(const platform::http::Request& request,
                                                const boost::json::object& params, Events& events);
  ApiResult<boost::json::object> get_payment_intent(const platform::http::Request& request,
                                                    const boost::json::object& params,
                                                    Events& events);
  ApiResult<boost::json::object> create_refund(const platform::http::Request& request,
                                               const boost::json::object& params, Events& events);
  ApiResult<boost::json::object> get_refund(const platform::http::Request& request,
                                            const boost::json::object& params, Events& events);

  boost::asio::awaitable<platform::http::Response> show_page(platform::http::Request request);
  boost::asio::awaitable<platform::http::Response> act_on_page(platform::http::Request request);

  Control post_faults(platform::http::Request request);
  Control post_reset(platform::http::Request request);
  Control post_flush(platform::http::Request request);
  Control post_clock(platform::http::Request request);
  Control post_webhook(platform::http::Request request);
  Control post_payment_action(platform::http::Request request);
  Control get_state(platform::http::Request request);

  void publish(const Events& events);
  [[nodiscard]] platform::http::Response state() const;

  ApiConfig config_;
  gateway_sim::SimClock& clock_;
  Ledger& ledger_;
  Outbox& outbox_;
  IdempotencyStore& idempotency_;
  Faults& faults_;
  std::atomic<std::int64_t> requests_{0};
  std::atomic<std::int64_t> request_ids_{0};
};

}  // namespace stripe_sim
