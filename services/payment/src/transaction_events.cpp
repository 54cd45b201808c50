#include "transaction_events.hpp"

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"

namespace payment {
namespace {
using platform::JsonWriter;

void write_optional(JsonWriter& out, const std::optional<std::string>& value) {
  if (value && !value->empty()) {
    out.value(*value);
  } else {
    out.null();
  }
}

// Builds the event: the common header, the attempt's fields, then `more` adds its own.
template <class More>
platform::CloudEvent attempt_event(std::string_view type, const TransactionRecord& record,
                                   const EventStamp& stamp, More&& more) {
  const auto traceparent = stamp.trace.child().traceparent();
  const auto time = platform::format_rfc3339(stamp.now);
  const contracts::SessionEventHeader header{record.session_id, record.user_id, stamp.version,
                                             traceparent, time};
  JsonWriter data(768);
  contracts::begin_session_event_data(data, header);
  data.key("transaction_id").value(record.transaction_id).key("order_id").value(record.order_id);
  data.key("gateway").value(gateway_name(record.gateway));
  more(data);
  data.end_object();
  return contracts::session_event(contracts::kPaymentTopic, contracts::kPaymentSource, type, header,
                                  std::move(data).take());
}
}  // namespace

platform::CloudEvent initialized_event(const TransactionRecord& record, const EventStamp& stamp) {
  return attempt_event(
      contracts::event_type::kPaymentInitialized, record, stamp, [&](JsonWriter& data) {
        contracts::write_money(data.key("amount"), {record.amount, record.currency});
        write_optional(data.key("gateway_reference"), record.registration_reference);
        write_optional(data.key("redirect_url"), record.redirect_url);
      });
}

platform::CloudEvent state_event(std::string_view type, const TransactionRecord& record,
                                 const EventStamp& stamp) {
  return attempt_event(type, record, stamp, [&](JsonWriter& data) {
    contracts::write_money(data.key("amount"), {record.amount, record.currency});
    write_optional(data.key("gateway_reference"), record.gateway_reference
                                                      ? record.gateway_reference
                                                      : record.registration_reference);
  });
}

platform::CloudEvent failed_event(const TransactionRecord& record, std::string_view reason_code,
                                  std::string_view reason, const EventStamp& stamp) {
  return attempt_event(contracts::event_type::kPaymentFailed, record, stamp, [&](JsonWriter& data) {
    contracts::write_money(data.key("amount"), {record.amount, record.currency});
    data.key("reason_code").value(reason_code);
    data.key("reason").value(reason.empty() ? "Płatność nie powiodła się." : reason);
  });
}

platform::CloudEvent refunded_event(const TransactionRecord& record, const RefundRecord& refund,
                                    const EventStamp& stamp) {
  return attempt_event(
      contracts::event_type::kPaymentRefunded, record, stamp, [&](JsonWriter& data) {
        data.key("refund_id").value(refund.refund_id);
        contracts::write_money(data.key("amount"), {refund.amount, record.currency});
        data.key("full_refund").value(record.refunded >= record.amount);
        if (refund.reason.empty()) {
          data.key("reason").null();
        } else {
          data.key("reason").value(refund.reason);
        }
      });
}

}  // namespace payment
