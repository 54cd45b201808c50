#include "platform/testing/own_redis.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "platform/testing/eventually.hpp"

namespace platform::testing {
namespace {
bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}
}  // namespace

OwnRedisServer::OwnRedisServer() : port_(free_port()) {}

OwnRedisServer::~OwnRedisServer() {
  kill();
}

void OwnRedisServer::start() {
  const auto port = std::to_string(port_);
  process_ = std::make_unique<ChildProcess>(
      "redis-server",
      std::vector<std::string>{"--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly",
                               "no"},
      std::vector<std::pair<std::string, std::string>>{},
      (std::filesystem::temp_directory_path() / ("own-redis-" + port + ".log")).string());
  process_->start();
  if (!eventually([this] { return accepts_connections(port_); }, std::chrono::seconds(5))) {
    throw std::runtime_error("redis-server did not start on port " + port);
  }
}

void OwnRedisServer::kill() {
  if (process_) process_->stop(SIGKILL);
  process_.reset();
}

}  // namespace platform::testing
