#pragma once
// Background work (outbox relays, event handlers) giving way to the requests a service's HTTP
// server is answering. On a small machine the two compete for the same cores and the same Redis:
// while the server is busy, background work goes one unit at a time, one unit per pass interval
// across all its actors (spread out, not in clumps that would stall requests), so customers are
// answered first, the background still moves under sustained load, and it catches up at full
// speed as soon as the burst ends.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace platform::http {

class HttpServer;

struct GiveWayConfig {
  // The server counts as busy from this many requests in flight; 0 never gives way.
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
  // `server` must outlive this.
  GiveWay(const HttpServer& server, GiveWayConfig config);

  bool server_busy() const;
  // Completes at once when the server is not busy; while it is, when this caller gets the next
  // pass or the server calms down. Runs on the caller's executor; thread-safe.
  boost::asio::awaitable<void> wait();

 private:
  bool take_pass();

  const HttpServer& server_;
  GiveWayConfig config_;
  std::chrono::steady_clock::duration pass_interval_;
  std::atomic<std::chrono::steady_clock::rep> next_pass_{0};
};

}  // namespace platform::http
