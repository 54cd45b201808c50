#pragma once
// A one-shot piece of work with a deadline, for admin subcommands (`cart_service rebuild-view
// USER_ID`) and command-line tools (the catalog import): its own io_context, a Redis connection
// (REDIS_*), the clock, and a Kafka producer created on first use (KAFKA_*).
//
// run() drives the io_context on the calling thread until `work` completes or the deadline
// passes; then the work is abandoned (its coroutine is cancelled with the io_context) and run()
// answers Errc::timeout. Redis is connected before `work` starts (Errc::unavailable if it cannot
// be within the deadline). Not thread-safe: one thread owns a Task. Does not set up logging
// (run_main does, on standard error, for admin commands).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/clock.hpp"
#include "platform/error.hpp"

namespace boost::asio {
class io_context;
}
namespace platform::redis {
class RedisClient;
}
namespace platform::kafka {
class Producer;
}

namespace platform::app {

class Task {
 public:
  Task();
  ~Task();  // closes Redis and flushes the producer (5 s at most) if one was made
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  boost::asio::io_context& io();
  redis::RedisClient& redis();
  kafka::Producer& producer();
  const Clock& clock() const;

  [[nodiscard]] Status run(std::function<boost::asio::awaitable<Status>()> work,
                           std::chrono::milliseconds deadline);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// An admin subcommand of a service binary: `<binary> <name> <args...>`.
struct AdminCommand {
  std::string name;               // e.g. "rebuild-view"
  std::vector<std::string> args;  // names for the usage line, e.g. {"USER_ID"}
  std::chrono::milliseconds deadline{30000};
  // Prints its outcome on stdout; an error is printed on stderr and exits 1.
  std::function<boost::asio::awaitable<Status>(Task&, std::vector<std::string>)> run;
};

// The whole main() of a service binary: no arguments → serve() (which builds a Service, wires
// it and returns Service::run()); `<name> <args...>` of an admin command → that command in a
// Task; anything else → the usage on stderr, exit 2. Exceptions (startup and configuration
// failures) are printed and exit 1.
int run_main(int argc, char** argv, const std::string& binary, const std::function<int()>& serve,
             const std::vector<AdminCommand>& admin = {});

}  // namespace platform::app
