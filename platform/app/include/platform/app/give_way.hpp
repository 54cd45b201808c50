#pragma once
// Background work (outbox relays, event handlers) giving way to the foreground work of a service
// (the requests its HTTP server is answering: HttpServer::requests_in_flight). On a small machine
// the two compete for the same cores and the same Redis: while the service is busy, background work
// goes one unit at a time, one unit per pass interval across all its actors (spread out, not in
// clumps that would stall requests), so customers are answered first, the background still moves
// under sustained load, and it catches up at full speed as soon as the burst ends.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>

namespace platform::app {

struct GiveWayConfig {
  // Busy from this much foreground work in hand (requests in flight); 0 never gives way.
  int busy_at = 16;
  // While busy, one unit of background work (a relay batch, an event) proceeds per this interval.
  std::chrono::milliseconds pass_interval{10};
  // How often a waiting unit looks again.
  std::chrono::milliseconds recheck{2};

  // BACKGROUND_GIVE_WAY_AT (16, 0 = never), BACKGROUND_PASS_INTERVAL_MS (10).
  static GiveWayConfig from_env();
};

class GiveWay {
 public:
  // `foreground_load` counts the foreground work in hand (requests in flight); it is called from
  // any thread and what it reads must outlive this.
  GiveWay(std::function<int()> foreground_load, GiveWayConfig config);

  bool busy() const;
  // Completes at once when the service is not busy; while it is, when this caller gets the next
  // pass or the load drops. Runs on the caller's executor; thread-safe.
  boost::asio::awaitable<void> wait();

 private:
  bool take_pass();

  std::function<int()> foreground_load_;
  GiveWayConfig config_;
  std::chrono::steady_clock::duration pass_interval_;
  std::atomic<std::chrono::steady_clock::rep> next_pass_{0};
};

}  // namespace platform::app
