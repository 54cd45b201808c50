#include "platform/rules/sighup.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <csignal>

namespace platform::rules {

namespace asio = boost::asio;

struct SighupWatch::State {
  State(asio::io_context& io, std::function<void()> on_hangup_)
      : strand(asio::make_strand(io)), signals(strand, SIGHUP), on_hangup(std::move(on_hangup_)) {}

  // The wait's completions and cancel() run on this strand, so the signal_set is never used
  // from two threads at once however many threads run the io_context.
  asio::strand<asio::io_context::executor_type> strand;
  asio::signal_set signals;
  std::function<void()> on_hangup;
  bool cancelled = false;
};

void SighupWatch::wait(std::shared_ptr<State> state) {
  auto& signals = state->signals;
  signals.async_wait([state = std::move(state)](const boost::system::error_code& ec, int) {
    // A signal that completed just before cancel() ran must not call on_hangup any more.
    if (ec || state->cancelled) return;
    // Re-arm first: a SIGHUP arriving while on_hangup runs is queued by the signal_set.
    wait(state);
    spdlog::info("SIGHUP received: reloading");
    state->on_hangup();
  });
}

SighupWatch reload_on_sighup(asio::io_context& io, std::function<void()> on_hangup) {
  auto state = std::make_shared<SighupWatch::State>(io, std::move(on_hangup));
  SighupWatch::wait(state);
  return SighupWatch(std::move(state));
}

SighupWatch& SighupWatch::operator=(SighupWatch&& other) noexcept {
  if (this != &other) {
    cancel();
    state_ = std::move(other.state_);
  }
  return *this;
}

SighupWatch::~SighupWatch() {
  cancel();
}

void SighupWatch::cancel() noexcept {
  if (!state_) return;
  auto state = std::move(state_);
  asio::dispatch(state->strand, [state] {
    state->cancelled = true;
    boost::system::error_code ignored;
    state->signals.cancel(ignored);
  });
}

}  // namespace platform::rules
