#pragma once
// Process-level helpers for a service's main(): run an io_context on threads, run background
// work at a lower CPU priority, and turn SIGTERM/SIGINT into a graceful shutdown. Asio stays in
// src/: the io_context is only forward-declared here.
#include <functional>
#include <thread>

namespace boost::asio {
class io_context;
}

namespace platform::process {

// Runs `io` on `threads` threads (the caller's included) until it runs out of work or is
// stopped, then joins them. An exception escaping a handler is logged and the thread goes on.
void run_io(boost::asio::io_context& io, int threads);

// Runs `io` on a new thread whose nice value is raised by `nice` (0..19; 0 keeps the priority),
// like run_io with one thread. Meant for background work (outbox relays, event consumers): under
// load it yields the CPU to request handling and catches up when the load drops. Join the thread
// once `io` has run out of work.
[[nodiscard]] std::thread run_io_in_background(boost::asio::io_context& io, int nice);

// Calls `on_signal` once, on the io_context, at the first SIGTERM or SIGINT. The wait keeps `io`
// busy until then; after it the default action is restored, so a second signal ends the process.
void on_shutdown_signal(boost::asio::io_context& io, std::function<void()> on_signal);

}  // namespace platform::process
