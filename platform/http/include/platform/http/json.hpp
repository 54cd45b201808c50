#pragma once
// JSON helpers for handlers (Boost.JSON). Pure functions, thread-safe.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "platform/error.hpp"
#include "platform/http/message.hpp"

namespace platform::http {

// `status` with the serialized value and `Content-Type: application/json`.
Response json_response(int status, const boost::json::value& body);

// Parses a request body that must be a JSON object. Empty, invalid or non-object input gives
// Errc::malformed with a message naming the problem (and the offset for syntax errors).
[[nodiscard]] Result<boost::json::object> parse_json_object(std::string_view body);

}  // namespace platform::http
