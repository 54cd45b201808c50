#pragma once
// RFC 9457 problem details. This is the ONE place that maps platform::Errc to an HTTP status:
// services return Errors and let problem() pick the status and the body. Thread-safe, pure.
#include <cstddef>
#include <string_view>

#include "platform/error.hpp"
#include "platform/http/message.hpp"

namespace platform::http {

// malformed 400, unauthenticated 401, forbidden 403, not_found 404, conflict 409, too_large 413,
// invalid 422, internal 500, unavailable 503, timeout 504 (both with Retry-After: 1).
int status_of(Errc code);

// The longest `instance` a problem carries, in bytes after percent-encoding.
inline constexpr std::size_t kMaxInstanceLength = 512;

// An `application/problem+json` response:
// {"type": "https://checkout.local/problems/<reason or errc>", "title", "status", "detail",
//  "instance", "errors"} (instance omitted when empty; errors, [{"field", "detail"}], only when the
//  error names fields). 503 carries `Retry-After: 1`; 401 carries
// `WWW-Authenticate: Bearer`.
// `instance` is the request path as decoded by the server; the body carries it as a valid RFC
// 3986 relative reference: every byte other than an ASCII letter or digit and `-._~!$&'()*+,;=:@/`
// is percent-encoded (`%` itself, spaces, control and non-ASCII bytes, `?`, `#`), so are a
// second leading `/` and a `:` in the first segment (which would read as an authority or a
// scheme); the result is cut to kMaxInstanceLength bytes, never inside an escape.
Response problem(const Error& error, std::string_view instance = {});

// 405 with the `Allow` header (not an Errc: only the router produces it); `instance` as above.
Response method_not_allowed(std::string_view allow, std::string_view instance = {});

// 415 (not an Errc either: only the server's body check produces it); `instance` as above.
Response unsupported_media_type(std::string_view detail, std::string_view instance = {});

}  // namespace platform::http
