#pragma once
// The one answer for a request no route takes (internal): used by Router::dispatch and the
// server alike.
#include <string_view>

#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace platform::http {

// 405 `method_not_allowed` problem with `Allow` for Kind::method_not_allowed, else the 404
// `route_not_found` problem. `path` becomes the problem's instance.
Response route_miss(const RouteMatch& match, std::string_view path);

}  // namespace platform::http
