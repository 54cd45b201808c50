#pragma once
// The session and user every session event's data names (SPEC.md decision 6), for consumers that
// need only those (e.g. ending a session on OrderCreated). Pure.
#include <string>
#include <string_view>

#include "platform/error.hpp"

namespace contracts {

struct SessionRef {
  std::string session_id;
  std::string user_id;
};

// Errc::invalid when the data is not a JSON object with non-empty string session_id and user_id
// (a poison message for the dead-letter topic).
[[nodiscard]] platform::Result<SessionRef> session_ref(std::string_view event_data);

}  // namespace contracts
