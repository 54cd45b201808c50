#pragma once
// The Payment's HTTP routes (contracts/openapi/payment.yaml): request → use case → response.
// Errors become problem+json through platform/http/problem.hpp.
//   customers (JWT)     GET /payment/available, POST /payment/select, POST /payment/initialize
//                       (Idempotency-Key), GET /payment/status/{transaction_id} (owner only)
//   gateways            POST /payment/webhook/{gateway}: the signature is checked on the raw body
//                       before anything is parsed or read; no JWT
//   back office         POST /payment/admin/refunds, GET /payment/admin/transactions/{id}:
//                       X-Backoffice-Key (PAYMENT_BACKOFFICE_KEY), compared in constant time
// Not copyable; the use cases, the idempotency store and the clock must outlive it.
#include <string>

#include "choice_service.hpp"
#include "payments.hpp"
#include "platform/clock.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace platform::idempotency {
class IdempotencyStore;
}

namespace payment {

class PaymentHttpApi {
 public:
  PaymentHttpApi(ChoiceService& choices, Payments& payments,
                 platform::idempotency::IdempotencyStore& idempotency, std::string backoffice_key,
                 const platform::Clock& clock);
  PaymentHttpApi(const PaymentHttpApi&) = delete;
  PaymentHttpApi& operator=(const PaymentHttpApi&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer available(platform::http::Request request);
  Answer select(platform::http::Request request);
  boost::asio::awaitable<platform::http::Response> initialize(platform::http::Request request);
  Answer initialize_once(platform::http::Request request);
  Answer webhook(platform::http::Request request);
  Answer status(platform::http::Request request);
  Answer refund(platform::http::Request request);
  Answer admin_transaction(platform::http::Request request);

  [[nodiscard]] platform::Status backoffice(const platform::http::Request& request) const;
  Answer transaction_document(const std::string& transaction_id, int status_code);

  ChoiceService& choices_;
  Payments& payments_;
  platform::idempotency::IdempotencyStore& idempotency_;
  std::string backoffice_key_;
  const platform::Clock& clock_;
};

}  // namespace payment
