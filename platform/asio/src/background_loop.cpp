#include "platform/background_loop.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/log.hpp"

namespace platform {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace detail {

struct LoopState {
  LoopState(asio::io_context& io, std::string n)
      : strand(asio::make_strand(io)), done(io, 1), name(std::move(n)) {}

  asio::strand<asio::io_context::executor_type> strand;
  // Bound to the wait the loop is suspended in, if any; emitted and cleared on `strand` only.
  asio::cancellation_signal signal;
  std::atomic<bool> requested{false};
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  asio::experimental::concurrent_channel<void(boost::system::error_code)> done;
  std::string name;
};

}  // namespace detail

bool StopSignal::stop_requested() const {
  return state_->requested.load();
}

// A handler left in the slot after its operation completed would point at a dead timer or
// operation, so every wait clears the slot as soon as it returns (still on the strand, before
// anything could emit).
asio::awaitable<bool> StopSignal::sleep(std::chrono::steady_clock::duration d) const {
  auto state = state_;
  if (state->requested.load()) co_return false;
  asio::steady_timer timer(state->strand, d);
  co_await timer.async_wait(
      asio::bind_cancellation_slot(state->signal.slot(), asio::as_tuple(asio::use_awaitable)));
  state->signal.slot().clear();
  co_return !state->requested.load();
}

asio::awaitable<bool> StopSignal::wait(asio::awaitable<void> op) const {
  auto state = state_;
  if (state->requested.load()) co_return false;
  auto [failure] = co_await asio::co_spawn(
      state->strand, std::move(op),
      asio::bind_cancellation_slot(state->signal.slot(), asio::as_tuple(asio::use_awaitable)));
  state->signal.slot().clear();
  if (state->requested.load()) co_return false;
  if (failure) std::rethrow_exception(failure);
  co_return true;
}

BackgroundLoop::BackgroundLoop(asio::io_context& io, std::string name)
    : state_(std::make_shared<detail::LoopState>(io, std::move(name))) {}

BackgroundLoop::~BackgroundLoop() {
  if (running()) request_stop();
}

namespace {
// Keeps `body` (and what it captured) alive for as long as the loop runs.
asio::awaitable<void> run_body(std::function<asio::awaitable<void>(StopSignal)> body,
                               StopSignal signal) {
  auto loop = body(std::move(signal));
  co_await std::move(loop);
}
}  // namespace

void BackgroundLoop::start(std::function<asio::awaitable<void>(StopSignal)> body) {
  if (state_->started.exchange(true)) return;
  asio::co_spawn(state_->strand, run_body(std::move(body), StopSignal(state_)),
                 [state = state_](std::exception_ptr failure) {
                   if (failure) {
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       spdlog::error("{} failed: {}", state->name, e.what());
                     }
                   }
                   state->finished = true;
                   state->done.try_send(boost::system::error_code{});
                 });
}

void BackgroundLoop::request_stop() {
  if (state_->requested.exchange(true)) return;
  // The slot belongs to the loop's strand; a wait started after this sees `requested` first.
  asio::post(state_->strand,
             [state = state_] { state->signal.emit(asio::cancellation_type::terminal); });
}

bool BackgroundLoop::running() const {
  return state_->started.load() && !state_->finished.load();
}

asio::awaitable<bool> BackgroundLoop::stop(std::chrono::steady_clock::time_point deadline) {
  auto state = state_;
  request_stop();
  if (!state->started.load() || state->finished.load()) co_return true;
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
  auto ended = co_await (state->done.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                         timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  co_return ended.index() == 0 || state->finished.load();
}

}  // namespace platform
