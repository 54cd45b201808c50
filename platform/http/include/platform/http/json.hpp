#pragma once
// JSON helpers for handlers (Boost.JSON). Pure functions, thread-safe.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "platform/error.hpp"
#include "platform/http/message.hpp"

namespace platform::http {

// `status` with the serialized value and `Content-Type: application/json`.
Response json_response(int status, const boost::json::value& body);

// How deeply arrays and objects may nest in a request body (the top-level object is 1).
inline constexpr std::size_t kMaxJsonDepth = 32;

// Parses a request body that must be a JSON object. Errc::malformed (reason "malformed_json",
// so 400) with a message naming the problem (and the byte offset of a parse error) for: empty
// input, invalid JSON (including invalid UTF-8), trailing data, a non-object, nesting deeper than
// kMaxJsonDepth, and a key repeated within one object at any depth ({"quantity":500,
// "quantity":1} would otherwise let the last one silently win; the message quotes the key, cut
// to 64 bytes).
[[nodiscard]] Result<boost::json::object> parse_json_object(std::string_view body);

// Errc::invalid (reason "invalid_field", so 422) naming the first member of `body` that is not
// in `allowed`: a typo or a field the route does not take is refused, never silently ignored.
[[nodiscard]] Status only_fields(const boost::json::object& body,
                                 std::initializer_list<std::string_view> allowed);

}  // namespace platform::http
