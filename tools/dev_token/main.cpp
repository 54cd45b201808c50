// dev_token USER_ID [TTL_SECONDS]: prints an HS256 bearer token for local testing, signed with
// the same JWT_* settings the services read (JwtConfig::from_env()).
// dev_token --many PREFIX COUNT [TTL_SECONDS]: one token per line for users PREFIX0..PREFIX<N-1>
// (load generators).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "platform/http/auth.hpp"

namespace {
bool parse_positive(std::string_view text, long& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out > 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: dev_token USER_ID [TTL_SECONDS (default 3600)]\n"
               "       dev_token --many PREFIX COUNT [TTL_SECONDS]\n");
  return 2;
}
}  // namespace

int main(int argc, char** argv) {
  const bool many = argc >= 2 && std::string_view(argv[1]) == "--many";
  const int ttl_index = many ? 4 : 2;
  if (argc < ttl_index || argc > ttl_index + 1 || std::string_view(argv[1 + many]).empty()) {
    return usage();
  }
  long ttl = 3600;
  long count = 1;
  if (argc == ttl_index + 1 && !parse_positive(argv[ttl_index], ttl)) return usage();
  if (many && !parse_positive(argv[3], count)) return usage();
  try {
    const auto config = platform::http::JwtConfig::from_env();
    if (config.algorithm != "HS256") {
      std::fprintf(stderr, "dev_token: signs HS256 only (JWT_ALGORITHM=%s)\n",
                   config.algorithm.c_str());
      return 2;
    }
    for (long i = 0; i < count; ++i) {
      const std::string user = many ? argv[2] + std::to_string(i) : std::string(argv[1]);
      const auto token = platform::http::issue_token(config, user, std::chrono::seconds(ttl));
      std::printf("%s\n", token.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dev_token: %s\n", e.what());
    return 1;
  }
}
