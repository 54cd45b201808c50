// The Cart service's composition root.
//   cart_service                      serve HTTP, relay the outbox, consume catalog, cart,
//                                     checkout, services, warranty and promotion events
//   cart_service rebuild-view USER_ID rebuild cart:view and cart:counter from cart:events
#include <iostream>

#include "cart_service.hpp"
#include "contracts/topics.hpp"
#include "event_handlers.hpp"
#include "http_api.hpp"
#include "platform/app/service.hpp"
#include "platform/app/task.hpp"
#include "platform/http/auth.hpp"
#include "platform/redis/client.hpp"

namespace {
namespace asio = boost::asio;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCatalogTopic(contracts::kCatalogTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kServicesTopic(contracts::kServicesTopic);
const std::string kWarrantyTopic(contracts::kWarrantyTopic);
const std::string kPromotionTopic(contracts::kPromotionTopic);

// The cart's store and use cases over one Redis connection.
struct CartOnRedis {
  CartOnRedis(platform::redis::RedisClient& redis, const cart::CartConfig& config,
              const platform::Clock& clock)
      : store(redis, config.outbox_stream, config.cart_ttl), service(store, config, clock) {}

  cart::CartStore store;
  cart::CartService service;
};

int serve() {
  platform::app::Service app({.name = "cart",
                              .port = 8101,
                              .topics = {kCartTopic, kCatalogTopic, kCheckoutTopic, kServicesTopic,
                                         kWarrantyTopic, kPromotionTopic}});
  const auto config = cart::CartConfig::from_env();

  // Customers on the front half; enrichment, repricing and session ends on the back half (see
  // service.hpp).
  CartOnRedis front(app.redis(), config, app.clock());
  // Guest tokens (POST /cart/merge) are verified with the settings of the callers' own tokens.
  const platform::http::JwtVerifier guest_tokens(platform::http::JwtConfig::from_env(),
                                                 &app.clock());
  cart::CartHttpApi api(front.service, app.idempotency(), guest_tokens);
  api.register_routes(app.router());

  CartOnRedis back(app.background_redis(), config, app.clock());
  cart::EventHandlers handlers(back.service);
  app.relay_redis_outbox();
  app.consume("catalog", {kCatalogTopic},
              [&handlers](const auto& event) { return handlers.on_catalog_event(event); });
  app.consume("enrichment", {kCartTopic},
              [&handlers](const auto& event) { return handlers.on_cart_event(event); });
  app.consume("session", {kCheckoutTopic},
              [&handlers](const auto& event) { return handlers.on_checkout_event(event); });
  app.consume("services", {kServicesTopic},
              [&handlers](const auto& event) { return handlers.on_services_event(event); });
  app.consume("warranty", {kWarrantyTopic},
              [&handlers](const auto& event) { return handlers.on_warranty_event(event); });
  app.consume("promotion", {kPromotionTopic},
              [&handlers](const auto& event) { return handlers.on_promotion_event(event); });
  return app.run();
}

asio::awaitable<platform::Status> rebuild_view(platform::app::Task& task,
                                               std::vector<std::string> args) {
  CartOnRedis cart(task.redis(), cart::CartConfig::from_env(), task.clock());
  auto rebuilt = co_await cart.service.rebuild_view(args.at(0));
  if (!rebuilt) co_return rebuilt.error();
  std::cout << "rebuilt cart of " << args[0] << ": " << rebuilt->lines.size() << " lines, "
            << rebuilt->item_count() << " items, version " << rebuilt->version << "\n";
  co_return platform::Status{};
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(
      argc, argv, "cart_service", serve,
      {{.name = "rebuild-view", .args = {"USER_ID"}, .run = rebuild_view}});
}
