#pragma once
// OrderCreated (checkout-events) as the Payment takes it: the order is recorded for payment (its
// amount, method and the customer's e-mail from the session), the session's choice ends, and an
// online payment starts by itself, so the client only has to follow the redirect. A redelivered
// OrderCreated records nothing new and starts nothing when the order already has an attempt (or
// was cancelled); BLIK typed on the shop's page waits for the customer's code
// (POST /payment/initialize).
// OrderCancelled: the order takes no payment any more (Payments::cancel_order); a redelivery
// changes nothing, an order never announced is recorded as a cancelled tombstone.
// Thread-safety: as its parts; they must outlive it.
#include <boost/asio/awaitable.hpp>

#include "choice_service.hpp"
#include "payments.hpp"
#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace payment {

// The order fields of OrderCreated's data; Errc::invalid (a poison message) when missing.
[[nodiscard]] platform::Result<OrderRecord> order_from_event(const platform::CloudEvent& event);
// OrderCancelled's data; Errc::invalid (a poison message) without order_id or reason_code.
[[nodiscard]] platform::Result<OrderCancellation> cancellation_from_event(
    const platform::CloudEvent& event);

class OrderIntake {
 public:
  OrderIntake(ChoiceService& choices, Payments& payments, PaymentStore& store, RulesSource rules);

  boost::asio::awaitable<platform::Status> on_order_created(platform::CloudEvent event);
  boost::asio::awaitable<platform::Status> on_order_cancelled(platform::CloudEvent event);

 private:
  ChoiceService& choices_;
  Payments& payments_;
  PaymentStore& store_;
  RulesSource rules_;
};

}  // namespace payment
