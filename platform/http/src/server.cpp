#include "platform/http/server.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "platform/config.hpp"
#include "platform/http/problem.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace platform::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::asio::awaitable;
using boost::asio::use_awaitable;

namespace {
constexpr auto kAwaitTuple = asio::as_tuple(use_awaitable);
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::int64_t kNoDeadline = INT64_MAX;
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kLingerTime{1000};

std::int64_t ticks(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Path percent-decoding ('+' stays '+', unlike in a query). False on a broken escape.
bool decode_path(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() + 0 || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) {
      return false;
    }
    out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
    i += 2;
  }
  return true;
}

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

// Fills a Request straight from the parser's callbacks (no Beast fields container in between).
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  explicit RequestParser(std::size_t body_limit) {
    header_limit(kHeaderLimit);
    this->body_limit(body_limit);
    request.headers.reserve(8);
  }
  Request request;
  bool expect_continue = false;

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target, int,
                       beast::error_code& ec) override {
    request.method.assign(method.data(), method.size());
    const std::string_view full(target.data(), target.size());
    const auto question = full.find('?');
    if (full.empty() || full.front() != '/' ||
        !decode_path(full.substr(0, question), request.path)) {
      ec = bhttp::error::bad_target;
      return;
    }
    if (question != std::string_view::npos) request.query.assign(full.substr(question + 1));
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(bhttp::field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    std::string lower(name.data(), name.size());
    for (auto& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower == "expect" && beast::iequals(value, "100-continue")) expect_continue = true;
    request.headers.emplace_back(std::move(lower), std::string(value.data(), value.size()));
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    if (length) request.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body,
                                 beast::error_code&) override {
    request.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}
};

// Series looked up once per (route, method, status) and cached in atomics: the hot path takes no
// lock (the registry's lock is taken only the first time a status is seen).
class RouteMetrics {
 public:
  RouteMetrics(std::string route, std::string method)
      : route_(std::move(route)),
        method_(std::move(method)),
        duration_(&metrics::registry().histogram("http_request_duration_seconds",
                                                 "HTTP request latency by route",
                                                 {{"route", route_}, {"method", method_}})) {
    for (auto& slot : by_status_) slot.store(nullptr, std::memory_order_relaxed);
  }

  void record(int status, double seconds) {
    duration_->observe(seconds);
    const auto index = static_cast<std::size_t>(status - 100);
    if (index >= by_status_.size()) return;
    auto* counter = by_status_[index].load(std::memory_order_acquire);
    if (counter == nullptr) {
      counter = &metrics::registry().counter(
          "http_requests_total", "HTTP requests by route",
          {{"route", route_}, {"method", method_}, {"status", std::to_string(status)}});
      by_status_[index].store(counter, std::memory_order_release);
    }
    counter->inc();
  }

 private:
  std::string route_;
  std::string method_;
  metrics::Histogram* duration_;
  std::array<std::atomic<metrics::Counter*>, 500> by_status_{};
};

const std::array<std::string_view, 7> kCommonMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                        "DELETE", "HEAD", "OPTIONS"};
}  // namespace

ServerConfig ServerConfig::from_env(std::uint16_t default_port) {
  ServerConfig c;
  c.host = config::get_string("HTTP_HOST", c.host);
  c.port = static_cast<std::uint16_t>(config::get_int("HTTP_PORT", default_port, 0, 65535));
  c.body_limit_bytes = static_cast<std::size_t>(
      config::get_int("HTTP_BODY_LIMIT_BYTES", 65536, 0, 1024LL * 1024 * 1024));
  c.header_timeout = config::get_millis("HTTP_HEADER_TIMEOUT_MS", c.header_timeout);
  c.body_timeout = config::get_millis("HTTP_BODY_TIMEOUT_MS", c.body_timeout);
  c.idle_timeout = config::get_millis("HTTP_IDLE_TIMEOUT_MS", c.idle_timeout);
  c.max_connections =
      static_cast<std::size_t>(config::get_int("HTTP_MAX_CONNECTIONS", 10000, 1, 1000000));
  c.shutdown_timeout = config::get_millis("HTTP_SHUTDOWN_TIMEOUT_MS", c.shutdown_timeout);
  c.readiness_timeout = config::get_millis("HTTP_READINESS_TIMEOUT_MS", c.readiness_timeout);
  return c;
}

class Connection;

struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(asio::io_context& io_context, ServerConfig server_config, Router& user_router,
              const JwtVerifier* jwt)
      : io(io_context),
        strand(asio::make_strand(io_context)),
        acceptor(strand),
        sweep_timer(strand),
        config(std::move(server_config)),
        router(user_router),
        verifier(jwt),
        connections_gauge(
            &metrics::registry().gauge("http_connections_active", "Open HTTP connections")) {}

  asio::io_context& io;
  asio::strand<asio::io_context::executor_type> strand;  // acceptor, sweeper, shutdown
  tcp::acceptor acceptor;
  asio::steady_timer sweep_timer;
  ServerConfig config;
  Router& router;
  const JwtVerifier* verifier;
  Router builtin;
  std::vector<std::pair<std::string, std::function<awaitable<bool>()>>> readiness;

  // Indexed like router.routes() / builtin.routes(); built in start(), read-only afterwards.
  std::vector<std::unique_ptr<RouteMetrics>> route_metrics;
  std::vector<std::unique_ptr<RouteMetrics>> builtin_metrics;
  std::vector<std::unique_ptr<RouteMetrics>> unmatched_metrics;  // kCommonMethods + "OTHER"
  metrics::Gauge* connections_gauge;

  std::mutex connections_mutex;  // only on connect, disconnect, sweep and stop
  std::unordered_set<std::shared_ptr<Connection>> connections;
  std::atomic<std::size_t> active{0};
  // Requests read and not yet answered (handler running or response being written).
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  std::atomic<bool> sweeping{false};
  std::chrono::milliseconds sweep_interval{250};

  awaitable<void> accept_loop();
  awaitable<void> sweep_loop();
  awaitable<void> shutdown_on_strand();
  awaitable<void> wait_for_connections(Clock::time_point deadline);
  awaitable<Response> readyz();
  void remove(const std::shared_ptr<Connection>& connection);
  RouteMetrics& unmatched(std::string_view method) {
    for (std::size_t i = 0; i < kCommonMethods.size(); ++i) {
      if (kCommonMethods[i] == method) return *unmatched_metrics[i];
    }
    return *unmatched_metrics.back();
  }
  template <class Fn>
  void for_each_connection(Fn&& fn) {
    std::lock_guard lock(connections_mutex);
    for (const auto& connection : connections) fn(connection);
  }
};

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

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<ServerState> server, tcp::socket socket)
      : server_(std::move(server)), socket_(std::move(socket)) {}

  awaitable<void> run();
  asio::any_io_executor executor() { return socket_.get_executor(); }

  // Called by the sweeper (any thread): a cheap check before posting to the strand.
  bool expired(std::int64_t now) const { return deadline_.load(std::memory_order_relaxed) <= now; }
  void post_check_deadline() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->expired(ticks(Clock::now()))) self->close();
    });
  }
  // Graceful stop: close at once if waiting for a request, else after the current response.
  void post_request_close() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->close_requested_ = true;
      if (self->idle_) self->close();
    });
  }
  void post_close() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

 private:
  void set_deadline(std::chrono::milliseconds timeout) {
    deadline_.store(ticks(Clock::now() + timeout), std::memory_order_relaxed);
  }
  void clear_deadline() { deadline_.store(kNoDeadline, std::memory_order_relaxed); }
  void close() {
    beast::error_code ignored;
    socket_.close(ignored);
  }

  awaitable<bool> read_more();
  awaitable<beast::error_code> read_until(RequestParser& parser, bool header_only);
  awaitable<Response> handle(Request& request, RouteMetrics*& metrics, std::string& traceparent);
  awaitable<bool> write(const Response& response, bool keep_alive, std::string_view traceparent);
  awaitable<void> linger_close();

  std::shared_ptr<ServerState> server_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::string head_;  // response head, reused across requests
  std::atomic<std::int64_t> deadline_{kNoDeadline};
  bool idle_ = false;             // waiting for the first byte of a request (strand only)
  bool close_requested_ = false;  // strand only
};

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
      Error error;
      if (ec == bhttp::error::body_limit) {
        error = make_error(
            Errc::too_large,
            "request body exceeds " + std::to_string(server.config.body_limit_bytes) + " bytes",
            "body_too_large");
      } else if (ec == bhttp::error::header_limit) {
        error = make_error(Errc::too_large, "request header too large", "header_too_large");
      } else {
        error = make_error(Errc::malformed, "malformed HTTP request: " + ec.message(),
                           "malformed_request");
      }
      auto response = problem(error);
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
    const InFlight counted(server.in_flight);
    auto response = co_await handle(request, metrics, traceparent);
    const bool keep = keep_alive && !close_requested_ && !server.stopping.load();
    // Recorded before the write so that a client that has its answer also finds it counted.
    metrics->record(response.status, std::chrono::duration<double>(Clock::now() - started).count());
    set_deadline(server.config.body_timeout);
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

  const Route* route = nullptr;
  RouteMatch found = server.builtin.match(request.method, request.path, request.path_params);
  const bool builtin = found.kind == RouteMatch::Kind::found;
  if (builtin) {
    route = found.route;
    metrics =
        server.builtin_metrics[static_cast<std::size_t>(route - server.builtin.routes().data())]
            .get();
  } else {
    found = server.router.match(request.method, request.path, request.path_params);
    if (found.kind == RouteMatch::Kind::found) {
      route = found.route;
      metrics =
          server.route_metrics[static_cast<std::size_t>(route - server.router.routes().data())]
              .get();
    }
  }
  if (route == nullptr) {
    metrics = &server.unmatched(request.method);
    log::set_trace_id({});
    if (found.kind == RouteMatch::Kind::method_not_allowed) {
      co_return method_not_allowed(found.allow, request.path);
    }
    co_return problem(
        make_error(Errc::not_found, "no route for " + request.path, "route_not_found"),
        request.path);
  }
  request.route = route->pattern;
  if (route->options.authenticated) {
    const auto authorization = request.header("authorization");
    if (server.verifier == nullptr) {
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
    end = std::to_chars(digits, digits + sizeof digits, out->body.size()).ptr;
    head_.append("Content-Length: ").append(digits, end).append("\r\n");
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

void ServerState::remove(const std::shared_ptr<Connection>& connection) {
  {
    std::lock_guard lock(connections_mutex);
    connections.erase(connection);
  }
  active.fetch_sub(1);
  connections_gauge->add(-1);
}

awaitable<void> ServerState::accept_loop() {
  auto self = shared_from_this();
  while (!stopping.load()) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kAwaitTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open() || stopping.load()) break;
      // Out of file descriptors and the like: back off briefly rather than spin.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer backoff(strand, std::chrono::milliseconds(50));
      co_await backoff.async_wait(kAwaitTuple);
      continue;
    }
    if (active.load() >= config.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(self, std::move(socket));
    {
      std::lock_guard lock(connections_mutex);
      connections.insert(connection);
    }
    active.fetch_add(1);
    connections_gauge->add(1);
    asio::co_spawn(connection->executor(), connection->run(),
                   [this, connection](std::exception_ptr error) {
                     if (!error) return;
                     // run() handles its own errors; this is a bug (or bad_alloc).
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       spdlog::error("connection failed: {}", e.what());
                     }
                     remove(connection);
                   });
  }
}

