// The public face of the server: configuration and HttpServer. The parts live beside it:
// request_parser (bytes to Request), connection (per-connection coroutine), listener (accept,
// connection cap, graceful drain), builtin_routes (/healthz, /readyz, /metrics).
#include "platform/http/server.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "builtin_routes.hpp"
#include "platform/config.hpp"
#include "platform/log.hpp"
#include "server_state.hpp"

namespace platform::http {
namespace asio = boost::asio;
using asio::awaitable;

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

struct HttpServer::Impl final : ServerState {
  using ServerState::ServerState;
};

HttpServer::HttpServer(asio::io_context& io, ServerConfig config, Router& router,
                       const JwtVerifier* verifier)
    : impl_(std::make_shared<Impl>(io, std::move(config), router, verifier)) {
  add_builtin_routes(*impl_);
  const auto shortest = std::min(
      {impl_->config.header_timeout, impl_->config.body_timeout, impl_->config.idle_timeout});
  impl_->sweep_interval =
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
  impl.listen();
  spdlog::info("http server listening on {}:{}", impl.config.host, port());
}

int HttpServer::requests_in_flight() const {
  return impl_->in_flight.load(std::memory_order_relaxed);
}

std::uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? impl_->config.port : endpoint.port();
}

awaitable<void> HttpServer::shutdown() {
  co_await asio::co_spawn(impl_->strand, impl_->shutdown_on_strand(), asio::use_awaitable);
}

void HttpServer::stop() {
  asio::co_spawn(impl_->strand, impl_->shutdown_on_strand(), [](std::exception_ptr error) {
    if (error) spdlog::error("http server shutdown failed");
  });
}

}  // namespace platform::http
