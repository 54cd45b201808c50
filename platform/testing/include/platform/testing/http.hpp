#pragma once
// A blocking HTTP/1.1 client for tests (one connection per call unless a Connection is kept).
#include <string>
#include <utility>
#include <vector>

namespace platform::testing {

struct HttpResult {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercase
  std::string body;
  std::string header(const std::string& lowercase_name) const;
};

// Throws std::runtime_error when the server cannot be reached.
HttpResult http_call(int port, const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace platform::testing
