#pragma once
// A service's real binary under test, for the integration tests of every service: started against
// the test infrastructure (platform/testing/env.hpp) on a free port, with an isolated consumer
// group prefix and short outbox polling, and waited for until /readyz answers 200. Also: tokens the
// service accepts, HTTP calls as a user, one-off Redis commands, and the check of an event against
// its JSON Schema in contracts/events. Test code only; blocking calls; one thread at a time.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "platform/testing/http.hpp"
#include "platform/testing/process.hpp"

namespace platform::testing {

using Env = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

class ServiceProcess {
 public:
  // `binary` is the service executable; `env` adds to (and overrides) the test settings.
  ServiceProcess(std::string binary, Env env = {});
  ~ServiceProcess();  // SIGTERM, then SIGKILL if it does not stop
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // (Re)starts the process; throws std::runtime_error with the log's tail unless /readyz answers
  // 200 within 60 s (a sanitizer build beside other tests can take a while to create its topics).
  void start();
  // Sends `signal` and waits for the exit; returns its status (128 + signal when killed).
  int stop(int signal);
  bool running();

  int port() const { return port_; }
  // Unique per instance: the consumer group prefix is "<suffix>-".
  const std::string& suffix() const { return suffix_; }
  std::string log_tail() const;
  pid_t pid() const;  // to send it a signal (e.g. SIGHUP); -1 when not started
  // The value of one sample of its /metrics, e.g. `rules_reload_total{rules="x",result="ok"}`;
  // 0 when absent.
  double metric(const std::string& sample) const;

  // An HTTP call with "Authorization: Bearer <token of user_id>" (none when user_id is empty).
  HttpResult call(const std::string& user_id, const std::string& method, const std::string& target,
                  const std::string& body = {}, Headers headers = {}) const;

 private:
  std::string binary_;
  Env env_;
  int port_;
  std::string suffix_;
  std::optional<ChildProcess> process_;
};

// A JWT the services under test accept for `user_id` (JWT_* settings of the test environment).
std::string token_for(const std::string& user_id);

// Runs one command on the test Redis (one connection per thread, kept); throws on failure.
redis::Reply redis_command(std::vector<std::string> args);

// Why `event`'s data does not match contracts/events/<type>.schema.json (checked with
// tools/contracts/validate_event.py in the project's venv); std::nullopt when it does.
std::optional<std::string> contract_violation(const CloudEvent& event);

}  // namespace platform::testing
