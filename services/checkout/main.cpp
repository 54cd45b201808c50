// The Checkout service's composition root.
//   checkout_service   serve HTTP (summary, its stream, customer data, consents, finalize,
//                      orders), relay both outboxes (the session's in Redis, the orders' in
//                      PostgreSQL), fold every other service's events into each session's view
//                      and totals, end sessions on OrderCreated, run the orders' saga on
//                      payment-events and the sweeper (lapsed holds, unsettled sales); SIGHUP
//                      reloads the checkout rules
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "checkout_service.hpp"
#include "contracts/topics.hpp"
#include "finalizer.hpp"
#include "http_api.hpp"
#include "order_http.hpp"
#include "order_saga.hpp"
#include "order_store.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"
#include "platform/background_loop.hpp"
#include "platform/pg/migrate.hpp"
#include "stock_ledger.hpp"

namespace {
namespace asio = boost::asio;

std::vector<std::string> followed_topics() {
  return {std::string(contracts::kCartTopic),      std::string(contracts::kWarrantyTopic),
          std::string(contracts::kShippingTopic),  std::string(contracts::kPaymentTopic),
          std::string(contracts::kPromotionTopic), std::string(contracts::kCheckoutTopic)};
}

// The stores and use cases of one half: its Redis connection and its PostgreSQL pool.
struct CheckoutHalf {
  CheckoutHalf(platform::redis::RedisClient& redis, platform::pg::Pool& pool,
               const checkout::CheckoutConfig& config, checkout::RulesSource rules,
               const platform::Clock& clock, checkout::ChangeBoard& board)
      : store(redis, config.outbox_stream, config.session_ttl),
        service(store, rules, config, clock, board),
        orders(pool, config.pg_schema),
        ledger(redis),
        finalizer(store, orders, ledger, redis, std::move(rules), config, clock, board),
        saga(orders, ledger, store, clock, board, config.sweep_batch) {}

  checkout::CheckoutStore store;
  checkout::CheckoutService service;
  checkout::OrderStore orders;
  checkout::StockLedger ledger;
  checkout::Finalizer finalizer;
  checkout::OrderSaga saga;
};

// Brings the orders' schema up to date before anything serves (a failure stops the service).
void migrate(const checkout::CheckoutConfig& config) {
  auto migrations = checkout::checkout_migrations(config.migrations_dir);
  if (!migrations) throw std::runtime_error(migrations.error().message);
  const auto migrated =
      platform::pg::migrate_before_start(config.pg_schema, std::move(*migrations));
  if (!migrated) throw std::runtime_error("migrations: " + migrated.error().message);
}

int serve() {
  platform::app::Service app(
      {.name = "checkout", .port = 8104, .topics = followed_topics(), .postgres = true});
  const auto config = checkout::CheckoutConfig::from_env();
  migrate(config);
  platform::app::ServiceRules<checkout::CheckoutRules> rules(app, "checkout", config.rules_file,
                                                             checkout::parse_checkout_rules);
  const auto current_rules = rules.source();
  checkout::ChangeBoard board;

  // Customers on the front half; events and the sweeper on the back half, announcing each change
  // on the board.
  CheckoutHalf front(app.redis(), app.postgres(), config, current_rules, app.clock(), board);
  checkout::CheckoutHttpApi api(front.service, config);
  api.register_routes(app.router());
  checkout::OrderHttpApi order_api(front.finalizer, front.orders, front.saga, app.idempotency(),
                                   config);
  order_api.register_routes(app.router());

  CheckoutHalf back(app.background_redis(), app.background_postgres(), config, current_rules,
                    app.clock(), board);
  app.relay_redis_outbox();
  app.relay_postgres_outbox(config.pg_schema);
  app.consume("", followed_topics(),
              [&back](const auto& event) { return back.service.apply(event); });
  app.consume("orders", {std::string(contracts::kPaymentTopic)},
              [&back](const auto& event) { return back.saga.apply(event); });

  platform::BackgroundLoop sweeper(app.background_io(), "checkout order sweeper");
  sweeper.start(
      [&back, interval = config.sweep](platform::StopSignal stop) -> asio::awaitable<void> {
        for (;;) {
          const bool slept = co_await stop.sleep(interval);
          if (!slept) co_return;
          const int changed = co_await back.saga.sweep_once();
          if (changed > 0) spdlog::info("order sweeper changed {} orders", changed);
        }
      });
  app.on_shutdown([&sweeper]() -> asio::awaitable<void> {
    (void)co_await sweeper.stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "checkout_service", serve, {});
}
