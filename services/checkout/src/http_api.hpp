#pragma once
// The Checkout's HTTP routes (contracts/openapi/checkout.yaml): request → use case → response.
// Every route is the authenticated user's own session (SPEC.md decision 10): no route takes a
// session id, so no user can name another's.
//   GET  /checkout/summary          the summary; with <component>_version=N (cart, warranty,
//                                   shipping, payment, promotion, checkout) it waits up to
//                                   wait_ms (default 2000, at most CHECKOUT_MAX_WAIT_MS) until
//                                   the totals include that change, and says in "freshness"
//                                   whether they do
//   GET  /checkout/summary/stream   Server-Sent Events: "summary" on connect and on each change
//   POST /checkout/customer-data    e-mail, phone, names, invoice (CustomerDataProvided)
//   GET  /checkout/consents         the consent texts in force
//   POST /checkout/consents         answers to them (ConsentsGiven)
//   POST /checkout/price-changes/acknowledge   the customer saw the new prices of item_ids
#include <atomic>

#include "checkout_service.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace checkout {

class CheckoutHttpApi {
 public:
  CheckoutHttpApi(CheckoutService& service, const CheckoutConfig& config);
  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer summary(platform::http::Request request);
  Answer stream(platform::http::Request request);
  Answer customer_data(platform::http::Request request);
  Answer consent_texts(platform::http::Request request);
  Answer consents(platform::http::Request request);
  Answer acknowledge(platform::http::Request request);

  CheckoutService& service_;
  const CheckoutConfig& config_;
  std::atomic<int> streams_{0};
};

}  // namespace checkout
