#pragma once
// The session and user every session event's data names (SPEC.md decision 6), for consumers that
// need only those (e.g. ending a session on OrderCreated), and an event's data as JSON for those
// that read more. Pure.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace contracts {

struct SessionRef {
  std::string session_id;
  std::string user_id;
};

// Errc::invalid when the data is not a JSON object with non-empty string session_id and user_id
// (a poison message for the dead-letter topic).
[[nodiscard]] platform::Result<SessionRef> session_ref(std::string_view event_data);

// The data of `event` parsed; Errc::invalid naming the event when it is not a JSON object (a
// poison message for the dead-letter topic).
[[nodiscard]] platform::Result<boost::json::value> event_data(const platform::CloudEvent& event);

}  // namespace contracts
