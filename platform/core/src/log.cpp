#include "platform/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "platform/config.hpp"

namespace platform::log {
namespace {
thread_local std::string t_trace_id;

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

// Writes the message as a JSON string (escaped) and the thread's trace id.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  explicit JsonMessageFlag(bool trace) : trace_(trace) {}
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view text = trace_ ? std::string_view(t_trace_id)
                                   : std::string_view(msg.payload.data(), msg.payload.size());
    for (char c : text) {
      switch (c) {
        case '"':
          append(dest, "\\\"");
          break;
        case '\\':
          append(dest, "\\\\");
          break;
        case '\n':
          append(dest, "\\n");
          break;
        case '\r':
          append(dest, "\\r");
          break;
        case '\t':
          append(dest, "\\t");
          break;
        default:
          dest.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>(trace_);
  }

 private:
  bool trace_;
};
}  // namespace

void init(std::string_view service, Output output) {
  auto logger = output == Output::standard_output ? spdlog::stdout_logger_mt(std::string(service))
                                                  : spdlog::stderr_logger_mt(std::string(service));
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<JsonMessageFlag>('*', false).add_flag<JsonMessageFlag>('&', true);
  formatter->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":")" +
                         std::string(service) + R"(","trace_id":"%&","msg":"%*"})");
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(config::get_string("LOG_LEVEL", "info")));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

const std::string& current_trace_id() {
  return t_trace_id;
}
void set_trace_id(std::string trace_id) {
  t_trace_id = std::move(trace_id);
}

ScopedTrace::ScopedTrace(std::string trace_id) : previous_(std::move(t_trace_id)) {
  t_trace_id = std::move(trace_id);
}
ScopedTrace::~ScopedTrace() {
  t_trace_id = std::move(previous_);
}

}  // namespace platform::log
