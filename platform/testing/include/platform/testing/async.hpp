#pragma once
// eventually() for coroutine tests: polls `done` on the test's io_context until it holds or the
// deadline passes, without blocking the thread that runs the io_context. Test files only.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>

namespace platform::testing {

inline boost::asio::awaitable<bool> eventually_async(
    boost::asio::io_context& io, std::function<bool()> done,
    std::chrono::milliseconds timeout = std::chrono::seconds(30),
    std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  boost::asio::steady_timer timer(io);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) co_return false;
    timer.expires_after(interval);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  co_return true;
}

}  // namespace platform::testing
