#include "platform/process.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <memory>
#include <vector>

#include "platform/log.hpp"

namespace platform::process {
namespace asio = boost::asio;

void run_io(asio::io_context& io, int threads) {
  const auto run = [&io] {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("uncaught exception on an I/O thread: {}", e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(run);
  run();
  for (auto& thread : pool) thread.join();
}

std::thread run_io_in_background(asio::io_context& io, int nice) {
  return std::thread([&io, nice] {
    // Linux nice values are per thread: this lowers only the background thread.
    if (nice > 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0) {
      spdlog::warn("cannot lower the background thread's priority by {}: {}", nice,
                   std::strerror(errno));
    }
    run_io(io, 1);
  });
}

void on_shutdown_signal(asio::io_context& io, std::function<void()> on_signal) {
  auto signals = std::make_shared<asio::signal_set>(io, SIGTERM, SIGINT);
  signals->async_wait([signals, on_signal = std::move(on_signal)](
                          const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("signal {} received: shutting down", signal_number);
    on_signal();
  });
}

}  // namespace platform::process
