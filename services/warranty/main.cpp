// The Warranty service's composition root.
//   warranty_service   serve HTTP (offers and the customer's choice), relay the outbox, follow
//                      cart-events (plans follow their lines, also into a signed-in user's cart
//                      when a guest's cart is merged: CartMerged), end sessions on OrderCreated
//                      (checkout-events); SIGHUP reloads the warranty rules
#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "contracts/topics.hpp"
#include "http_api.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"
#include "warranty_service.hpp"

namespace {
namespace asio = boost::asio;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kWarrantyTopic(contracts::kWarrantyTopic);

// The store and use cases over one Redis connection.
struct WarrantyOnRedis {
  WarrantyOnRedis(platform::redis::RedisClient& redis, const warranty::WarrantyConfig& config,
                  warranty::RulesSource rules, const platform::Clock& clock)
      : store(redis, config.outbox_stream, config.session_ttl),
        service(store, std::move(rules), config, clock) {}

  warranty::WarrantyStore store;
  warranty::WarrantyService service;
};

asio::awaitable<platform::Status> on_event(warranty::WarrantyService& service,
                                           platform::CloudEvent event) {
  if (event.topic == kCheckoutTopic) {
    if (event.type != contracts::event_type::kOrderCreated) co_return platform::Status{};
    PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
    co_return co_await service.end_session(std::move(ref.session_id), std::move(ref.user_id));
  }
  co_return co_await service.apply_cart_event(std::move(event));
}

int serve() {
  platform::app::Service app(
      {.name = "warranty", .port = 8107, .topics = {kCartTopic, kCheckoutTopic, kWarrantyTopic}});
  const auto config = warranty::WarrantyConfig::from_env();
  platform::app::ServiceRules<warranty::WarrantyRules> rules(app, "warranty", config.rules_file,
                                                             warranty::parse_warranty_rules);
  const auto current_rules = rules.source();

  // Customers on the front half; events on the back half.
  WarrantyOnRedis front(app.redis(), config, current_rules, app.clock());
  warranty::WarrantyHttpApi api(front.service);
  api.register_routes(app.router());

  WarrantyOnRedis back(app.background_redis(), config, current_rules, app.clock());
  app.relay_redis_outbox();
  app.consume("", {kCartTopic, kCheckoutTopic},
              [&back](const auto& event) { return on_event(back.service, event); });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "warranty_service", serve, {});
}
