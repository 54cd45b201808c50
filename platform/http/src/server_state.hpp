#pragma once
// What the listener, the connections and the built-in routes share (internal; Asio inside).
// One ServerState per HttpServer, kept alive by its connections until the last one closes.
#include <array>
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "platform/http/auth.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/metrics.hpp"

namespace platform::http {

using Clock = std::chrono::steady_clock;

inline std::int64_t ticks(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

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

inline constexpr std::array<std::string_view, 7> kCommonMethods = {
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

class Connection;

struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(boost::asio::io_context& io_context, ServerConfig server_config, Router& user_router,
              const JwtVerifier* jwt)
      : io(io_context),
        strand(boost::asio::make_strand(io_context)),
        acceptor(strand),
        sweep_timer(strand),
        config(std::move(server_config)),
        router(user_router),
        verifier(jwt),
        connections_gauge(
            &metrics::registry().gauge("http_connections_active", "Open HTTP connections")) {}

  boost::asio::io_context& io;
  boost::asio::strand<boost::asio::io_context::executor_type> strand;  // acceptor, sweeper, stop
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer sweep_timer;
  ServerConfig config;
  Router& router;
  const JwtVerifier* verifier;
  Router builtin;  // /healthz, /readyz, /metrics (builtin_routes.cpp)
  std::vector<std::pair<std::string, std::function<boost::asio::awaitable<bool>()>>> readiness;

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

  // listener.cpp: binds and listens (throws on failure), then accepts and sweeps on `strand`.
  void listen();
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> sweep_loop();
  boost::asio::awaitable<void> shutdown_on_strand();
  boost::asio::awaitable<void> wait_for_connections(Clock::time_point deadline);
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

}  // namespace platform::http
