#pragma once
// JSON logs on stdout via spdlog. Each line carries the trace id of the work in progress, set per
// request or per consumed event with ScopedTrace (thread-local; set it again after each co_await
// that may resume on another thread, which the kit's server and consumer do for you).
#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace platform::log {

enum class Output { standard_output, standard_error };

// Installs the JSON logger for `service`; level from LOG_LEVEL (trace..critical, default info).
// Services log on standard output; admin commands and tools on standard error, keeping standard
// output for what they print.
void init(std::string_view service, Output output = Output::standard_output);

const std::string& current_trace_id();
void set_trace_id(std::string trace_id);

class ScopedTrace {
 public:
  explicit ScopedTrace(std::string trace_id);
  ~ScopedTrace();
  ScopedTrace(const ScopedTrace&) = delete;
  ScopedTrace& operator=(const ScopedTrace&) = delete;

 private:
  std::string previous_;
};

}  // namespace platform::log
