#pragma once
// Background work (outbox relays, event handlers) giving way to the requests a service's HTTP
// server is answering. On a small machine the two compete for the same cores and the same Redis:
// while the server is busy, each unit of background work waits a little, so customers are
// answered first and the deferred work catches up as soon as the burst ends. The wait is
// bounded, so background work still moves under sustained load.
#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace platform::http {

class HttpServer;

struct GiveWayConfig {
  // The server counts as busy from this many requests in flight; 0 never gives way.
  int busy_at = 16;
  // The longest one unit of background work waits for the server to calm down.
  std::chrono::milliseconds max_wait{100};
  // How often a waiting unit looks again.
  std::chrono::milliseconds recheck{5};

  // BACKGROUND_GIVE_WAY_AT (16, 0 = never), BACKGROUND_MAX_WAIT_MS (100).
  static GiveWayConfig from_env();
};

class GiveWay {
 public:
  // `server` must outlive this.
  GiveWay(const HttpServer& server, GiveWayConfig config);

  bool server_busy() const;
  // Completes at once when the server is not busy, else when it is no longer busy or after
  // max_wait, whichever comes first. Runs on the caller's executor.
  boost::asio::awaitable<void> wait() const;

 private:
  const HttpServer& server_;
  GiveWayConfig config_;
};

}  // namespace platform::http
