#pragma once
// A Server-Sent Events client for the integration tests: one GET on a plain socket, then the
// events as they arrive. Blocking, one thread; closes the connection when destroyed.
#include <chrono>
#include <optional>
#include <string>

namespace checkout::testing {

class SseReader {
 public:
  // Connects to 127.0.0.1:port and sends GET `target` with the bearer token; throws
  // std::runtime_error when the server cannot be reached.
  SseReader(int port, const std::string& target, const std::string& token);
  ~SseReader();
  SseReader(const SseReader&) = delete;
  SseReader& operator=(const SseReader&) = delete;

  // The status line and headers (read with the first event).
  const std::string& head() const { return head_; }
  // The data of the next "summary" event, or nullopt when none arrives within `timeout`.
  std::optional<std::string> next(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffer_;
  std::string head_;
};

}  // namespace checkout::testing
