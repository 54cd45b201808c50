#pragma once
// What the Payment publishes about an attempt on payment-events (contracts/events/Payment*.json):
// PaymentInitialized, PaymentPending, PaymentSucceeded, PaymentFailed and PaymentRefunded, each
// with the session, the user and the Payment's per-session version. Pure: no I/O.
#include <cstdint>
#include <string>
#include <string_view>

#include "payment_store.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"

namespace payment {

struct EventStamp {
  std::int64_t version = 0;
  platform::TraceContext trace;
  platform::TimePoint now;
};

platform::CloudEvent initialized_event(const TransactionRecord& record, const EventStamp& stamp);

// PaymentPending or PaymentSucceeded (`type`), naming the gateway's reference when known.
platform::CloudEvent state_event(std::string_view type, const TransactionRecord& record,
                                 const EventStamp& stamp);

// `reason_code` e.g. declined, cancelled, expired, gateway_error; `reason` in words.
platform::CloudEvent failed_event(const TransactionRecord& record, std::string_view reason_code,
                                  std::string_view reason, const EventStamp& stamp);

platform::CloudEvent refunded_event(const TransactionRecord& record, const RefundRecord& refund,
                                    const EventStamp& stamp);

}  // namespace payment