awaitable<void> ServerState::sweep_loop() {
  auto self = shared_from_this();
  while (sweeping.load()) {
    sweep_timer.expires_after(sweep_interval);
    co_await sweep_timer.async_wait(kAwaitTuple);
    if (!sweeping.load()) break;
    const auto now = ticks(Clock::now());
    for_each_connection([now](const std::shared_ptr<Connection>& connection) {
      if (connection->expired(now)) connection->post_check_deadline();
    });
  }
}

awaitable<void> ServerState::wait_for_connections(Clock::time_point deadline) {
  // Poll the count: connections end on their own strands and signal nothing else.
  asio::steady_timer timer(strand);
  while (active.load() > 0 && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kAwaitTuple);
  }
}

awaitable<void> ServerState::shutdown_on_strand() {
  auto self = shared_from_this();
  if (!stopping.exchange(true)) {
    beast::error_code ignored;
    acceptor.close(ignored);
    for_each_connection([](const std::shared_ptr<Connection>& c) { c->post_request_close(); });
  }
  co_await wait_for_connections(Clock::now() + config.shutdown_timeout);
  if (active.load() > 0) {
    spdlog::warn("http server: closing {} connection(s) still busy after the shutdown timeout",
                 active.load());
    for_each_connection([](const std::shared_ptr<Connection>& c) { c->post_close(); });
    co_await wait_for_connections(Clock::now() + std::chrono::seconds(1));
  }
  sweeping.store(false);
  sweep_timer.cancel();
}

