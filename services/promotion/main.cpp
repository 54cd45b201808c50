// The Promotion service's composition root.
//   promotion_service   serve HTTP (promotions, opt-ins, codes), relay the outbox, follow
//                       cart-events (discounts follow the cart) and catalog-events (price
//                       history), confirm code uses and end sessions on OrderCreated and
//                       give code uses back on OrderCancelled (checkout-events); SIGHUP
//                       reloads the promotion rules
#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "contracts/topics.hpp"
#include "http_api.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"
#include "promotion_service.hpp"

namespace {
namespace asio = boost::asio;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCatalogTopic(contracts::kCatalogTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kPromotionTopic(contracts::kPromotionTopic);

// The store and use cases over one Redis connection.
struct PromotionOnRedis {
  PromotionOnRedis(platform::redis::RedisClient& redis, const promotion::PromotionConfig& config,
                   promotion::RulesSource rules, const platform::Clock& clock)
      : store(redis, config.outbox_stream, config.session_ttl, config.cache_ttl),
        codes(redis, clock),
        service(store, codes, std::move(rules), config, clock) {}

  promotion::PromotionStore store;
  promotion::CodeUsage codes;
  promotion::PromotionService service;
};

asio::awaitable<platform::Status> on_event(promotion::PromotionService& service,
                                           platform::CloudEvent event) {
  if (event.topic == kCheckoutTopic) {
    if (event.type == contracts::event_type::kOrderCancelled)
      co_return co_await service.order_cancelled(std::move(event));
    if (event.type != contracts::event_type::kOrderCreated) co_return platform::Status{};
    PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
    co_return co_await service.order_created(std::move(ref.session_id), std::move(ref.user_id));
  }
  if (event.topic == kCatalogTopic)
    co_return co_await service.apply_catalog_event(std::move(event));
  co_return co_await service.apply_cart_event(std::move(event));
}

int serve() {
  platform::app::Service app(
      {.name = "promotion",
       .port = 8105,
       .topics = {kCartTopic, kCatalogTopic, kCheckoutTopic, kPromotionTopic}});
  const auto config = promotion::PromotionConfig::from_env();
  platform::app::ServiceRules<promotion::PromotionRules> rules(app, "promotion", config.rules_file,
                                                               promotion::parse_promotion_rules);
  const auto current_rules = rules.source();

  // Customers on the front half; events on the back half.
  PromotionOnRedis front(app.redis(), config, current_rules, app.clock());
  promotion::PromotionHttpApi api(front.service);
  api.register_routes(app.router());

  PromotionOnRedis back(app.background_redis(), config, current_rules, app.clock());
  app.relay_redis_outbox();
  app.consume("", {kCartTopic, kCatalogTopic, kCheckoutTopic},
              [&back](const auto& event) { return on_event(back.service, event); });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "promotion_service", serve, {});
}
