// The PayU simulator's composition root: a stand-in for PayU's REST v2.1 API (OAuth, orders,
// refunds), its hosted payment page and its signed notifications, with fault injection for tests
// (README.md). One io_context thread: the form-accepting server, the resend loop.
//   PAYU_SIM_PORT        port on 127.0.0.1 (8203; 0 picks a free one and logs it)
//   PAYU_SIM_PUBLIC_URL  base of redirectUri (http://127.0.0.1:<port>)
//   PAYU_POS_ID, PAYU_CLIENT_ID, PAYU_CLIENT_SECRET, PAYU_SECOND_KEY  the POS (as the adapter)
//   LOG_LEVEL            trace..critical (info)
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>

#include "gateway_sim/form_server.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "http_api.hpp"
#include "notifier.hpp"
#include "payu_client.hpp"
#include "platform/config.hpp"
#include "platform/http/json.hpp"
#include "platform/http/router.hpp"
#include "platform/log.hpp"
#include "platform/process.hpp"
#include "simulator.hpp"

namespace {

// The server closes its connections and the loop ends its current POST (5 s at most); then the
// io_context stops, which also ends the api_delay_ms waits of requests whose connection is gone.
boost::asio::awaitable<void> shut_down(boost::asio::io_context& io, payu_sim::Notifier& notifier,
                                       gateway_sim::FormServer& server) {
  server.stop();
  co_await notifier.stop(std::chrono::steady_clock::now() + std::chrono::seconds(6));
  io.stop();
}

int serve() {
  const auto credentials = payment::payu::PayUCredentials::from_env();
  payu_sim::SimConfig config;
  config.pos_id = credentials.pos_id;
  config.client_id = credentials.client_id;
  config.client_secret = credentials.client_secret;
  config.second_key = credentials.second_key;
  const auto port =
      static_cast<std::uint16_t>(platform::config::get_int("PAYU_SIM_PORT", 8203, 0, 65535));

  boost::asio::io_context io(1);
  platform::http::Router router;
  // Loopback only: the control routes have no authentication.
  router.add(
      "GET", "/healthz",
      platform::http::Handler(
          [](platform::http::Request) -> boost::asio::awaitable<platform::http::Response> {
            co_return platform::http::json_response(200, boost::json::object{{"status", "ok"}});
          }),
      platform::http::RouteOptions{.authenticated = false});
  gateway_sim::FormServer server(io, "127.0.0.1", port, router,
                                 gateway_sim::FormServerOptions{.drop_trailing_slash = true});
  server.start();
  config.public_url = platform::config::get_string(
      "PAYU_SIM_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(server.port()));

  gateway_sim::SimClock clock;
  payu_sim::Simulator simulator(config, clock);
  payu_sim::PayUApi api(simulator);
  api.register_routes(router);
  payu_sim::Notifier notifier(io, simulator);
  notifier.start();
  spdlog::info("PayU simulator listening on 127.0.0.1:{} (POS {})", server.port(), config.pos_id);

  platform::process::on_shutdown_signal(io, [&io, &notifier, &server] {
    spdlog::info("shutting down");
    boost::asio::co_spawn(io, shut_down(io, notifier, server), boost::asio::detached);
  });
  platform::process::run_io(io, 1);
  spdlog::info("stopped");
  return 0;
}
}  // namespace

int main() {
  platform::log::init("payu_sim");
  try {
    return serve();
  } catch (const std::exception& e) {
    spdlog::critical("PayU simulator failed: {}", e.what());
    return 1;
  }
}
