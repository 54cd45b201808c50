#include "gateway_sim/testing/simulator_process.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "platform/testing/env.hpp"
#include "platform/testing/eventually.hpp"

namespace gateway_sim::testing {
namespace {
using namespace std::chrono_literals;

Env with_defaults(const std::string& port_variable, int port, Env env) {
  env.insert(env.begin(), {port_variable, std::to_string(port)});
  env.emplace_back("LOG_LEVEL", "debug");
  return env;
}
}  // namespace

SimulatorProcess::SimulatorProcess(const std::string& name, std::string binary,
                                   const std::string& port_variable, Env env)
    : port_(platform::testing::free_port()),
      process_(std::move(binary), {}, with_defaults(port_variable, port_, std::move(env)),
               ::testing::TempDir() + name + "_" + platform::testing::unique_suffix() + ".log") {
  process_.start();
  const bool up = platform::testing::eventually(
      [this] {
        if (!process_.running()) return true;  // reported below
        try {
          return call("GET", "/healthz").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      20s, 10ms);
  if (!up || !process_.running()) {
    throw std::runtime_error("the simulator did not come up:\n" + process_.log_tail());
  }
}

platform::testing::HttpResult SimulatorProcess::call(const std::string& method,
                                                     const std::string& target,
                                                     const std::string& body,
                                                     const Headers& headers) const {
  return platform::testing::http_call(port_, method, target, body, headers);
}

void SimulatorProcess::control(const std::string& target, const std::string& body) const {
  const auto answer = call("POST", target, body, {{"Content-Type", "application/json"}});
  if (answer.status != 200) throw std::runtime_error(target + " refused: " + answer.body);
}

void SimulatorProcess::advance(int seconds) const {
  control("/control/clock", R"({"advance_s":)" + std::to_string(seconds) + "}");
}

boost::json::object SimulatorProcess::state() const {
  return boost::json::parse(call("GET", "/control/state").body).as_object();
}

}  // namespace gateway_sim::testing
