#include "platform/rules/sighup.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <csignal>

using platform::rules::reload_on_sighup;
using platform::rules::SighupWatch;

namespace {
// Only a guard against a hang: every test below ends by running out of work.
constexpr auto kGuard = std::chrono::seconds(10);
}  // namespace

TEST(ReloadOnSighup, CallsBackAtEverySignalUntilCancelled) {
  boost::asio::io_context io;
  int hangups = 0;
  SighupWatch watch;
  watch = reload_on_sighup(io, [&] {
    ++hangups;
    if (hangups < 3) {
      std::raise(SIGHUP);  // the wait was re-armed before this callback
    } else {
      watch.cancel();
    }
  });
  boost::asio::post(io, [] { std::raise(SIGHUP); });
  io.run_for(kGuard);
  EXPECT_TRUE(io.stopped()) << "the cancelled watch kept the io_context busy";
  EXPECT_EQ(hangups, 3);
}

TEST(ReloadOnSighup, DestroyingTheWatchLetsTheIoContextFinish) {
  boost::asio::io_context io;
  int hangups = 0;
  {
    auto watch = reload_on_sighup(io, [&] { ++hangups; });
  }
  io.run_for(kGuard);
  EXPECT_TRUE(io.stopped());
  EXPECT_EQ(hangups, 0);
}

TEST(ReloadOnSighup, ACancelledWatchGetsNoMoreSignals) {
  boost::asio::io_context io;
  int cancelled_hangups = 0;
  int live_hangups = 0;
  auto cancelled = reload_on_sighup(io, [&] { ++cancelled_hangups; });
  SighupWatch live;
  live = reload_on_sighup(io, [&] {
    ++live_hangups;
    live.cancel();
  });
  boost::asio::post(io, [&] {
    cancelled.cancel();  // queues the cancellation before the signal below
    boost::asio::post(io, [] { std::raise(SIGHUP); });
  });
  io.run_for(kGuard);
  EXPECT_TRUE(io.stopped());
  EXPECT_EQ(live_hangups, 1);
  EXPECT_EQ(cancelled_hangups, 0);
}
