#pragma once
// Maps (method, path) to a Handler. Patterns are literal segments and `{name}` parameters:
// "/cart/items/{id}" matches "/cart/items/42" with path_params {"id", "42"}. A literal segment
// wins over a parameter when both match. Build the router at startup (add() is not thread-safe),
// then match()/dispatch() concurrently from any thread (they only read).
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/http/message.hpp"

namespace platform::http {

struct RouteOptions {
  // Authenticated routes require `Authorization: Bearer <JWT>`; the server fills user_id.
  bool authenticated = true;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
};

struct RouteMatch {
  enum class Kind { found, not_found, method_not_allowed };
  Kind kind = Kind::not_found;
  const Route* route = nullptr;  // when found; owned by the router
  std::string allow;             // "GET, POST" when method_not_allowed
};

class Router {
 public:
  // Throws std::invalid_argument on a malformed pattern or a duplicate (method, pattern).
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  // The same for a handler that returns Result<Response>: an error answers as problem(error,
  // request.path). A lambda returning awaitable<Response> still takes the overload above.
  void add(std::string method, std::string pattern, ResultHandler handler,
           RouteOptions options = {});

  // Finds the route; on success appends the decoded path parameters to `params`.
  RouteMatch match(std::string_view method, std::string_view path,
                   std::vector<std::pair<std::string, std::string>>& params) const;

  // Matches the request, fills path_params and route, and runs the handler; answers a 404 or
  // 405 (with Allow) problem otherwise. Does not authenticate: the server does that.
  boost::asio::awaitable<Response> dispatch(Request request) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" marks a parameter
    std::size_t literal_count = 0;
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace platform::http
