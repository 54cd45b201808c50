// The Services service's composition root.
//   services_service   serve HTTP, relay the outbox, follow cart-events and the delivery method
//                      (shipping-events), end sessions on OrderCreated (checkout-events); SIGHUP
//                      reloads the services rules
#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "contracts/topics.hpp"
#include "http_api.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"
#include "services_service.hpp"

namespace {
namespace asio = boost::asio;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kShippingTopic(contracts::kShippingTopic);
const std::string kServicesTopic(contracts::kServicesTopic);

// The store and use cases over one Redis connection.
struct ServicesOnRedis {
  ServicesOnRedis(platform::redis::RedisClient& redis, const extra_services::ServicesConfig& config,
                  extra_services::RulesSource rules, const platform::Clock& clock)
      : store(redis, config.outbox_stream, config.session_ttl, config.cache_ttl),
        service(store, std::move(rules), config, clock) {}

  extra_services::ServicesStore store;
  extra_services::ServicesService service;
};

asio::awaitable<platform::Status> on_event(extra_services::ServicesService& service,
                                           platform::CloudEvent event) {
  if (event.topic == kCheckoutTopic) {
    if (event.type != contracts::event_type::kOrderCreated) co_return platform::Status{};
    PLATFORM_CO_TRY(auto ref, contracts::session_ref(event.data));
    co_return co_await service.end_session(std::move(ref.session_id), std::move(ref.user_id));
  }
  if (event.topic == kShippingTopic)
    co_return co_await service.apply_shipping_event(std::move(event));
  co_return co_await service.apply_cart_event(std::move(event));
}

int serve() {
  platform::app::Service app(
      {.name = "services",
       .port = 8106,
       .topics = {kCartTopic, kCheckoutTopic, kShippingTopic, kServicesTopic}});
  const auto config = extra_services::ServicesConfig::from_env();
  platform::app::ServiceRules<extra_services::ServicesRules> rules(
      app, "services", config.rules_file, extra_services::parse_services_rules);
  const auto current_rules = rules.source();

  // Customers on the front half; events on the back half.
  ServicesOnRedis front(app.redis(), config, current_rules, app.clock());
  extra_services::ServicesHttpApi api(front.service);
  api.register_routes(app.router());

  ServicesOnRedis back(app.background_redis(), config, current_rules, app.clock());
  app.relay_redis_outbox();
  app.consume("", {kCartTopic, kShippingTopic, kCheckoutTopic},
              [&back](const auto& event) { return on_event(back.service, event); });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "services_service", serve, {});
}
