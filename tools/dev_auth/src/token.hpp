#pragma once
// One signed token and what the client is told about it. Thread-safe (no shared state).
#include <chrono>
#include <string>

#include "platform/clock.hpp"
#include "platform/http/auth.hpp"

namespace dev_auth {

struct IssuedToken {
  std::string token = {};
  std::string user_id = {};
  platform::TimePoint expires_at = {};  // the token's exp claim, to the second
};

// Signs an HS256 token for `user_id` (the JWT `sub`) with the services' JWT_* settings, living
// `ttl`. Throws std::runtime_error or std::invalid_argument on a signing failure (a bug or a bad
// configuration: main refuses to start without an HS256 secret).
[[nodiscard]] IssuedToken issue(const platform::http::JwtConfig& config, std::string user_id,
                                std::chrono::seconds ttl);

}  // namespace dev_auth
