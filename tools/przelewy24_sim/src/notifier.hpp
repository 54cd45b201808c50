#pragma once
// Sends the queued notifications (notification_queue.hpp) over HTTP: a background loop looks
// for due ones every kTick of real time (so a test's POST /control/clock is acted on within a
// tick) and posts each to its urlStatus through the kit's HTTP client (one client per
// scheme://host:port, no retries: P24's own resend schedule is the retry). At delivery the
// faults apply: drop (counted, nothing sent), reorder (held for flush()), duplicates (sent
// 1 + N times). The receiver's answer is counted, never acted on (P24 resends until verify).
//
// Ownership: the io_context, clock, ledger, faults and queue must outlive the Notifier; call
// stop() before the io_context stops. Thread-safety: flush(), counters() from any thread of the
// io_context. Cancellation: stop() ends the loop at its next wait; a delivery in flight
// finishes (bounded by the client's request timeout).
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway_sim/fault_config.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "ledger.hpp"
#include "notification_queue.hpp"
#include "platform/background_loop.hpp"

namespace boost::asio {
class io_context;
}
namespace platform::httpclient {
class HttpClient;
}

namespace p24_sim {

inline constexpr std::chrono::milliseconds kTick{50};

struct DeliveryCounters {
  std::int64_t sent = 0;        // answered by the receiver (any status)
  std::int64_t failed = 0;      // no answer (refused, timed out, a bad urlStatus)
  std::int64_t dropped = 0;     // lost on purpose (drop_notifications)
  std::int64_t duplicated = 0;  // extra copies sent (duplicate_notifications)
};

class Notifier {
 public:
  Notifier(boost::asio::io_context& io, gateway_sim::SimClock& clock, Ledger& ledger,
           gateway_sim::FaultStore& faults, NotificationQueue& queue);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void start();
  boost::asio::awaitable<bool> stop(std::chrono::steady_clock::time_point deadline);

  // Sends the held notifications now, newest first (the reorder fault); returns how many.
  boost::asio::awaitable<std::size_t> flush();

  [[nodiscard]] DeliveryCounters counters() const;
  void reset_counters();

 private:
  boost::asio::awaitable<void> run(platform::StopSignal stop);
  // Applies drop, reorder (unless `flushing`) and duplicates, then posts.
  boost::asio::awaitable<void> deliver(Delivery delivery, bool flushing);
  boost::asio::awaitable<bool> post(const Delivery& delivery);
  platform::httpclient::HttpClient* client_for(const std::string& base_url);

  boost::asio::io_context& io_;
  gateway_sim::SimClock& clock_;
  Ledger& ledger_;
  gateway_sim::FaultStore& faults_;
  NotificationQueue& queue_;
  platform::BackgroundLoop loop_;
  std::mutex clients_mutex_;
  std::map<std::string, std::unique_ptr<platform::httpclient::HttpClient>> clients_;
  std::atomic<std::int64_t> sent_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<std::int64_t> dropped_{0};
  std::atomic<std::int64_t> duplicated_{0};
};

// "http://host:port/path?q" → {"http://host:port", "/path?q"}; std::nullopt unless http://.
struct SplitUrl {
  std::string base;
  std::string path_and_query;
};
std::optional<SplitUrl> split_url(std::string_view url);

}  // namespace p24_sim
