#pragma once
// The Cart's HTTP routes: request → use case → response. Errors become problem+json through
// platform/http/problem.hpp; this file never picks a status for an error by hand.
#include "cart_service.hpp"
#include "platform/http/auth.hpp"
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
// Parses a POST /cart/merge body, {"guest_token": "<JWT>"}: the token (not yet verified).
// Errc::malformed for bad JSON; Errc::invalid for anything but such an object.
[[nodiscard]] platform::Result<std::string> parse_merge_request(std::string_view body);
// Whose cart `user_id` may merge with `guest_token`: the guest's id, once the token is verified
// with `guest_tokens` (the same JWT settings as the caller's own token) and names a guest who is
// not the caller. Errc::forbidden (guest_cannot_merge) when the caller is a guest;
// Errc::invalid (guest_token_invalid) when the token does not verify (forged, expired, another
// issuer or audience, not a JWT); Errc::invalid (not_a_guest_token) when its sub is not a guest's
// id (a signed-in user's token, the caller's own).
[[nodiscard]] platform::Result<std::string> guest_to_merge(
    const platform::http::JwtVerifier& guest_tokens, std::string_view user_id,
    std::string_view guest_token);
// The answer of POST /cart/merge: the user's cart view (as GET /cart) and what the merge did.
std::string merge_answer(const MergeCommitted& merged);

class CartHttpApi {
 public:
  // `guest_tokens` verifies the guest tokens of POST /cart/merge; it must outlive the API.
  CartHttpApi(CartService& service, platform::idempotency::IdempotencyStore& idempotency,
              const platform::http::JwtVerifier& guest_tokens);
  // Registers every customer route (all authenticated).
  void register_routes(platform::http::Router& router);

  // POST /cart/items under the request's idempotency claim, if it has one (what
  // IdempotencyStore::run calls; public so tests can stand where the store stands).
  boost::asio::awaitable<platform::idempotency::Handled> add_item_once(
      platform::http::Request request, std::optional<platform::idempotency::Claim> claim);
  // POST /cart/merge under the request's idempotency claim, if it has one.
  boost::asio::awaitable<platform::idempotency::Handled> merge_once(
      platform::http::Request request, std::optional<platform::idempotency::Claim> claim);

 private:
  using OnceRoute = boost::asio::awaitable<platform::idempotency::Handled> (CartHttpApi::*)(
      platform::http::Request, std::optional<platform::idempotency::Claim>);
  // `route` under the request's Idempotency-Key (IdempotencyStore::run, scoped to the caller).
  boost::asio::awaitable<platform::http::Response> run_idempotent(platform::http::Request request,
                                                                  OnceRoute route);
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer remove_item(platform::http::Request request);
  Answer change_quantity(platform::http::Request request);
  Answer get_cart(platform::http::Request request);
  Answer acknowledge_prices(platform::http::Request request);

  CartService& service_;
  platform::idempotency::IdempotencyStore& idempotency_;
  const platform::http::JwtVerifier& guest_tokens_;
};

}  // namespace cart
