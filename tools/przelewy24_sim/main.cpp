// The Przelewy24 simulator's composition root: P24's REST API v1, its hosted payment page and
// its notifications, with a control API for tests (README.md). No Redis, no Kafka: the kit's
// HTTP server and router, and the notification loop, on one io_context thread.
//   P24_SIM_PORT        port on 127.0.0.1 (8202; 0 picks a free one and logs it)
//   P24_MERCHANT_ID, P24_POS_ID, P24_CRC, P24_API_KEY   the merchant's account (as the Payment
//                       service's adapter reads them: 100001, 100001, dev-p24-crc, dev-p24-api-key)
//   LOG_LEVEL           trace..critical (info)
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>

#include "cashier.hpp"
#include "control_api.hpp"
#include "gateway_sim/fault_config.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "http_api.hpp"
#include "ledger.hpp"
#include "notification_queue.hpp"
#include "notifier.hpp"
#include "platform/config.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/log.hpp"
#include "platform/process.hpp"
#include "przelewy24_protocol.hpp"

namespace {
namespace http = platform::http;

// Stops the notification loop, then the server; the io_context then runs out of work.
boost::asio::awaitable<void> shut_down(p24_sim::Notifier& notifier, http::HttpServer& server) {
  const bool stopped =
      co_await notifier.stop(std::chrono::steady_clock::now() + std::chrono::seconds(3));
  if (!stopped) spdlog::warn("the notification loop did not stop in time");
  co_await server.shutdown();
}

int serve() {
  const auto credentials = payment::Przelewy24Credentials::from_env();

  // Loopback only: the control routes have no authentication. HTTP_HOST and HTTP_PORT are the
  // services' settings and deliberately not read here.
  http::ServerConfig server_config;
  server_config.host = "127.0.0.1";
  server_config.port =
      static_cast<std::uint16_t>(platform::config::get_int("P24_SIM_PORT", 8202, 0, 65535));
  server_config.shutdown_timeout = std::chrono::seconds(2);

  boost::asio::io_context io(1);
  gateway_sim::SimClock clock;
  p24_sim::Ledger ledger;
  gateway_sim::FaultStore faults;
  p24_sim::NotificationQueue queue;
  p24_sim::Cashier cashier(credentials, clock, ledger, faults, queue);
  p24_sim::Notifier notifier(io, clock, ledger, faults, queue);
  p24_sim::P24Api api(cashier, ledger, faults, clock);
  p24_sim::ControlApi control(cashier, ledger, faults, queue, notifier, clock);
  http::Router router;
  api.register_routes(router);
  control.register_routes(router);
  http::HttpServer server(io, server_config, router, nullptr);
  server.start();
  notifier.start();
  spdlog::info("Przelewy24 simulator listening on 127.0.0.1:{} (merchantId {}, posId {})",
               server.port(), credentials.merchant_id, credentials.pos_id);

  platform::process::on_shutdown_signal(io, [&io, &notifier, &server] {
    spdlog::info("shutting down");
    boost::asio::co_spawn(io, shut_down(notifier, server), boost::asio::detached);
  });
  platform::process::run_io(io, 1);
  spdlog::info("stopped");
  return 0;
}
}  // namespace

int main() {
  platform::log::init("przelewy24_sim");
  try {
    return serve();
  } catch (const std::exception& e) {
    spdlog::critical("Przelewy24 simulator failed: {}", e.what());
    return 1;
  }
}
