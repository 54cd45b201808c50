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
//  - warranty-events (WarrantySelected, WarrantyRemoved): the warranties shown under each line,
//    read-only (CartService::apply_warranty_event); ordered by the Warranty's per-session version,
//    so an old or repeated event changes nothing; no cart event, no cart version.
//  - promotion-events (PromotionApplied, PromoCodeApplied, PromotionRemoved, PromoCodeInvalid):
//    the promotions shown on each line with the 30-day lowest price, read-only
//    (CartService::apply_promotion_event); ordered by the Promotion's per-session version, like
//    warranties; no cart event, no cart version.
// Every effect is idempotent by construction (syncing with the same catalog record twice changes
// nothing; an order ends its session only while it is the cart's current one), so a redelivered or
// reordered event cannot double-apply anything; catalog syncs read the catalog's current record
// rather than the event's, so an old event never rolls a price back.
#include <boost/asio/awaitable.hpp>
#include <boost/json/fwd.hpp>

#include "cart_service.hpp"
#include "line_promotions.hpp"
#include "platform/cloud_event.hpp"
#include "warranties.hpp"

namespace cart {

// ServiceAvailabilityCalculated's data as the Cart uses it; Errc::malformed naming the field.
[[nodiscard]] platform::Result<ServicesVerdict> services_verdict_from_json(
    const boost::json::object& data);

// WarrantySelected's or WarrantyRemoved's (`type`) data as the Cart uses it, with its user;
// Errc::invalid naming the field when the data breaks the contract
// (contracts/events/Warranty*.schema.json).
struct UserWarrantyEvent {
  std::string user_id;
  WarrantyEvent event;
};
[[nodiscard]] platform::Result<UserWarrantyEvent> warranty_event_from_json(
    std::string_view type, const boost::json::object& data);

// A promotion-events event's data (`type`: PromotionApplied, PromoCodeApplied, PromotionRemoved
// or PromoCodeInvalid) as the Cart uses it, with its user; Errc::invalid naming the field when the
// data breaks the contract (contracts/events/Promo*.schema.json; also allocations naming a line
// twice, in another currency than the discount, or not adding up to it).
struct UserPromotionEvent {
  std::string user_id;
  PromotionEvent event;
};
[[nodiscard]] platform::Result<UserPromotionEvent> promotion_event_from_json(
    std::string_view type, const boost::json::object& data);

class EventHandlers {
 public:
  explicit EventHandlers(CartService& service) : service_(service) {}

  boost::asio::awaitable<platform::Status> on_catalog_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_cart_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_checkout_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_services_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_warranty_event(const platform::CloudEvent& event);
  boost::asio::awaitable<platform::Status> on_promotion_event(const platform::CloudEvent& event);

 private:
  CartService& service_;
};

}  // namespace cart
