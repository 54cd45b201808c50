#include "platform/app/give_way.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/config.hpp"

namespace platform::app {

GiveWayConfig GiveWayConfig::from_env() {
  GiveWayConfig c;
  c.busy_at = static_cast<int>(config::get_int("BACKGROUND_GIVE_WAY_AT", c.busy_at, 0, 1000000));
  c.pass_interval = std::chrono::milliseconds(
      config::get_int("BACKGROUND_PASS_INTERVAL_MS", c.pass_interval.count(), 1, 60000));
  return c;
}

GiveWay::GiveWay(std::function<int()> foreground_load, GiveWayConfig config)
    : foreground_load_(std::move(foreground_load)),
      config_(config),
      pass_interval_(
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(config.pass_interval)) {}

bool GiveWay::busy() const {
  return config_.busy_at > 0 && foreground_load_() >= config_.busy_at;
}

bool GiveWay::take_pass() {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  auto next = next_pass_.load(std::memory_order_relaxed);
  if (now < next) return false;
  return next_pass_.compare_exchange_strong(next, now + pass_interval_.count(),
                                            std::memory_order_relaxed);
}

boost::asio::awaitable<void> GiveWay::wait() {
  if (!busy() || take_pass()) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  do {
    timer.expires_after(config_.recheck);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  } while (busy() && !take_pass());
}

}  // namespace platform::app
