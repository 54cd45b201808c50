#include "platform/http/give_way.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/config.hpp"
#include "platform/http/server.hpp"

namespace platform::http {

GiveWayConfig GiveWayConfig::from_env() {
  GiveWayConfig c;
  c.busy_at = static_cast<int>(config::get_int("BACKGROUND_GIVE_WAY_AT", c.busy_at, 0, 1000000));
  c.max_wait = std::chrono::milliseconds(
      config::get_int("BACKGROUND_MAX_WAIT_MS", c.max_wait.count(), 1, 60000));
  return c;
}

GiveWay::GiveWay(const HttpServer& server, GiveWayConfig config)
    : server_(server), config_(config) {}

bool GiveWay::server_busy() const {
  return config_.busy_at > 0 && server_.requests_in_flight() >= config_.busy_at;
}

boost::asio::awaitable<void> GiveWay::wait() const {
  if (!server_busy()) co_return;
  const auto deadline = std::chrono::steady_clock::now() + config_.max_wait;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (server_busy() && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::min<std::chrono::steady_clock::duration>(
        config_.recheck, deadline - std::chrono::steady_clock::now()));
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
}

}  // namespace platform::http
