#pragma once
// The parts every session event shares (SPEC.md decision 6): the data's leading fields (session,
// user, per-session version, traceparent, occurred_at) and the CloudEvent around the data (key =
// session id, so a session's events stay in order). Each producer writes its own fields between
// them. Pure.
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/cloud_event.hpp"
#include "platform/json_writer.hpp"

namespace contracts {

struct SessionEventHeader {
  std::string_view session_id;
  std::string_view user_id;
  std::int64_t version = 0;
  std::string_view traceparent;
  std::string_view occurred_at;  // RFC 3339
};

// Opens the data object and writes the header's fields; the caller adds its own and closes it.
void begin_session_event_data(platform::JsonWriter& data, const SessionEventHeader& header);

// The CloudEvent of a session event: a fresh id, `type` from `source` on `topic`, subject and key
// the session id.
platform::CloudEvent session_event(std::string_view topic, std::string_view source,
                                   std::string_view type, const SessionEventHeader& header,
                                   std::string data);

}  // namespace contracts
