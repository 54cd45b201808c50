#pragma once
// Reloading rules on SIGHUP (`kill -HUP <pid>` after editing a rules file). reload_on_sighup()
// waits for SIGHUP on the io_context and calls on_hangup there (serialized: never two at once)
// at every signal, until the returned SighupWatch is cancelled or destroyed. A pending wait is
// work that keeps io_context::run() from returning, so cancel the watch on shutdown (the
// destructor does it too). cancel() is thread-safe and may be called from on_hangup itself; after
// it returns on_hangup is not called again once the io_context has run the cancellation. The
// watch must be cancelled or destroyed before the io_context is destroyed. Exceptions thrown by
// on_hangup propagate out of io_context::run() (a bug; RulesHolder::reload() returns its errors).
// While a watch exists SIGHUP no longer terminates the process.
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace platform::rules {

class SighupWatch {
 public:
  SighupWatch() = default;
  SighupWatch(SighupWatch&&) noexcept = default;
  SighupWatch& operator=(SighupWatch&& other) noexcept;
  ~SighupWatch();

  // Stops waiting; idempotent.
  void cancel() noexcept;

 private:
  friend SighupWatch reload_on_sighup(boost::asio::io_context& io, std::function<void()> on_hangup);
  struct State;
  static void wait(std::shared_ptr<State> state);
  explicit SighupWatch(std::shared_ptr<State> state) : state_(std::move(state)) {}

  std::shared_ptr<State> state_;
};

[[nodiscard]] SighupWatch reload_on_sighup(boost::asio::io_context& io,
                                           std::function<void()> on_hangup);

}  // namespace platform::rules
