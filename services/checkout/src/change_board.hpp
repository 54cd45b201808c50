#pragma once
// Tells the requests waiting on a session (read-your-writes, the SSE stream) that its view
// changed, without polling Redis in a loop: the consumer posts `changed(session)` after each
// commit and every waiter of that session wakes up to read the new state. Waiters in another
// process (a second checkout instance whose consumer does not own the session's partition) are
// not told; they re-read after at most their slice (wait()'s `slice`), so the board only makes
// the common case fast and never decides correctness.
// Threads: changed() from any thread; wait() from a coroutine on any io_context (the wake-up is
// posted to the waiter's executor). A waiter whose request is cancelled simply times out.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace checkout {

class ChangeBoard {
 public:
  // How many changes `session_id` has seen in this process (0 at first).
  std::uint64_t seen(const std::string& session_id) const;
  // Wakes every waiter of `session_id`.
  void changed(const std::string& session_id);
  // Returns once the session has seen more than `after` changes or `slice` has passed.
  boost::asio::awaitable<void> wait(std::string session_id, std::uint64_t after,
                                    std::chrono::milliseconds slice);

 private:
  struct Waiter;
  struct Entry {
    std::uint64_t changes = 0;
    std::vector<std::weak_ptr<Waiter>> waiters;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> sessions_;
};

}  // namespace checkout
