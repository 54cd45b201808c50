#pragma once
// The Checkout's order routes (contracts/openapi/checkout.yaml), for the authenticated user's own
// session and orders only:
//   POST /checkout/finalize               the session becomes an order (finalizer.hpp); honours
//                                         Idempotency-Key; wait_ms (default
//                                         CHECKOUT_REDIRECT_WAIT_MS) for the redirect URL.
//                                         201 a new order, 200 the session's order already
//                                         placed, 422 not ready (the readiness list), 409 prices
//                                         changed (old and new), products gone, out of stock, cash
//                                         on delivery refused, another finalize in progress
//   GET  /checkout/orders                 the user's orders, newest first (limit, default 20)
//   GET  /checkout/orders/{order_id}      one order: status, payment, its document and history
//   POST /checkout/orders/{order_id}/cancel   an unpaid order cancelled by its owner
// Another user's order is 404, as if it did not exist (an id says nothing about whose it is).
#include <boost/asio/awaitable.hpp>

#include "config.hpp"
#include "finalizer.hpp"
#include "order_saga.hpp"
#include "order_store.hpp"
#include "platform/error.hpp"
#include "platform/http/message.hpp"

namespace platform::http {
class Router;
}
namespace platform::idempotency {
class IdempotencyStore;
}

namespace checkout {

class OrderHttpApi {
 public:
  OrderHttpApi(Finalizer& finalizer, OrderStore& orders, OrderSaga& saga,
               platform::idempotency::IdempotencyStore& idempotency, const CheckoutConfig& config);
  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  boost::asio::awaitable<platform::http::Response> finalize(platform::http::Request request);
  Answer finalize_once(platform::http::Request request);
  Answer list(platform::http::Request request);
  Answer get(platform::http::Request request);
  Answer cancel(platform::http::Request request);

  Finalizer& finalizer_;
  OrderStore& orders_;
  OrderSaga& saga_;
  platform::idempotency::IdempotencyStore& idempotency_;
  const CheckoutConfig& config_;
};

}  // namespace checkout
