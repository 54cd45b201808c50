// dev_token USER_ID [TTL_SECONDS]: prints an HS256 bearer token for local testing, signed with
// the same JWT_* settings the services read (JwtConfig::from_env()).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string_view>

#include "platform/http/auth.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || std::string_view(argv[1]).empty()) {
    std::fprintf(stderr, "usage: dev_token USER_ID [TTL_SECONDS (default 3600)]\n");
    return 2;
  }
  long ttl = 3600;
  if (argc == 3) {
    const std::string_view text(argv[2]);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ttl);
    if (ec != std::errc{} || end != text.data() + text.size() || ttl <= 0) {
      std::fprintf(stderr, "dev_token: TTL_SECONDS must be a positive integer\n");
      return 2;
    }
  }
  try {
    const auto config = platform::http::JwtConfig::from_env();
    if (config.algorithm != "HS256") {
      std::fprintf(stderr, "dev_token: signs HS256 only (JWT_ALGORITHM=%s)\n",
                   config.algorithm.c_str());
      return 2;
    }
    const auto token = platform::http::issue_token(config, argv[1], std::chrono::seconds(ttl));
    std::printf("%s\n", token.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dev_token: %s\n", e.what());
    return 1;
  }
}
