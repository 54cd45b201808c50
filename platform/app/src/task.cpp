#include "platform/app/task.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <iostream>
#include <optional>

#include "platform/kafka/producer.hpp"
#include "platform/log.hpp"
#include "platform/redis/client.hpp"

namespace platform::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Task::Impl {
  asio::io_context io;
  redis::RedisClient redis{io, redis::RedisConfig::from_env()};
  SystemClock clock;
  std::optional<kafka::Producer> producer;
};

Task::Task() : impl_(std::make_unique<Impl>()) {}

Task::~Task() {
  impl_->redis.stop();
  if (impl_->producer) {
    if (auto flushed = impl_->producer->flush(5s); !flushed) {
      std::cerr << "producer flush: " << flushed.error().message << "\n";
    }
  }
}

asio::io_context& Task::io() {
  return impl_->io;
}
redis::RedisClient& Task::redis() {
  return impl_->redis;
}
const Clock& Task::clock() const {
  return impl_->clock;
}

kafka::Producer& Task::producer() {
  if (!impl_->producer) impl_->producer.emplace(kafka::ProducerConfig::from_env());
  return *impl_->producer;
}

namespace {
asio::awaitable<Status> connected_then(redis::RedisClient& redis,
                                       std::function<asio::awaitable<Status>()> work,
                                       std::chrono::milliseconds deadline) {
  // Awaited outside the condition: g++ 12 miscompiles co_await on a temporary inside an if.
  const bool connected = co_await redis.wait_connected(deadline);
  if (!connected) co_return make_error(Errc::unavailable, "redis unavailable");
  co_return co_await work();
}
}  // namespace

Status Task::run(std::function<asio::awaitable<Status>()> work,
                 std::chrono::milliseconds deadline) {
  auto pending = asio::co_spawn(impl_->io, connected_then(impl_->redis, std::move(work), deadline),
                                asio::use_future);
  impl_->io.restart();
  // The Redis client keeps the io_context busy, so run it only until the work is done.
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (pending.wait_for(0s) != std::future_status::ready &&
         std::chrono::steady_clock::now() < until) {
    impl_->io.run_one_for(50ms);
  }
  if (pending.wait_for(0s) != std::future_status::ready) {
    return make_error(Errc::timeout, "not done within " + std::to_string(deadline.count()) + " ms");
  }
  return pending.get();
}

namespace {
void print_usage(const std::string& binary, const std::vector<AdminCommand>& admin) {
  std::cerr << "usage: " << binary << "\n";
  for (const auto& command : admin) {
    std::cerr << "       " << binary << " " << command.name;
    for (const auto& arg : command.args) std::cerr << " " << arg;
    std::cerr << "\n";
  }
}

int run_admin(const std::string& binary, const AdminCommand& command,
              std::vector<std::string> args) {
  platform::log::init(binary, platform::log::Output::standard_error);
  Task task;
  auto done = task.run([&]() { return command.run(task, std::move(args)); }, command.deadline);
  if (!done) {
    std::cerr << command.name << " failed: " << done.error().message << "\n";
    return 1;
  }
  return 0;
}
}  // namespace

int run_main(int argc, char** argv, const std::string& binary, const std::function<int()>& serve,
             const std::vector<AdminCommand>& admin) {
  try {
    if (argc == 1) return serve();
    const std::string_view name = argv[1];
    for (const auto& command : admin) {
      if (command.name != name) continue;
      if (static_cast<std::size_t>(argc - 2) != command.args.size()) break;
      return run_admin(binary, command, std::vector<std::string>(argv + 2, argv + argc));
    }
    print_usage(binary, admin);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << binary << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace platform::app
