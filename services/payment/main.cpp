// The Payment service's composition root.
//   payment_service   serve HTTP (methods, the customer's choice, payments, gateway webhooks, the
//                     back office's refunds), relay both outboxes (the session's in Redis, the
//                     attempts' in PostgreSQL), follow cart-events and shipping-events (the choice
//                     is judged again), take OrderCreated (record the order, start its online
//                     payment, end the session) and OrderCancelled (cancel its live payment,
//                     refund what was paid), reconcile stuck payments; SIGHUP reloads the
//                     payment rules
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <stdexcept>

#include "choice_service.hpp"
#include "config.hpp"
#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "gateways/payu/payu_client.hpp"
#include "gateways/przelewy24/przelewy24_client.hpp"
#include "gateways/stripe/stripe_client.hpp"
#include "http_api.hpp"
#include "order_intake.hpp"
#include "payment_rules.hpp"
#include "payment_store.hpp"
#include "payments.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"
#include "platform/background_loop.hpp"
#include "platform/httpclient/client.hpp"
#include "platform/pg/migrate.hpp"
#include "platform/pg/pool.hpp"
#include "session_store.hpp"

namespace {
namespace asio = boost::asio;
namespace event_type = contracts::event_type;
using platform::httpclient::ClientConfig;
using platform::httpclient::HttpClient;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kShippingTopic(contracts::kShippingTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kPaymentTopic(contracts::kPaymentTopic);

// The three gateways on one io_context (an HTTP client belongs to the io_context that runs it;
// each half has its own, with its own breaker).
struct Gateways {
  explicit Gateways(asio::io_context& io)
      : p24_http(io, ClientConfig::from_env("przelewy24", "P24", "http://127.0.0.1:8202")),
        payu_http(io, ClientConfig::from_env("payu", "PAYU", "http://127.0.0.1:8203")),
        stripe_http(io, ClientConfig::from_env("stripe", "STRIPE", "http://127.0.0.1:8204")),
        p24(p24_http, payment::Przelewy24Credentials::from_env()),
        payu(payu_http, payment::payu::PayUCredentials::from_env()),
        stripe(stripe_http, payment::stripe::StripeCredentials::from_env()) {}

  std::vector<payment::GatewayClient*> all() { return {&p24, &payu, &stripe}; }

  HttpClient p24_http;
  HttpClient payu_http;
  HttpClient stripe_http;
  payment::Przelewy24Client p24;
  payment::payu::PayUClient payu;
  payment::stripe::StripeClient stripe;
};

// Everything of one half: the stores, the gateways and the use cases.
struct PaymentHalf {
  PaymentHalf(asio::io_context& io, platform::redis::RedisClient& redis, platform::pg::Pool& pool,
              const payment::PaymentConfig& config, payment::RulesSource rules,
              const platform::Clock& clock)
      : store(pool, config.pg_schema),
        sessions(redis, config.outbox_stream, config.session_ttl),
        gateways(io),
        payments(
            store, gateways.all(), rules,
            [this](std::string session_id) { return sessions.next_version(std::move(session_id)); },
            config.payments, clock),
        choices(
            sessions, rules, [this] { return payments.gateways_down(); }, config.commit_attempts,
            clock),
        orders(choices, payments, store, rules) {}

  payment::PaymentStore store;
  payment::SessionStore sessions;
  Gateways gateways;
  payment::Payments payments;
  payment::ChoiceService choices;
  payment::OrderIntake orders;
};

// Brings the schema up to date before anything serves (a failure stops the service).
void migrate(const payment::PaymentConfig& config) {
  auto migrations = payment::payment_migrations(config.migrations_dir);
  if (!migrations) throw std::runtime_error(migrations.error().message);
  const auto migrated =
      platform::pg::migrate_before_start(config.pg_schema, std::move(*migrations));
  if (!migrated) throw std::runtime_error("migrations: " + migrated.error().message);
}

asio::awaitable<platform::Status> on_event(PaymentHalf& half, platform::CloudEvent event) {
  if (event.topic == kCheckoutTopic) {
    if (event.type == event_type::kOrderCreated) {
      co_return co_await half.orders.on_order_created(std::move(event));
    }
    if (event.type == event_type::kOrderCancelled) {
      co_return co_await half.orders.on_order_cancelled(std::move(event));
    }
    if (event.type == event_type::kCustomerDataProvided) {
      co_return co_await half.choices.apply_customer_data(std::move(event));
    }
    co_return platform::Status{};
  }
  if (event.topic == kShippingTopic) {
    co_return co_await half.choices.apply_shipping_event(std::move(event));
  }
  co_return co_await half.choices.apply_cart_event(std::move(event));
}

int serve() {
  platform::app::Service app({.name = "payment",
                              .port = 8103,
                              .topics = {kCartTopic, kShippingTopic, kCheckoutTopic, kPaymentTopic},
                              .postgres = true});
  const auto config = payment::PaymentConfig::from_env();
  migrate(config);
  platform::app::ServiceRules<payment::PaymentRules> rules(app, "payment", config.rules_file,
                                                           payment::parse_payment_rules);
  const auto current_rules = rules.source();

  // Customers and gateways on the front half; events and reconciliation on the back half.
  PaymentHalf front(app.io(), app.redis(), app.postgres(), config, current_rules, app.clock());
  payment::PaymentHttpApi api(front.choices, front.payments, app.idempotency(),
                              config.backoffice_key, app.clock());
  api.register_routes(app.router());

  PaymentHalf back(app.background_io(), app.background_redis(), app.background_postgres(), config,
                   current_rules, app.clock());
  app.relay_redis_outbox();
  app.relay_postgres_outbox(config.pg_schema);
  app.consume("", {kCartTopic, kShippingTopic, kCheckoutTopic},
              [&back](const auto& event) { return on_event(back, event); });

  platform::BackgroundLoop reconciliation(app.background_io(), "payment reconciliation");
  reconciliation.start([&back, interval = config.reconcile_interval](
                           platform::StopSignal stop) -> asio::awaitable<void> {
    for (;;) {
      const bool slept = co_await stop.sleep(interval);
      if (!slept) co_return;
      const int seen = co_await back.payments.reconcile_once();
      if (seen > 0) spdlog::info("reconciliation looked at {} payments", seen);
    }
  });
  app.on_shutdown([&reconciliation]() -> asio::awaitable<void> {
    (void)co_await reconciliation.stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "payment_service", serve, {});
}