awaitable<std::string> run_readiness_check(std::function<awaitable<bool>()> check,
                                           std::chrono::milliseconds timeout) {
  // The check runs as its own coroutine so a check that ignores cancellation cannot hold
  // /readyz past its deadline. Everything here runs on the connection's strand.
  auto executor = co_await asio::this_coro::executor;
  struct State {
    explicit State(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    std::optional<std::string> outcome;
  };
  auto state = std::make_shared<State>(executor);
  state->timer.expires_after(timeout);
  asio::co_spawn(executor, check(), [state](std::exception_ptr error, bool ready) {
    state->outcome = error ? "error" : (ready ? "ok" : "failed");
    state->timer.cancel();
  });
  if (!state->outcome) co_await state->timer.async_wait(kAwaitTuple);
  co_return state->outcome.value_or("timeout");
}

awaitable<Response> ServerState::readyz() {
  boost::json::object checks;
  bool ready = !stopping.load();
  for (const auto& [name, check] : readiness) {
    auto outcome = co_await run_readiness_check(check, config.readiness_timeout);
    ready = ready && outcome == "ok";
    checks[name] = outcome;
  }
  boost::json::object body;
  body["status"] = ready ? "ready" : "not_ready";
  body["checks"] = std::move(checks);
  Response response;
  response.status = ready ? 200 : 503;
  response.body = boost::json::serialize(body);
  if (!ready) response.headers.emplace_back("Retry-After", "1");
  co_return response;
}

namespace {
awaitable<Response> healthz(Request) {
  Response response;
  response.body = R"({"status":"ok"})";
  co_return response;
}

awaitable<Response> metrics_page(Request) {
  Response response;
  response.content_type = "text/plain; version=0.0.4";
  response.body = metrics::registry().render();
  co_return response;
}
}  // namespace

struct HttpServer::Impl final : ServerState {
  using ServerState::ServerState;
};

HttpServer::HttpServer(asio::io_context& io, ServerConfig config, Router& router,
                       const JwtVerifier* verifier)
    : impl_(std::make_shared<Impl>(io, std::move(config), router, verifier)) {
  auto* impl = impl_.get();
  const RouteOptions open{.authenticated = false};
  impl->builtin.add("GET", "/healthz", healthz, open);
  impl->builtin.add(
      "GET", "/readyz", [impl](Request) { return impl->readyz(); }, open);
  impl->builtin.add("GET", "/metrics", metrics_page, open);
  const auto shortest =
      std::min({impl->config.header_timeout, impl->config.body_timeout, impl->config.idle_timeout});
  impl->sweep_interval =
      std::clamp(shortest / 8, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
}

HttpServer::~HttpServer() = default;

void HttpServer::add_readiness_check(std::string name, std::function<awaitable<bool>()> check) {
  impl_->readiness.emplace_back(std::move(name), std::move(check));
}

void HttpServer::start() {
  auto& impl = *impl_;
  for (const auto& route : impl.router.routes()) {
    impl.route_metrics.push_back(std::make_unique<RouteMetrics>(route.pattern, route.method));
  }
  for (const auto& route : impl.builtin.routes()) {
    impl.builtin_metrics.push_back(std::make_unique<RouteMetrics>(route.pattern, route.method));
  }
  for (auto method : kCommonMethods) {
    impl.unmatched_metrics.push_back(
        std::make_unique<RouteMetrics>("unmatched", std::string(method)));
  }
  impl.unmatched_metrics.push_back(std::make_unique<RouteMetrics>("unmatched", "OTHER"));

  tcp::resolver resolver(impl.io);
  const auto endpoints = resolver.resolve(impl.config.host, std::to_string(impl.config.port),
                                          tcp::resolver::numeric_service | tcp::resolver::passive);
  const tcp::endpoint endpoint = *endpoints.begin();
  impl.acceptor.open(endpoint.protocol());
  impl.acceptor.set_option(asio::socket_base::reuse_address(true));
  impl.acceptor.bind(endpoint);
  impl.acceptor.listen(asio::socket_base::max_listen_connections);
  impl.sweeping.store(true);
  const auto log_failure = [](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::error("http server task failed: {}", e.what());
    }
  };
  asio::co_spawn(impl.strand, impl.accept_loop(), log_failure);
  asio::co_spawn(impl.strand, impl.sweep_loop(), log_failure);
  spdlog::info("http server listening on {}:{}", impl.config.host, port());
}

int HttpServer::requests_in_flight() const {
  return impl_->in_flight.load(std::memory_order_relaxed);
}

std::uint16_t HttpServer::port() const {
  beast::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? impl_->config.port : endpoint.port();
}

awaitable<void> HttpServer::shutdown() {
  co_await asio::co_spawn(impl_->strand, impl_->shutdown_on_strand(), use_awaitable);
}

void HttpServer::stop() {
  asio::co_spawn(impl_->strand, impl_->shutdown_on_strand(), [](std::exception_ptr error) {
    if (error) spdlog::error("http server shutdown failed");
  });
}

void run_io(asio::io_context& io, int threads) {
  const auto run = [&io] {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("uncaught exception on an I/O thread: {}", e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(run);
  run();
  for (auto& thread : pool) thread.join();
}

std::thread run_io_in_background(asio::io_context& io, int nice) {
  return std::thread([&io, nice] {
    // Linux nice values are per thread: this lowers only the background thread.
    if (nice > 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0) {
      spdlog::warn("cannot lower the background thread's priority by {}: {}", nice,
                   std::strerror(errno));
    }
    run_io(io, 1);
  });
}

void on_shutdown_signal(asio::io_context& io, std::function<void()> on_signal) {
  auto signals = std::make_shared<asio::signal_set>(io, SIGTERM, SIGINT);
  signals->async_wait([signals, on_signal = std::move(on_signal)](
                          const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("signal {} received: shutting down", signal_number);
    on_signal();
  });
}

}  // namespace platform::http
