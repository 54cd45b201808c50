// The carrier calendar simulator's composition root: a stand-in for a Polish courier's
// delivery-calendar API, with fault injection for tests (README.md). No Redis, no Kafka: the
// kit's HTTP server and router on one io_context thread.
//   CARRIER_SIM_PORT  port on 127.0.0.1 (8201; 0 picks a free one and logs it)
//   CARRIER_API_KEY   the key /v1 expects as "Authorization: Bearer <key>" (dev-carrier-key)
//   LOG_LEVEL         trace..critical (info)
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "bookings.hpp"
#include "faults.hpp"
#include "held_requests.hpp"
#include "http_api.hpp"
#include "platform/config.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/log.hpp"
#include "platform/process.hpp"
#include "sim_clock.hpp"

namespace {
namespace http = platform::http;

int serve() {
  carrier_sim::ApiConfig api_config;
  api_config.api_key = platform::config::get_string("CARRIER_API_KEY", api_config.api_key);
  if (api_config.api_key.empty()) throw std::invalid_argument("CARRIER_API_KEY is empty");

  // Loopback only: the control routes have no authentication. HTTP_HOST and HTTP_PORT are the
  // services' settings and deliberately not read here.
  http::ServerConfig server_config;
  server_config.host = "127.0.0.1";
  server_config.port =
      static_cast<std::uint16_t>(platform::config::get_int("CARRIER_SIM_PORT", 8201, 0, 65535));
  // Held requests are released before the server stops, so a short drain is enough.
  server_config.shutdown_timeout = std::chrono::seconds(2);

  boost::asio::io_context io(1);
  carrier_sim::SimClock clock;
  carrier_sim::BookingLedger ledger;
  carrier_sim::FaultInjector faults;
  carrier_sim::HeldRequests held;
  carrier_sim::CarrierApi api(api_config, clock, ledger, faults, held);
  http::Router router;
  api.register_routes(router);
  http::HttpServer server(io, server_config, router, nullptr);
  server.start();
  spdlog::info("carrier calendar simulator listening on 127.0.0.1:{}", server.port());

  platform::process::on_shutdown_signal(io, [&held, &server] {
    spdlog::info("shutting down");
    held.close();
    server.stop();
  });
  platform::process::run_io(io, 1);
  spdlog::info("stopped");
  return 0;
}
}  // namespace

int main() {
  platform::log::init("carrier_calendar_sim");
  try {
    return serve();
  } catch (const std::exception& e) {
    spdlog::critical("carrier calendar simulator failed: {}", e.what());
    return 1;
  }
}
