// The Stripe simulator's composition root: a stateful stand-in for Stripe's API (Checkout
// Sessions, PaymentIntents, refunds, Idempotency-Key), its hosted page and its signed webhooks,
// with fault injection and a clock for tests (README.md). One io_context thread.
//   STRIPE_SIM_PORT        port on 127.0.0.1 (8204; 0 picks a free one and logs it)
//   STRIPE_SECRET_KEY      the key /v1 expects as "Authorization: Bearer <key>" (sk_test_dev)
//   STRIPE_WEBHOOK_SECRET  the endpoint secret that signs events (whsec_dev_secret; of a
//                          comma-separated list, the first)
//   STRIPE_WEBHOOK_URL     where events are POSTed
//                          (http://127.0.0.1:8103/payment/webhook/stripe)
//   STRIPE_SIM_PUBLIC_URL  the base of the hosted page's URLs (http://127.0.0.1:<port>)
//   LOG_LEVEL              trace..critical (info)
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <exception>
#include <stdexcept>

#include "faults.hpp"
#include "gateway_sim/form_server.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "http_api.hpp"
#include "idempotency.hpp"
#include "ledger.hpp"
#include "outbox.hpp"
#include "platform/config.hpp"
#include "platform/http/json.hpp"
#include "platform/http/router.hpp"
#include "platform/log.hpp"
#include "platform/process.hpp"
#include "stripe_client.hpp"
#include "webhook_sender.hpp"

namespace {
namespace http = platform::http;

int serve() {
  stripe_sim::ApiConfig api_config;
  api_config.secret_key = platform::config::get_string("STRIPE_SECRET_KEY", "sk_test_dev");
  if (api_config.secret_key.rfind("sk_test_", 0) != 0) {
    throw std::invalid_argument("STRIPE_SECRET_KEY must start with sk_test_");
  }
  const auto secrets = payment::stripe::split_secrets(
      platform::config::get_string("STRIPE_WEBHOOK_SECRET", "whsec_dev_secret"));
  if (secrets.empty()) throw std::invalid_argument("STRIPE_WEBHOOK_SECRET is empty");
  api_config.webhook_url = platform::config::get_string(
      "STRIPE_WEBHOOK_URL", "http://127.0.0.1:8103/payment/webhook/stripe");
  if (api_config.webhook_url.rfind("http://", 0) != 0) {
    throw std::invalid_argument("STRIPE_WEBHOOK_URL must be an http:// URL");
  }
  const auto port =
      static_cast<std::uint16_t>(platform::config::get_int("STRIPE_SIM_PORT", 8204, 0, 65535));

  boost::asio::io_context io(1);
  gateway_sim::SimClock clock;
  stripe_sim::Ledger ledger;
  stripe_sim::Outbox outbox(api_config.webhook_url);
  stripe_sim::IdempotencyStore idempotency;
  stripe_sim::Faults faults;
  stripe_sim::StripeApi api(api_config, clock, ledger, outbox, idempotency, faults);
  http::Router router;
  api.register_routes(router);
  router.add("GET", "/healthz",
             http::Handler([](http::Request) -> boost::asio::awaitable<http::Response> {
               co_return http::json_response(200, boost::json::object{{"status", "ok"}});
             }),
             http::RouteOptions{.authenticated = false});
  // Loopback only: the control routes have no authentication.
  gateway_sim::FormServer server(io, "127.0.0.1", port, router,
                                 gateway_sim::FormServerOptions{.percent_decode_path = true});
  server.start();
  ledger.set_page_base(platform::config::get_string(
      "STRIPE_SIM_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(server.port())));
  stripe_sim::WebhookSender sender(io, secrets.front(), clock, ledger, outbox, faults);
  sender.start();
  spdlog::info("stripe simulator listening on 127.0.0.1:{}, webhooks to {}", server.port(),
               api_config.webhook_url);

  platform::process::on_shutdown_signal(io, [&server, &sender, &io] {
    spdlog::info("shutting down");
    sender.request_stop();
    server.stop();
    io.stop();
  });
  platform::process::run_io(io, 1);
  spdlog::info("stopped");
  return 0;
}
}  // namespace

int main() {
  platform::log::init("stripe_sim");
  try {
    return serve();
  } catch (const std::exception& e) {
    spdlog::critical("stripe simulator failed: {}", e.what());
    return 1;
  }
}
