#pragma once
// A gateway simulator's real binary under an integration test: started on a free port with
// LOG_LEVEL=debug and its output in a log file under the test's temporary directory, waited for
// until GET /healthz answers 200; then plain HTTP calls and the shared control API
// (/control/faults, /control/clock, /control/state, /control/reset, /control/flush ...).
// Test code only: blocking calls, one thread at a time. Errors: the constructor throws
// std::runtime_error with the log's tail when the simulator does not come up within 20 s;
// control() throws std::runtime_error when a control route does not answer 200.
#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "platform/testing/http.hpp"
#include "platform/testing/process.hpp"

namespace gateway_sim::testing {

using Env = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

class SimulatorProcess {
 public:
  // `name` names the log file; `port_variable` is the variable the binary reads its port from;
  // `env` adds the gateway's own settings.
  SimulatorProcess(const std::string& name, std::string binary, const std::string& port_variable,
                   Env env);
  ~SimulatorProcess() = default;  // the child is killed with the ChildProcess
  SimulatorProcess(const SimulatorProcess&) = delete;
  SimulatorProcess& operator=(const SimulatorProcess&) = delete;
  SimulatorProcess(SimulatorProcess&&) = delete;
  SimulatorProcess& operator=(SimulatorProcess&&) = delete;

  [[nodiscard]] int port() const { return port_; }
  platform::testing::ChildProcess& process() { return process_; }

  [[nodiscard]] platform::testing::HttpResult call(const std::string& method,
                                                   const std::string& target,
                                                   const std::string& body = {},
                                                   const Headers& headers = {}) const;
  // POST `body` as application/json to a control route.
  void control(const std::string& target, const std::string& body = "{}") const;
  void faults(const std::string& body) const { control("/control/faults", body); }
  void advance(int seconds) const;
  // GET /control/state.
  [[nodiscard]] boost::json::object state() const;

 private:
  int port_;
  platform::testing::ChildProcess process_;
};

}  // namespace gateway_sim::testing
