#pragma once
// How the Cart applies what it consumes:
//  - catalog-events (CatalogPriceChanged, CatalogStockChanged, CatalogProductUpserted): every cart
//    holding the sku is synced with the catalog's current record;
//  - its own cart-events (CartItemAdded, CartItemQuantityChanged): asynchronous enrichment of the
//    line's stock status and price, so adding a line never waits for it.
//  - checkout-events (OrderCreated): ends the order's checkout session (CartService::end_session).
//  - services-events (ServiceAvailabilityCalculated): the Services' verdict on the session's
//    service lines and the services refused (CartService::apply_services_verdict); ordered by
//    the Services' per-session version, so an old or repeated verdict changes nothing.
// Every effect is idempotent by construction (syncing with the same catalog record twice changes
// nothing; an order ends its session only while it is the cart's current one), so a redelivered or
// reordered event cannot double-apply anything; catalog syncs read the catalog's current record
// rather than the event's, so an old event never rolls a price back.
#include <boost/asio/awaitable.hpp>
#include <boost/json/fwd.hpp>

#include "cart_service.hpp"
#include "platform/cloud_event.hpp"

namespace cart {

// ServiceAvailabilityCalculated's data as the Cart uses it; Errc::malformed naming the field.
[[nodiscard]] platform::Result<ServicesVerdict> services_verdict_from_json(
    const boost::json::object& data);

class EventHandlers {
 public:
  explicit EventHandlers(CartService& service) : service_(service) {}

  boost::asio::awaitable<platform::Status> on_catalog_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_cart_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_checkout_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_services_event(const platform::CloudEvent& event);

 private:
  CartService& service_;
};

}  // namespace cart
