#include "session_events.hpp"

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"

namespace payment {
namespace {
using platform::JsonWriter;

platform::CloudEvent change_event(const PaymentSession& session, const Change& change,
                                  std::int64_t version, const std::string& traceparent,
                                  const std::string& time) {
  const contracts::SessionEventHeader header{session.session_id, session.user_id, version,
                                             traceparent, time};
  JsonWriter data(512);
  contracts::begin_session_event_data(data, header);
  data.key("method_id").value(change.method_id);
  if (change.kind == ChangeKind::method_cleared) {
    const auto& refusal = change.refusal.value_or(Refusal{"method_withdrawn", "Metoda wycofana."});
    data.key("reason").begin_object().key("code").value(refusal.code);
    data.key("message").value(refusal.message).end_object().end_object();
    return contracts::session_event(contracts::kPaymentTopic, contracts::kPaymentSource,
                                    contracts::event_type::kPaymentMethodCleared, header,
                                    std::move(data).take());
  }
  const auto& method = *session.method;
  if (method.gateway) {
    data.key("gateway").value(gateway_name(*method.gateway));
  } else {
    data.key("gateway").null();
  }
  contracts::write_money(data.key("fee"), method.fee);
  data.end_object();
  return contracts::session_event(contracts::kPaymentTopic, contracts::kPaymentSource,
                                  contracts::event_type::kPaymentMethodSelected, header,
                                  std::move(data).take());
}
}  // namespace

std::vector<platform::CloudEvent> session_events(const Outcome& outcome,
                                                 std::int64_t before_version,
                                                 const platform::TraceContext& trace,
                                                 platform::TimePoint now) {
  std::vector<platform::CloudEvent> events;
  const auto time = platform::format_rfc3339(now);
  for (std::size_t i = 0; i < outcome.changes.size(); ++i) {
    const auto& change = outcome.changes[i];
    events.push_back(change_event(outcome.session, change,
                                  before_version + static_cast<std::int64_t>(i) + 1,
                                  trace.child().traceparent(), time));
  }
  return events;
}

}  // namespace payment
