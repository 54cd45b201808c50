#include "platform/background_loop.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <stdexcept>

namespace platform {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code, int)>;

struct Probe {
  explicit Probe(asio::io_context& io) : work(io, 1), values(io, 1) {}
  Channel work;    // awaited as work (outside the signal)
  Channel values;  // awaited as a wait (through the signal)
  int iterations = 0;
  bool work_done = false;
  std::optional<int> received;
};

asio::awaitable<int> receive(Channel* channel) {
  auto [ec, value] = co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
  co_return ec ? -1 : value;
}

// Awaited results go to a named variable first: g++ 12 miscompiles a co_await whose operand
// holds a temporary inside an if or loop condition.
asio::awaitable<void> idle_loop(Probe* probe, StopSignal stop) {
  for (;;) {
    ++probe->iterations;
    const bool slept = co_await stop.sleep(1h);
    if (!slept) co_return;
  }
}

asio::awaitable<void> working_loop(Probe* probe, StopSignal stop) {
  co_await receive(&probe->work);  // work: not interrupted by the stop
  probe->work_done = true;
  for (;;) {
    const bool slept = co_await stop.sleep(1h);
    if (!slept) co_return;
  }
}

asio::awaitable<void> waiting_loop(Probe* probe, StopSignal stop) {
  for (;;) {
    auto got = co_await stop.wait(receive(&probe->values));
    if (!got) co_return;
    probe->received = *got;
  }
}

asio::awaitable<void> throwing_loop(StopSignal) {
  throw std::runtime_error("boom");
  co_return;
}

// Yields to the io_context a few times so a just-started loop reaches its first wait.
asio::awaitable<void> settle() {
  auto ex = co_await asio::this_coro::executor;
  for (int i = 0; i < 10; ++i) co_await asio::post(ex, asio::use_awaitable);
}

template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
  auto f = asio::co_spawn(io, std::move(a), asio::use_future);
  io.restart();
  while (f.wait_for(0s) != std::future_status::ready) io.run_one_for(100ms);
  return f.get();
}

TEST(BackgroundLoop, StopEndsAnIdleWaitAtOnce) {
  asio::io_context io;
  Probe probe(io);
  BackgroundLoop loop(io, "idle");
  loop.start([&probe](StopSignal stop) { return idle_loop(&probe, std::move(stop)); });
  const auto started = Clock::now();
  const bool stopped = run(io, [&]() -> asio::awaitable<bool> {
    co_await settle();
    EXPECT_TRUE(loop.running());
    co_return co_await loop.stop(Clock::now() + 10s);
  }());
  EXPECT_TRUE(stopped);
  EXPECT_LT(Clock::now() - started, 1s);  // not the hour the loop was sleeping for
  EXPECT_EQ(probe.iterations, 1);
  EXPECT_FALSE(loop.running());
}

TEST(BackgroundLoop, WorkInProgressFinishesBeforeTheLoopEnds) {
  asio::io_context io;
  Probe probe(io);
  BackgroundLoop loop(io, "working");
  loop.start([&probe](StopSignal stop) { return working_loop(&probe, std::move(stop)); });
  const bool stopped = run(io, [&]() -> asio::awaitable<bool> {
    co_await settle();
    loop.request_stop();
    co_await settle();
    EXPECT_TRUE(loop.running());  // still in its work
    EXPECT_FALSE(probe.work_done);
    probe.work.try_send(boost::system::error_code{}, 1);
    co_return co_await loop.stop(Clock::now() + 10s);
  }());
  EXPECT_TRUE(stopped);
  EXPECT_TRUE(probe.work_done);
}

TEST(BackgroundLoop, StopGivesUpAtTheDeadlineAndTheLoopEndsLater) {
  asio::io_context io;
  Probe probe(io);
  BackgroundLoop loop(io, "slow");
  loop.start([&probe](StopSignal stop) { return working_loop(&probe, std::move(stop)); });
  EXPECT_FALSE(run(io, loop.stop(Clock::now() + 20ms)));
  EXPECT_TRUE(loop.running());
  probe.work.try_send(boost::system::error_code{}, 1);
  EXPECT_TRUE(run(io, loop.stop(Clock::now() + 10s)));
  EXPECT_TRUE(probe.work_done);
}

TEST(BackgroundLoop, WaitDeliversResultsAndIsCancelledByTheStop) {
  asio::io_context io;
  Probe probe(io);
  BackgroundLoop loop(io, "waiting");
  loop.start([&probe](StopSignal stop) { return waiting_loop(&probe, std::move(stop)); });
  const bool stopped = run(io, [&]() -> asio::awaitable<bool> {
    co_await settle();
    probe.values.try_send(boost::system::error_code{}, 7);
    co_await settle();
    EXPECT_EQ(probe.received, 7);
    co_return co_await loop.stop(Clock::now() + 10s);
  }());
  EXPECT_TRUE(stopped);
}

TEST(BackgroundLoop, ALoopThatThrowsEndsAndStopReturns) {
  asio::io_context io;
  BackgroundLoop loop(io, "throwing");
  loop.start([](StopSignal stop) { return throwing_loop(std::move(stop)); });
  EXPECT_TRUE(run(io, loop.stop(Clock::now() + 10s)));
  EXPECT_FALSE(loop.running());
}

TEST(BackgroundLoop, StopBeforeStartReturnsAtOnce) {
  asio::io_context io;
  BackgroundLoop loop(io, "never");
  EXPECT_TRUE(run(io, loop.stop(Clock::now() + 10s)));
}

}  // namespace
}  // namespace platform
