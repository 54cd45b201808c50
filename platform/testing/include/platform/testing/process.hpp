#pragma once
// A child process for tests that need a real service binary: started with extra environment
// variables, its output sent to a log file, stopped with SIGTERM or killed with SIGKILL.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace platform::testing {

class ChildProcess {
 public:
  ChildProcess(std::string path, std::vector<std::string> args,
               std::vector<std::pair<std::string, std::string>> env, std::string log_file);
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void start();
  // Sends `signal` and waits for the exit; returns the exit status (or 128 + signal).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  bool running();
  const std::string& log_file() const { return log_file_; }
  pid_t pid() const { return pid_; }  // -1 before start()
  // The last `bytes` of the log, for failure messages.
  std::string log_tail(std::size_t bytes = 4000) const;

 private:
  std::string path_;
  std::vector<std::string> args_;
  std::vector<std::pair<std::string, std::string>> env_;
  std::string log_file_;
  pid_t pid_ = -1;
};

// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
int free_port();

}  // namespace platform::testing
