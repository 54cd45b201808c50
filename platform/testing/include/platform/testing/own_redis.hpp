#pragma once
// A redis-server of the test's own on a free port, so a test can kill it and start it again on
// the same port (dependency-down tests). Needs redis-server in PATH.
#include <memory>

#include "platform/testing/process.hpp"

namespace platform::testing {

class OwnRedisServer {
 public:
  OwnRedisServer();
  ~OwnRedisServer();
  OwnRedisServer(const OwnRedisServer&) = delete;
  OwnRedisServer& operator=(const OwnRedisServer&) = delete;

  // Starts it and waits (up to 5 s) until it accepts connections; throws if it does not.
  void start();
  // SIGKILL, as a crash would.
  void kill();
  int port() const { return port_; }

 private:
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace platform::testing
