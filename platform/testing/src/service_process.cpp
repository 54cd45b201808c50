#include "platform/testing/service_process.hpp"

#include <boost/asio/io_context.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "platform/http/auth.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"

namespace platform::testing {
namespace {
using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

ServiceProcess::ServiceProcess(std::string binary, Env env)
    : binary_(std::move(binary)),
      env_(std::move(env)),
      port_(free_port()),
      suffix_(unique_suffix()) {}

ServiceProcess::~ServiceProcess() {
  if (process_ && process_->running()) process_->stop(SIGTERM);
}

void ServiceProcess::start() {
  Env env{{"HTTP_PORT", std::to_string(port_)},
          {"REDIS_HOST", redis_host()},
          {"REDIS_PORT", std::to_string(redis_port())},
          {"KAFKA_BROKERS", kafka_brokers()},
          {"PG_DSN", pg_dsn()},
          {"KAFKA_GROUP_PREFIX", suffix_ + "-"},
          {"OUTBOX_POLL_INTERVAL_MS", "10"},
          {"LOG_LEVEL", "info"}};
  for (const auto& setting : env_) {
    std::erase_if(env, [&setting](const auto& entry) { return entry.first == setting.first; });
    env.push_back(setting);
  }
  const auto name = std::filesystem::path(binary_).filename().string();
  process_.emplace(binary_, std::vector<std::string>{}, std::move(env),
                   (std::filesystem::temp_directory_path() / (name + "_" + suffix_ + ".log")));
  process_->start();
  const bool ready = eventually(
      [this] {
        try {
          return http_call(port_, "GET", "/readyz").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      60s, 50ms);
  if (!ready) throw std::runtime_error(name + " did not become ready:\n" + log_tail());
}

int ServiceProcess::stop(int signal) {
  if (!process_) return 0;
  const int status = process_->stop(signal);
  process_.reset();
  return status;
}

bool ServiceProcess::running() {
  return process_ && process_->running();
}

pid_t ServiceProcess::pid() const {
  return process_ ? process_->pid() : -1;
}

double ServiceProcess::metric(const std::string& sample) const {
  const auto response = http_call(port_, "GET", "/metrics");
  const auto prefix = sample + " ";
  std::size_t at = 0;
  while (at < response.body.size()) {
    const auto end = response.body.find('\n', at);
    const auto line =
        response.body.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.starts_with(prefix)) return std::stod(line.substr(prefix.size()));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return 0;
}

std::string ServiceProcess::log_tail() const {
  return process_ ? process_->log_tail() : "";
}

HttpResult ServiceProcess::call(const std::string& user_id, const std::string& method,
                                const std::string& target, const std::string& body,
                                Headers headers) const {
  if (!user_id.empty()) headers.emplace_back("Authorization", "Bearer " + token_for(user_id));
  return http_call(port_, method, target, body, headers);
}

std::string token_for(const std::string& user_id) {
  return http::issue_token(http::JwtConfig::from_env(), user_id, 1h);
}

redis::Reply redis_command(std::vector<std::string> args) {
  thread_local boost::asio::io_context io;
  thread_local redis::RedisClient client(io, redis_config());
  auto task = [](redis::RedisClient& redis,
                 std::vector<std::string> command) -> boost::asio::awaitable<Result<redis::Reply>> {
    const bool connected = co_await redis.wait_connected(5s);
    if (!connected) co_return make_error(Errc::unavailable, "redis unavailable");
    co_return co_await redis.command(std::move(command));
  };
  auto reply = run(io, task(client, std::move(args)));
  if (!reply) throw std::runtime_error("redis: " + reply.error().message);
  return *reply;
}

std::optional<std::string> contract_violation(const CloudEvent& event) {
  const std::filesystem::path root = CHECKOUT_SOURCE_DIR;
  const auto python = root / ".local/venv/bin/python";
  if (!std::filesystem::exists(python)) {
    return "no contracts venv at " + python.string() + " (./dev test creates it)";
  }
  const auto file = std::filesystem::temp_directory_path() / ("event_" + event.id + ".json");
  const auto out = file.string() + ".out";
  std::ofstream(file) << event.data;
  const auto command = python.string() + " " +
                       (root / "tools/contracts/validate_event.py").string() + " '" + event.type +
                       "' " + file.string() + " > " + out + " 2>&1";
  const int status = std::system(command.c_str());
  auto message = read_file(out);
  std::filesystem::remove(file);
  std::filesystem::remove(out);
  if (status == 0) return std::nullopt;
  return event.type + " does not match its schema: " + message + "\n" + event.data;
}

}  // namespace platform::testing
