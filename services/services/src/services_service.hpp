#pragma once
// The Services' use cases. Reads (the HTTP API) load the user's current session and evaluate the
// rules for it, through the cache services:available:{cart_hash}; writes (the consumer of
// cart-events, shipping-events and checkout-events) load the event's session, move it with a pure
// function of session.hpp, evaluate, and commit the session with its ServiceAvailabilityCalculated
// (when one is due) in one compare-and-set step, retried when another writer came first.
//
// Threads: one ServicesService per Redis connection (front half: requests; back half: events).
// Errors are values (platform::Result); a down Redis is Errc::unavailable (503 + Retry-After).
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "availability.hpp"
#include "config.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/rules/digest.hpp"
#include "services_rules.hpp"
#include "store.hpp"

namespace extra_services {

// The rules in force and a digest of their text (answers cached under other rules are not used).
using LoadedRules = platform::rules::Digested<ServicesRules>;
using RulesSource = std::function<std::shared_ptr<const LoadedRules>()>;

class ServicesService {
 public:
  // All must outlive this.
  ServicesService(ServicesStore& store, RulesSource rules, const ServicesConfig& config,
                  const platform::Clock& clock);

  // GET /services/available: the whole answer (JSON).
  boost::asio::awaitable<platform::Result<std::string>> available(std::string user_id);
  // GET /services/for-item/{item_id}; Errc::not_found when the user's cart has no such product
  // line.
  boost::asio::awaitable<platform::Result<std::string>> for_item(std::string user_id,
                                                                 std::string item_id);
  // GET /services/standalone.
  boost::asio::awaitable<platform::Result<std::string>> standalone(std::string user_id);

  // A cart event (cart-events). Old, repeated and ended-session events change nothing;
  // Errc::invalid: a poison message.
  boost::asio::awaitable<platform::Status> apply_cart_event(platform::CloudEvent event);
  // A shipping event (shipping-events): the delivery method; other types are ignored.
  boost::asio::awaitable<platform::Status> apply_shipping_event(platform::CloudEvent event);
  // OrderCreated (checkout-events): the session ends.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

 private:
  using Step =
      std::function<platform::Result<std::optional<ServicesSession>>(const ServicesSession&)>;
  struct EventOrigin {
    std::string session_id;
    std::string user_id;
    std::string traceparent;
    std::optional<std::string> cart_event_time;  // a cart event's occurred_at
  };
  boost::asio::awaitable<platform::Status> change(EventOrigin origin, Step step);
  boost::asio::awaitable<platform::Result<std::optional<ServicesSession>>> current(
      const std::string& user_id);

  ServicesStore& store_;
  RulesSource rules_;
  const ServicesConfig& config_;
  const platform::Clock& clock_;
};

}  // namespace extra_services
