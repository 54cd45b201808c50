#pragma once
// The one way the kit stops its long-running loops (the Kafka consumer's dispatcher and lanes, the
// outbox relays): by cancellation, never by polling a flag on a timer, and never with a blocking
// join on an I/O thread.
//
// A BackgroundLoop runs one coroutine on its own strand of an io_context and hands it a
// StopSignal. The loop waits (for its next poll, a backoff, a message) through that signal:
// sleep() and wait() bind the wait to the signal's cancellation slot. request_stop() marks the
// stop and emits a terminal cancellation on the loop's strand, so the wait the loop is suspended in
// ends at once and every later one returns false at once. What the loop awaits outside the signal
// (a publish it must finish, a handler in progress) is not interrupted: the loop returns at its
// next wait. Which awaits are waits and which are work is each loop's documented choice.
// stop() requests the stop and awaits the loop's end (a completion sent from the loop's strand),
// up to a deadline; past it the loop is left to finish on its own.
//
// Ownership: the io_context must outlive the BackgroundLoop; the loop's coroutine (and what its
// body captured) lives until it returns, even past the BackgroundLoop.
// Thread-safety: request_stop(), running() from any thread; start() once; stop() awaited by one
// caller at a time. StopSignal's sleep() and wait() only inside the loop (on its strand), one at a
// time; stop_requested() anywhere.
// Errors: an exception escaping the loop ends it and is logged with the loop's name.
// g++ 12: take what sleep()/wait() return into a named variable (`const bool slept = co_await
// stop.sleep(d); if (!slept) ...`); inside an if or loop condition, with a temporary in the
// operand, it miscompiles the coroutine (the frame is resumed in a bad state).
// Asio stays out of this header; the implementation is the platform_loop library
// (platform/asio/src/background_loop.cpp).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}

namespace platform {

namespace detail {
struct LoopState;

template <class T>
boost::asio::awaitable<void> store_result(boost::asio::awaitable<T> op, std::optional<T>* out) {
  out->emplace(co_await std::move(op));
}
}  // namespace detail

// A loop's view of its stop: cheap to copy (a handle on the loop's shared state).
class StopSignal {
 public:
  bool stop_requested() const;

  // Waits `d`; false when the stop was requested before or during the wait.
  boost::asio::awaitable<bool> sleep(std::chrono::steady_clock::duration d) const;

  // Runs `op` (something that only waits: a channel receive, a give-way hook) as its own
  // coroutine on the loop's strand, cancelled by the stop. False when the stop was requested
  // before or during it (what it produced is dropped); other exceptions it throws are rethrown.
  boost::asio::awaitable<bool> wait(boost::asio::awaitable<void> op) const;

  // The same for an operation with a result; std::nullopt when stopped.
  template <class T>
  boost::asio::awaitable<std::optional<T>> wait(boost::asio::awaitable<T> op) const {
    std::optional<T> out;
    const bool finished = co_await wait(detail::store_result(std::move(op), &out));
    if (!finished) co_return std::nullopt;
    co_return out;
  }

 private:
  friend class BackgroundLoop;
  explicit StopSignal(std::shared_ptr<detail::LoopState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::LoopState> state_;
};

class BackgroundLoop {
 public:
  // `name` appears in log lines (e.g. "outbox relay outbox:cart").
  BackgroundLoop(boost::asio::io_context& io, std::string name);
  ~BackgroundLoop();  // requests the stop of a loop still running; does not wait for it
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Spawns `body(signal)` on the loop's strand. Once; later calls do nothing.
  void start(std::function<boost::asio::awaitable<void>(StopSignal)> body);
  // Returns at once: the loop's current wait is cancelled, its work in progress is not.
  void request_stop();
  // request_stop(), then awaits the loop's end until `deadline`. True when it has ended (or never
  // started); false when it still runs at the deadline.
  boost::asio::awaitable<bool> stop(std::chrono::steady_clock::time_point deadline);
  // Started and not yet returned.
  bool running() const;

 private:
  std::shared_ptr<detail::LoopState> state_;
};

}  // namespace platform
