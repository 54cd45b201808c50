#pragma once
// Runs a coroutine to completion on a fresh io_context, for tests. Throws on timeout or if the
// coroutine throws. Include only from test files (pulls in Asio).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <stdexcept>

namespace platform::testing {

template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> task,
      std::chrono::seconds timeout = std::chrono::seconds(30)) {
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("test task timed out");
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return future.get();
}

}  // namespace platform::testing
