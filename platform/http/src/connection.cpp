#include "connection.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <charconv>
#include <exception>
#include <optional>
#include <vector>

#include "platform/http/problem.hpp"
#include "platform/log.hpp"
#include "request_parser.hpp"
#include "route_miss.hpp"

namespace platform::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {
constexpr auto kAwaitTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = std::size_t{16} * 1024;
constexpr std::size_t kLingerBytes = std::size_t{1024} * 1024;
constexpr std::chrono::milliseconds kLingerTime{1000};

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

bool has_crlf(std::string_view text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

// A path the built-in routes and the application's router both know but for other methods
// answers 405 with every method either allows.
RouteMatch either_miss(RouteMatch builtin, RouteMatch user) {
  using Kind = RouteMatch::Kind;
  if (builtin.kind != Kind::method_not_allowed) return user;
  if (user.kind != Kind::method_not_allowed) return builtin;
  std::vector<std::string> methods;
  for (const auto* allow : {&builtin.allow, &user.allow}) {
    std::string_view rest(*allow);
    while (!rest.empty()) {
      const auto comma = rest.find(", ");
      methods.emplace_back(rest.substr(0, comma));
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 2);
    }
  }
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  builtin.allow.clear();
  for (const auto& method : methods) {
    if (!builtin.allow.empty()) builtin.allow += ", ";
    builtin.allow += method;
  }
  return builtin;
}

// Counts a request as in flight for its lifetime.
class InFlight {
 public:
  explicit InFlight(std::atomic<int>& count) : count_(count) {
    count_.fetch_add(1, std::memory_order_relaxed);
  }
  ~InFlight() { count_.fetch_sub(1, std::memory_order_relaxed); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<int>& count_;
};
}  // namespace

void Connection::post_check_deadline() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->expired(ticks(Clock::now()))) self->close();
  });
}

void Connection::post_request_close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->close_requested_ = true;
    if (self->idle_) self->close();
  });
}

void Connection::post_close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void Connection::close() {
  beast::error_code ignored;
  socket_.close(ignored);
}

awaitable<bool> Connection::read_more() {
  auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kAwaitTuple);
  if (ec) co_return false;
  buffer_.commit(n);
  co_return true;
}

awaitable<beast::error_code> Connection::read_until(RequestParser& parser, bool header_only) {
  for (;;) {
    if (buffer_.size() != 0) {
      beast::error_code ec;
      const auto used = parser.put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != bhttp::error::need_more) co_return ec;
      if (header_only ? parser.is_header_done() : parser.is_done()) co_return beast::error_code{};
      if (!ec && used != 0) continue;
    }
    if (!co_await read_more()) {
      // EOF or reset before the message ended, or closed by a timeout.
      co_return bhttp::error::partial_message;
    }
  }
}

awaitable<void> Connection::linger_close() {
  // Closing with unread request bytes makes the kernel send RST, which can destroy the error
  // response before the client reads it; read and drop the rest first, for a bounded time.
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  set_deadline(kLingerTime);
  std::size_t drained = 0;
  while (drained < kLingerBytes && socket_.is_open()) {
    buffer_.clear();
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kAwaitTuple);
    if (ec) break;
    drained += n;
  }
  close();
}

awaitable<void> Connection::run() {
  auto& server = *server_;
  bool first = true;
  for (;;) {
    if (buffer_.size() == 0) {
      // Keep-alive wait; a stop() now closes the connection at once.
      if (close_requested_) break;
      idle_ = true;
      set_deadline(first ? server.config.header_timeout : server.config.idle_timeout);
      const bool got = co_await read_more();
      idle_ = false;
      if (!got) break;
    }
    first = false;
    const auto started = Clock::now();
    set_deadline(server.config.header_timeout);
    RequestParser parser(server.config.body_limit_bytes);
    auto ec = co_await read_until(parser, true);
    if (!ec && !parser.is_done()) {
      if (parser.expect_continue) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        set_deadline(server.config.body_timeout);
        auto [wec, wn] = co_await asio::async_write(
            socket_, asio::buffer(kContinue.data(), kContinue.size()), kAwaitTuple);
        if (wec) break;
      }
      set_deadline(server.config.body_timeout);
      ec = co_await read_until(parser, false);
    }
    if (ec) {
      if (ec == bhttp::error::partial_message || !socket_.is_open()) break;
      auto response = problem(parse_error(ec, server.config.body_limit_bytes));
      server.unmatched(parser.request.method).record(response.status, 0);
      set_deadline(server.config.body_timeout);
      if (co_await write(response, false, {})) co_await linger_close();
      break;
    }

    auto& request = parser.request;
    const bool keep_alive = parser.keep_alive();
    clear_deadline();
    RouteMetrics* metrics = nullptr;
    std::string traceparent;
    request.in_flight = &server.in_flight;
    std::optional<InFlight> counted(std::in_place, server.in_flight);
    auto response = co_await handle(request, metrics, traceparent);
    // A stream's pieces come when something happens, not from work in hand: not in flight.
    if (response.stream) counted.reset();
    const bool keep = keep_alive && !close_requested_ && !server.stopping.load();
    // Recorded before the write so that a client that has its answer also finds it counted.
    metrics->record(response.status, std::chrono::duration<double>(Clock::now() - started).count());
    set_deadline(server.config.body_timeout);
    if (response.stream) {
      co_await write_stream(response, traceparent);
      break;
    }
    const bool written = co_await write(response, keep, traceparent);
    if (!written || !keep) break;
  }
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  close();
  server.remove(shared_from_this());
}

