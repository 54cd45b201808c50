// The Checkout service's composition root.
//   checkout_service   serve HTTP (summary, its stream, customer data, consents), relay the
//                      outbox, fold every other service's events into each session's view and
//                      totals, end sessions on OrderCreated; SIGHUP reloads the checkout rules
#include "checkout_service.hpp"
#include "contracts/topics.hpp"
#include "http_api.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"

namespace {

std::vector<std::string> followed_topics() {
  return {std::string(contracts::kCartTopic),      std::string(contracts::kWarrantyTopic),
          std::string(contracts::kShippingTopic),  std::string(contracts::kPaymentTopic),
          std::string(contracts::kPromotionTopic), std::string(contracts::kCheckoutTopic)};
}

// The store and use cases over one Redis connection.
struct CheckoutOnRedis {
  CheckoutOnRedis(platform::redis::RedisClient& redis, const checkout::CheckoutConfig& config,
                  checkout::RulesSource rules, const platform::Clock& clock,
                  checkout::ChangeBoard& board)
      : store(redis, config.outbox_stream, config.session_ttl),
        service(store, std::move(rules), config, clock, board) {}

  checkout::CheckoutStore store;
  checkout::CheckoutService service;
};

int serve() {
  platform::app::Service app({.name = "checkout", .port = 8104, .topics = followed_topics()});
  const auto config = checkout::CheckoutConfig::from_env();
  platform::app::ServiceRules<checkout::CheckoutRules> rules(app, "checkout", config.rules_file,
                                                             checkout::parse_checkout_rules);
  const auto current_rules = rules.source();
  checkout::ChangeBoard board;

  // Customers on the front half; events on the back half, announcing each change on the board.
  CheckoutOnRedis front(app.redis(), config, current_rules, app.clock(), board);
  checkout::CheckoutHttpApi api(front.service, config);
  api.register_routes(app.router());

  CheckoutOnRedis back(app.background_redis(), config, current_rules, app.clock(), board);
  app.relay_redis_outbox();
  app.consume("", followed_topics(),
              [&back](const auto& event) { return back.service.apply(event); });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "checkout_service", serve, {});
}
