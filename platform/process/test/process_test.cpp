#include "platform/process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace platform::process {
namespace {
namespace asio = boost::asio;

TEST(RunIo, RunsTheWorkOnTheGivenThreadsAndReturnsWhenItRunsOut) {
  asio::io_context io;
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> done{0};
  for (int i = 0; i < 200; ++i) {
    asio::post(io, [&] {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
      ++done;
    });
  }
  run_io(io, 3);
  EXPECT_EQ(done.load(), 200);
  EXPECT_GE(threads.size(), 1U);
  EXPECT_LE(threads.size(), 3U);
}

TEST(RunIo, AThrowingHandlerDoesNotStopTheThread) {
  asio::io_context io;
  bool after = false;
  asio::post(io, [] { throw std::runtime_error("handler bug"); });
  asio::post(io, [&after] { after = true; });
  run_io(io, 1);
  EXPECT_TRUE(after);
}

TEST(RunIoInBackground, RunsTheWorkOnAnotherThread) {
  asio::io_context io;
  std::thread::id ran_on;
  asio::post(io, [&ran_on] { ran_on = std::this_thread::get_id(); });
  auto thread = run_io_in_background(io, 5);
  thread.join();
  EXPECT_NE(ran_on, std::thread::id{});
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(OnShutdownSignal, CallsBackOnceOnTheIoContextAtSigterm) {
  asio::io_context io;
  int calls = 0;
  on_shutdown_signal(io, [&calls] { ++calls; });
  asio::post(io, [] { std::raise(SIGTERM); });
  run_io(io, 1);  // returns once the signal was handled: nothing else keeps `io` busy
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace platform::process
