#pragma once
// Plain request and response structs that handlers see. No Beast or Asio here, so services that
// include this header compile fast; the server converts to and from Beast messages in src/.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/error.hpp"
#include "platform/ids.hpp"

namespace platform::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query, e.g. "/cart/items/42"
  std::string query;   // raw query string without '?'
  // Header names are lowercase.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Filled by the router and the server before the handler runs.
  std::vector<std::pair<std::string, std::string>> path_params;
  std::string route;    // the matched pattern, e.g. "/cart/items/{id}" (a metric label)
  std::string user_id;  // the JWT subject on authenticated routes, empty otherwise
  TraceContext trace;   // from the traceparent header, or fresh
  // The server's count of requests in flight (what the background half gives way to); see
  // LongWait.
  std::atomic<int>* in_flight = nullptr;

  std::optional<std::string_view> header(std::string_view lowercase_name) const;
  std::optional<std::string_view> path_param(std::string_view name) const;
  // The decoded value of a query parameter, if present.
  std::optional<std::string> query_param(std::string_view name) const;
};

// The next piece of a streamed body (Server-Sent Events), or nullopt when the stream ends. The
// server awaits it on its io_context, writes each piece as it comes and closes the connection
// after the last; it stops asking once the client has gone or the server is stopping, so a
// producer should not wait longer than a heartbeat (a comment line) between pieces.
using BodyStream = std::function<boost::asio::awaitable<std::optional<std::string>>()>;

// Held by a handler while it waits on something other than work (a long poll until a change
// arrives): the request does not count as in flight meanwhile, so many waiting clients do not
// make the background half give way to them (and so delay the very change they wait for).
class LongWait {
 public:
  explicit LongWait(const Request& request) : count_(request.in_flight) {
    if (count_ != nullptr) count_->fetch_sub(1, std::memory_order_relaxed);
  }
  ~LongWait() {
    if (count_ != nullptr) count_->fetch_add(1, std::memory_order_relaxed);
  }
  LongWait(const LongWait&) = delete;
  LongWait& operator=(const LongWait&) = delete;

 private:
  std::atomic<int>* count_;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set: `body` is sent first, then every piece of `stream`, without Content-Length, and the
  // connection closes at the end (no keep-alive).
  BodyStream stream = {};
};

// A route handler. It receives the request by value (coroutine parameters are copied into the
// frame) and runs on the server's io_context.
using Handler = std::function<boost::asio::awaitable<Response>(Request)>;

// A route handler that returns its outcome as a value: a Response, or an Error that the router
// turns into its problem+json (problem(error, request.path)), the same for every such route.
using ResultHandler = std::function<boost::asio::awaitable<platform::Result<Response>>(Request)>;

}  // namespace platform::http
