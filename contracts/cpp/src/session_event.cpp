#include "contracts/session_event.hpp"

#include "platform/ids.hpp"

namespace contracts {

void begin_session_event_data(platform::JsonWriter& data, const SessionEventHeader& header) {
  data.begin_object().key("session_id").value(header.session_id);
  data.key("user_id").value(header.user_id).key("version").value(header.version);
  data.key("traceparent").value(header.traceparent);
  data.key("occurred_at").value(header.occurred_at);
}

platform::CloudEvent session_event(std::string_view topic, std::string_view source,
                                   std::string_view type, const SessionEventHeader& header,
                                   std::string data) {
  platform::CloudEvent event;
  event.id = platform::new_uuid();
  event.type = type;
  event.source = source;
  event.subject = header.session_id;
  event.time = header.occurred_at;
  event.traceparent = header.traceparent;
  event.data = std::move(data);
  event.topic = topic;
  event.key = header.session_id;
  return event;
}

}  // namespace contracts
