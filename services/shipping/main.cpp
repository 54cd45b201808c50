// The Shipping service's composition root.
//   shipping_service   serve HTTP, relay the outbox, follow cart-events and end sessions on
//                      OrderCreated (checkout-events); SIGHUP reloads the delivery rules
#include "carrier_calendar.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_ref.hpp"
#include "contracts/topics.hpp"
#include "http_api.hpp"
#include "platform/app/service.hpp"
#include "platform/app/service_rules.hpp"
#include "platform/app/task.hpp"
#include "platform/httpclient/client.hpp"
#include "shipping_service.hpp"

namespace {
namespace asio = boost::asio;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kShippingTopic(contracts::kShippingTopic);

// The store and use cases over one Redis connection.
struct ShippingOnRedis {
  ShippingOnRedis(platform::redis::RedisClient& redis, const shipping::ShippingConfig& config,
                  shipping::RulesSource rules, const platform::Clock& clock,
                  shipping::CarrierClient* carrier)
      : store(redis, config.outbox_stream, config.session_ttl, config.methods_cache_ttl),
        service(store, std::move(rules), config, clock, carrier) {}

  shipping::ShippingStore store;
  shipping::ShippingService service;
};

asio::awaitable<platform::Status> on_event(shipping::ShippingService& service,
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
      {.name = "shipping", .port = 8102, .topics = {kCartTopic, kCheckoutTopic, kShippingTopic}});
  const auto config = shipping::ShippingConfig::from_env();
  platform::app::ServiceRules<shipping::DeliveryRules> rules(app, "shipping", config.rules_file,
                                                             shipping::parse_delivery_rules);
  const auto current_rules = rules.source();

  platform::httpclient::HttpClient carrier_http(
      app.io(),
      platform::httpclient::ClientConfig::from_env("carrier", "CARRIER", "http://127.0.0.1:8201"));
  shipping::CarrierClient carrier(carrier_http, config.carrier_api_key, config.calendar_days);

  // Customers on the front half; cart events and session ends on the back half.
  ShippingOnRedis front(app.redis(), config, current_rules, app.clock(), &carrier);
  shipping::ShippingHttpApi api(front.service);
  api.register_routes(app.router());

  ShippingOnRedis back(app.background_redis(), config, current_rules, app.clock(), nullptr);
  app.relay_redis_outbox();
  app.consume("", {kCartTopic, kCheckoutTopic},
              [&back](const auto& event) { return on_event(back.service, event); });
  return app.run();
}
}  // namespace

int main(int argc, char** argv) {
  return platform::app::run_main(argc, argv, "shipping_service", serve, {});
}
