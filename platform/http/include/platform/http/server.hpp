#pragma once
// The HTTP/1.1 server (Beast inside src/). One io_context, run by N threads
// (platform::process::run_io, platform/process.hpp); each connection is a coroutine on its own
// strand, so handlers of one connection never run concurrently, while different connections
// run in parallel.
//
// Per request: parse (limits and timeouts below), route, check the headers, authenticate
// (authenticated routes), check the body's media type, set the log trace id from `traceparent`,
// run the handler, echo `traceparent`, record metrics. Errors become problem+json:
//   400 malformed request, or `duplicate_header`: Authorization or Content-Type given twice
//   401 no or bad bearer token (authenticated routes)
//   404 no route for the path
//   405 + Allow: the path exists for other methods (built-in routes included)
//   413 body or header over the limit
//   415 `unsupported_media_type`: a non-empty body that is not `application/json` (parameters
//       such as `; charset=utf-8` allowed) or has no Content-Type; empty bodies need none
//   500 a handler that throws (logged once with the trace id)
// The handler runs only when none of these applies. Built-in routes: GET /healthz, /readyz
// (body as the contracts' Readiness schema: status ready|not_ready, each check ok|down),
// /metrics; any other method on them is 405 with `Allow: GET`.
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
  // check that returns false, throws or times out counts as not ready: `down` in the body (the
  // reason is logged). Call before start().
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

}  // namespace platform::http
