#pragma once
// The HTTP/1.1 server (Beast inside src/). One io_context, run by N threads (run_io); each
// connection is a coroutine on its own strand, so handlers of one connection never run
// concurrently, while different connections run in parallel.
//
// Per request: parse (limits and timeouts below), route, authenticate (authenticated routes),
// set the log trace id from `traceparent`, run the handler, echo `traceparent`, record metrics.
// Errors become problem+json: 400 malformed, 401, 404, 405 + Allow, 413, 500 for a handler that
// throws (logged once with the trace id). Built-in routes: GET /healthz, /readyz, /metrics.
//
// Lifetime: the Router and the JwtVerifier must outlive the io_context's run; configure routes
// and readiness checks before start(); afterwards the router must not change.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "platform/http/auth.hpp"
#include "platform/http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace platform::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 binds a free port; see HttpServer::port()
  std::size_t body_limit_bytes = 65536;
  std::chrono::milliseconds header_timeout{10000};    // from the first byte to the end of headers
  std::chrono::milliseconds body_timeout{10000};      // reading the body; also writing a response
  std::chrono::milliseconds idle_timeout{60000};      // keep-alive wait for the next request
  std::size_t max_connections = 10000;                // more are accepted and closed at once
  std::chrono::milliseconds shutdown_timeout{10000};  // how long stop() lets requests finish
  std::chrono::milliseconds readiness_timeout{2000};  // per readiness check

  // HTTP_HOST (127.0.0.1), HTTP_PORT (default_port), HTTP_BODY_LIMIT_BYTES (65536),
  // HTTP_HEADER_TIMEOUT_MS (10000), HTTP_BODY_TIMEOUT_MS (10000), HTTP_IDLE_TIMEOUT_MS (60000),
  // HTTP_MAX_CONNECTIONS (10000), HTTP_SHUTDOWN_TIMEOUT_MS (10000),
  // HTTP_READINESS_TIMEOUT_MS (2000). Throws std::invalid_argument on a bad value.
  static ServerConfig from_env(std::uint16_t default_port);
};

class HttpServer {
 public:
  // `verifier` may be null only when no route is authenticated: authenticated routes then
  // answer 401. Neither `router` nor `verifier` is owned.
  HttpServer(boost::asio::io_context& io, ServerConfig config, Router& router,
             const JwtVerifier* verifier);
  // Does not wait: call stop() or shutdown() first for a graceful end. Connections still open
  // keep the server's internals alive until they close.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // /readyz answers 200 when every check returns true within readiness_timeout, else 503. A
  // check that throws or times out counts as not ready. Call before start().
  void add_readiness_check(std::string name, std::function<boost::asio::awaitable<bool>()> check);

  // Binds, listens and starts accepting. Throws boost::system::system_error if it cannot bind.
  void start();
  // The bound port (after start()).
  std::uint16_t port() const;
  // Requests read and not yet answered, on all threads (for background work to give way).
  int requests_in_flight() const;

  // Graceful stop: stop accepting, close idle connections, let in-flight requests finish (their
  // connections then close), and after shutdown_timeout close whatever is left. Completes when
  // every connection is closed. Safe to call from any thread, more than once.
  boost::asio::awaitable<void> shutdown();
  // Starts shutdown() without waiting for it (for signal handlers).
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Runs `io` on `threads` threads (the caller's included) until it runs out of work or is
// stopped, then joins them. An exception escaping a handler is logged and the thread goes on.
void run_io(boost::asio::io_context& io, int threads);

// Runs `io` on a new thread whose nice value is raised by `nice` (0..19; 0 keeps the priority),
// like run_io with one thread. Meant for background work (outbox relays, event consumers): under
// load it yields the CPU to request handling and catches up when the load drops. Join the thread
// once `io` has run out of work.
[[nodiscard]] std::thread run_io_in_background(boost::asio::io_context& io, int nice);

// Calls `on_signal` once, on the io_context, at the first SIGTERM or SIGINT. The wait keeps `io`
// busy until then; after it the default action is restored, so a second signal ends the process.
void on_shutdown_signal(boost::asio::io_context& io, std::function<void()> on_signal);

}  // namespace platform::http
