#pragma once
// The Cart's HTTP routes: request → use case → response. Errors become problem+json through
// platform/http/problem.hpp; this file never picks a status for an error by hand.
#include "cart_service.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "platform/idempotency/idempotency.hpp"

namespace cart {

// Parses a POST /cart/items body. Errc::malformed for bad JSON, Errc::invalid for bad fields.
[[nodiscard]] platform::Result<AddLine> parse_add_line(std::string_view body);
// Parses a PATCH /cart/items/{id} body: the new quantity.
[[nodiscard]] platform::Result<std::int64_t> parse_quantity_change(std::string_view body);
// Parses a POST /cart/price-changes/acknowledge body, {"item_ids": ["<line id>", ...]} with 1 to
// 100 distinct ids. Errc::malformed for bad JSON; Errc::invalid for anything but such an object.
[[nodiscard]] platform::Result<std::vector<std::string>> parse_price_acknowledgement(
    std::string_view body);

class CartHttpApi {
 public:
  CartHttpApi(CartService& service, platform::idempotency::IdempotencyStore& idempotency);
  // Registers every customer route (all authenticated).
  void register_routes(platform::http::Router& router);

  // POST /cart/items under the request's idempotency claim, if it has one (what
  // IdempotencyStore::run calls; public so tests can stand where the store stands).
  boost::asio::awaitable<platform::idempotency::Handled> add_item_once(
      platform::http::Request request, std::optional<platform::idempotency::Claim> claim);

 private:
  boost::asio::awaitable<platform::http::Response> add_item(platform::http::Request request);
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer remove_item(platform::http::Request request);
  Answer change_quantity(platform::http::Request request);
  Answer get_cart(platform::http::Request request);
  Answer acknowledge_prices(platform::http::Request request);

  CartService& service_;
  platform::idempotency::IdempotencyStore& idempotency_;
};

}  // namespace cart