awaitable<Response> Connection::handle(Request& request, RouteMetrics*& metrics,
                                       std::string& traceparent) {
  auto& server = *server_;
  request.trace = TraceContext::parse_or_generate(request.header("traceparent").value_or(""));
  traceparent = request.trace.traceparent();
  // A coroutine may resume on another thread, so the trace id is set on each resumption here
  // rather than held by a ScopedTrace across co_await.
  log::set_trace_id(request.trace.trace_id);

  // Built-in routes first, then the application's.
  const Route* route = nullptr;
  RouteMatch found = server.builtin.match(request.method, request.path, request.path_params);
  if (found.kind == RouteMatch::Kind::found) {
    route = found.route;
    metrics =
        server.builtin_metrics[static_cast<std::size_t>(route - server.builtin.routes().data())]
            .get();
  } else {
    auto user = server.router.match(request.method, request.path, request.path_params);
    if (user.kind == RouteMatch::Kind::found) {
      route = user.route;
      metrics =
          server.route_metrics[static_cast<std::size_t>(route - server.router.routes().data())]
              .get();
    } else {
      found = either_miss(std::move(found), std::move(user));
    }
  }
  if (route == nullptr) {
    metrics = &server.unmatched(request.method);
    log::set_trace_id({});
    co_return route_miss(found, request.path);
  }
  request.route = route->pattern;
  if (auto duplicate = duplicate_header(request)) {
    log::set_trace_id({});
    co_return problem(*duplicate, request.path);
  }
  if (route->options.authenticated) {
    const auto authorization = request.header("authorization");
    if (server.verifier == nullptr) {
      log::set_trace_id({});
      co_return problem(
          make_error(Errc::unauthenticated, "authentication is not configured", "unauthenticated"),
          request.path);
    }
    auto user = server.verifier->verify_bearer(authorization.value_or(""));
    if (!user) {
      log::set_trace_id({});
      co_return problem(user.error(), request.path);
    }
    request.user_id = std::move(*user);
  }
  if (!acceptable_body(request)) {
    log::set_trace_id({});
    co_return unsupported_media_type(request);
  }

  std::optional<Response> response;
  try {
    response = co_await route->handler(std::move(request));
  } catch (const std::exception& e) {
    // The handler may have resumed on another thread: set the trace id again before logging.
    log::set_trace_id(traceparent.substr(3, 32));
    spdlog::error("handler for {} {} threw: {}", route->method, route->pattern, e.what());
  }
  if (!response) response = problem(make_error(Errc::internal, "internal error", "internal"));
  log::set_trace_id({});
  co_return std::move(*response);
}

awaitable<bool> Connection::write(const Response& response, bool keep_alive,
                                  std::string_view traceparent) {
  int status = response.status;
  const Response* out = &response;
  Response replacement;
  bool valid = status >= 200 && status <= 599 && !has_crlf(response.content_type);
  for (const auto& [name, value] : response.headers) {
    if (has_crlf(name) || has_crlf(value) || name.empty()) valid = false;
  }
  if (!valid) {
    // Never let a handler's bad header split the response.
    spdlog::error("handler produced an invalid response (status {} or header with CR/LF)", status);
    replacement = problem(make_error(Errc::internal, "internal error", "internal"));
    out = &replacement;
    status = 500;
  }
  const bool no_body = status == 204 || status == 304;
  head_.clear();
  head_.append("HTTP/1.1 ");
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, status).ptr;
  head_.append(digits, end);
  head_.push_back(' ');
  head_.append(reason_phrase(status));
  head_.append("\r\n");
  if (!no_body) {
    if (!out->content_type.empty()) {
      head_.append("Content-Type: ").append(out->content_type).append("\r\n");
    }
    if (out->stream) {
      head_.append("Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n");
    } else {
      end = std::to_chars(digits, digits + sizeof digits, out->body.size()).ptr;
      head_.append("Content-Length: ").append(digits, end).append("\r\n");
    }
  }
  if (!traceparent.empty()) head_.append("traceparent: ").append(traceparent).append("\r\n");
  for (const auto& [name, value] : out->headers) {
    head_.append(name).append(": ").append(value).append("\r\n");
  }
  if (!keep_alive) head_.append("Connection: close\r\n");
  head_.append("\r\n");
  const std::array<asio::const_buffer, 2> buffers = {
      asio::buffer(head_), no_body ? asio::const_buffer() : asio::buffer(out->body)};
  auto [ec, n] = co_await asio::async_write(socket_, buffers, kAwaitTuple);
  co_return !ec;
}

awaitable<void> Connection::write_stream(const Response& response, std::string_view traceparent) {
  auto& server = *server_;
  if (!co_await write(response, false, traceparent)) co_return;
  // The status and head are out; a piece that fails to arrive or to go ends the stream.
  while (socket_.is_open() && !close_requested_ && !server.stopping.load()) {
    clear_deadline();
    std::optional<std::string> piece;
    try {
      piece = co_await response.stream();
    } catch (const std::exception& e) {
      spdlog::error("body stream failed: {}", e.what());
    }
    if (!piece) break;
    set_deadline(server.config.body_timeout);
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(*piece), kAwaitTuple);
    if (ec) break;
  }
}

}  // namespace platform::http
