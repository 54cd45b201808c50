// The dev sign-in's composition root: a stand-in for the shop's identity provider in development
// (README.md). It signs HS256 tokens the services accept, for a random guest or for any name,
// WITHOUT A PASSWORD: never expose it beyond the machine. No Redis, no Kafka: the kit's HTTP
// server and router on one io_context thread.
//   DEV_AUTH_PORT         port on 127.0.0.1 (else HTTP_PORT, else 8190; 0 picks a free one)
//   DEV_AUTH_GUEST_TTL_S  lifetime of a guest token in seconds (2592000: 30 days)
//   DEV_AUTH_USER_TTL_S   lifetime of a named user's token in seconds (43200: 12 h)
//   JWT_*                 the services' settings (platform/http/auth.hpp); JWT_ALGORITHM must be
//                         HS256 (with RS256 only the real identity provider holds the key)
//   LOG_LEVEL             trace..critical (info)
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "http_api.hpp"
#include "platform/config.hpp"
#include "platform/http/auth.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/log.hpp"
#include "platform/process.hpp"

namespace {
namespace http = platform::http;

constexpr std::int64_t kMaxTtlSeconds = 366LL * 24 * 3600;

http::JwtConfig signing_config() {
  auto config = http::JwtConfig::from_env();
  if (config.algorithm != "HS256") {
    throw std::invalid_argument(
        "JWT_ALGORITHM=" + config.algorithm +
        ": the dev sign-in signs HS256 tokens only (set JWT_ALGORITHM=HS256 "
        "and JWT_SECRET, or use the real identity provider)");
  }
  if (config.secret.empty()) throw std::invalid_argument("JWT_SECRET is empty");
  return config;
}

dev_auth::TokenLifetimes lifetimes() {
  dev_auth::TokenLifetimes ttl;
  ttl.guest = std::chrono::seconds(
      platform::config::get_int("DEV_AUTH_GUEST_TTL_S", ttl.guest.count(), 1, kMaxTtlSeconds));
  ttl.user = std::chrono::seconds(
      platform::config::get_int("DEV_AUTH_USER_TTL_S", ttl.user.count(), 1, kMaxTtlSeconds));
  return ttl;
}

int serve() {
  dev_auth::SignInApi api(signing_config(), lifetimes());

  // Loopback only: anyone who reaches it can be anyone, so HTTP_HOST is not read. HTTP_PORT is
  // how tools/schemathesis/run_contract.py gives what it tests its port.
  http::ServerConfig server_config;
  server_config.host = "127.0.0.1";
  const auto fallback_port = platform::config::get_int("HTTP_PORT", 8190, 0, 65535);
  server_config.port = static_cast<std::uint16_t>(
      platform::config::get_int("DEV_AUTH_PORT", fallback_port, 0, 65535));
  server_config.body_limit_bytes = 4096;  // {"user": "<64 characters>"} is far below
  server_config.shutdown_timeout = std::chrono::seconds(2);

  boost::asio::io_context io(1);
  http::Router router;
  api.register_routes(router);
  http::HttpServer server(io, server_config, router, nullptr);
  server.start();
  spdlog::warn(
      "dev sign-in listening on 127.0.0.1:{}: it issues tokens WITHOUT A PASSWORD, "
      "for development only",
      server.port());

  platform::process::on_shutdown_signal(io, [&server] {
    spdlog::info("shutting down");
    server.stop();
  });
  platform::process::run_io(io, 1);
  spdlog::info("stopped");
  return 0;
}
}  // namespace

int main() {
  platform::log::init("dev_auth");
  try {
    return serve();
  } catch (const std::exception& e) {
    spdlog::critical("dev sign-in refused to start: {}", e.what());
    return 1;
  }
}
