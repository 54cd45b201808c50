#pragma once
// The resend loop: every kTick it takes the notifications due on the simulator's clock and POSTs
// each to its notifyUrl (headers OpenPayu-Signature and X-OpenPayU-Signature, Content-Type
// application/json;charset=UTF-8), one at a time in queue order, through one kit HttpClient per
// merchant host (no retries of its own: the simulator's schedule is the retry), and reports the
// answer's status (0 when there was none) back to the simulator.
//
// Ownership: the io_context and the simulator must outlive it; the clients it makes live as long
// as it does. Thread-safety: start() and stop() from one thread. Cancellation: stop() cancels the
// loop's wait; a POST in progress finishes (bounded by its timeout).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "platform/background_loop.hpp"
#include "simulator.hpp"

namespace boost::asio {
class io_context;
}

namespace platform::httpclient {
class HttpClient;
}

namespace payu_sim {

class Notifier {
 public:
  static constexpr std::chrono::milliseconds kTick{50};
  static constexpr std::chrono::milliseconds kTimeout{5000};

  Notifier(boost::asio::io_context& io, Simulator& simulator);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  Notifier(Notifier&&) = delete;
  Notifier& operator=(Notifier&&) = delete;

  void start();
  boost::asio::awaitable<bool> stop(std::chrono::steady_clock::time_point deadline);

 private:
  boost::asio::awaitable<void> run(platform::StopSignal stop);
  boost::asio::awaitable<int> deliver(const Delivery& delivery);
  platform::httpclient::HttpClient& client_for(const std::string& base_url);

  boost::asio::io_context& io_;
  Simulator& simulator_;
  platform::BackgroundLoop loop_;
  std::map<std::string, std::unique_ptr<platform::httpclient::HttpClient>> clients_;
};

// "http://host:port/path?q" → {"http://host:port", "/path?q"}; std::nullopt unless http://.
struct SplitUrl {
  std::string base;
  std::string path_and_query;
};
[[nodiscard]] std::optional<SplitUrl> split_url(std::string_view url);

}  // namespace payu_sim
