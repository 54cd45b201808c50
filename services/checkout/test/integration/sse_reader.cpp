#include "sse_reader.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace checkout::testing {

SseReader::SseReader(int port, const std::string& target, const std::string& token)
    : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sockaddr generic{};
  static_assert(sizeof generic <= sizeof address);
  std::memcpy(&generic, &address, sizeof generic);
  if (fd_ < 0 || ::connect(fd_, &generic, sizeof generic) != 0) {
    throw std::runtime_error("cannot connect to the service");
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              "Accept: text/event-stream\r\nAuthorization: Bearer " + token +
                              "\r\n\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    throw std::runtime_error("cannot send the request");
  }
}

SseReader::~SseReader() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> SseReader::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (head_.empty()) {
      const auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        head_ = buffer_.substr(0, end);
        buffer_.erase(0, end + 4);
      }
    }
    if (!head_.empty()) {
      // Events end with a blank line; comments (": keep-alive") are skipped.
      for (auto end = buffer_.find("\n\n"); end != std::string::npos; end = buffer_.find("\n\n")) {
        const auto event = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        if (event.find("event: summary") == std::string::npos) continue;
        const auto data = event.find("data: ");
        if (data != std::string::npos) return event.substr(data + 6);
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace checkout::testing
