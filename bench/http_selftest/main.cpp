// Serves GET /ping (unauthenticated) with a fixed JSON body of BENCH_BODY_BYTES (default 128)
// on HTTP_PORT (default 8190) with HTTP_THREADS I/O threads (default 2). SIGTERM stops it.
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "platform/config.hpp"
#include "platform/http/server.hpp"
#include "platform/log.hpp"
#include "platform/process.hpp"

namespace {
// {"status":"ok","pad":"xxx"} padded to exactly `size` bytes (at least the unpadded size).
std::string make_body(std::size_t size) {
  std::string body = R"({"status":"ok","pad":"")";
  body.pop_back();
  const std::size_t fixed = body.size() + 2;  // the closing quote and brace
  if (size > fixed) body.append(size - fixed, 'x');
  body += "\"}";
  return body;
}

boost::asio::awaitable<platform::http::Response> ping(const std::string* body) {
  platform::http::Response response;
  response.body = *body;
  co_return response;
}
}  // namespace

int main() {
  try {
    platform::log::init("http_selftest");
    const auto body_bytes =
        static_cast<std::size_t>(platform::config::get_int("BENCH_BODY_BYTES", 128, 24, 1 << 20));
    const int threads = static_cast<int>(platform::config::get_int("HTTP_THREADS", 2, 1, 64));
    const std::string body = make_body(body_bytes);

    platform::http::Router router;
    router.add("GET", "/ping", [&body](platform::http::Request) { return ping(&body); },
               {.authenticated = false});

    boost::asio::io_context io(threads);
    platform::http::HttpServer server(io, platform::http::ServerConfig::from_env(8190), router,
                                      nullptr);
    server.start();
    platform::process::on_shutdown_signal(io, [&server] { server.stop(); });
    std::printf("http_selftest listening on port %u, body %zu bytes, %d threads\n", server.port(),
                body.size(), threads);
    std::fflush(stdout);
    platform::process::run_io(io, threads);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "http_selftest: %s\n", e.what());
    return 1;
  }
}
