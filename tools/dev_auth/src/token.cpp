#include "token.hpp"

#include <utility>

namespace dev_auth {
namespace {
std::chrono::seconds now_in_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
}
}  // namespace

IssuedToken issue(const platform::http::JwtConfig& config, std::string user_id,
                  std::chrono::seconds ttl) {
  // issue_token reads the clock itself (exp = its now + ttl): when the second did not change
  // around the call, its now is ours and expires_at equals exp exactly. Retried otherwise.
  for (;;) {
    const auto before = now_in_seconds();
    auto token = platform::http::issue_token(config, user_id, ttl);
    if (now_in_seconds() == before) {
      return IssuedToken{std::move(token), std::move(user_id), platform::TimePoint(before + ttl)};
    }
  }
}

}  // namespace dev_auth
