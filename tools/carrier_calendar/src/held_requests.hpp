#pragma once
// Requests the simulator keeps waiting on purpose (the latency and hang faults), each with a
// deadline, and the way to let them all go at once: when a test resets the faults and when the
// process stops, so nothing keeps the io_context alive after a SIGTERM. Thread-safe: hold() may
// run on any thread of the io_context; release_all() and close() from anywhere.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace boost::asio {
class io_context;
}

namespace carrier_sim {

class HeldRequests {
 public:
  HeldRequests();
  ~HeldRequests();
  HeldRequests(const HeldRequests&) = delete;
  HeldRequests& operator=(const HeldRequests&) = delete;
  HeldRequests(HeldRequests&&) = delete;
  HeldRequests& operator=(HeldRequests&&) = delete;

  // Waits on the calling coroutine's executor until `limit` has passed or release_all()/close()
  // is called. Returns true when the wait ran to its end, false when it was cut short (or the
  // holder is closed, in which case it does not wait at all).
  boost::asio::awaitable<bool> hold(std::chrono::milliseconds limit);

  // Ends every wait in progress; later hold()s wait as usual.
  void release_all();
  // Ends every wait in progress and makes later hold()s return false at once (shutdown).
  void close();
  std::size_t size() const;

 private:
  struct Waiter;

  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> waiting_;
  std::uint64_t next_id_ = 0;
  bool closed_ = false;
};

}  // namespace carrier_sim
