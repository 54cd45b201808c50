#pragma once
// The materialized view of a cart, as stored in cart:view:{user_id} and served by GET /cart
// verbatim. It holds every field of every line, so the cart can be read back from it.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>

#include "cart.hpp"

namespace cart {

// The line as events carry it (contracts/events/common.schema.json#/$defs/line).
boost::json::object line_to_json(const CartLine& line);
// The line with its cart-side state (stock, enrichment, validation, price change): one entry of
// the cart's own stream.
boost::json::object line_state_to_json(const CartLine& line);
[[nodiscard]] platform::Result<CartLine> line_state_from_json(std::string_view text);
// The line as GET /cart shows it: its state plus line_total and children.
boost::json::object view_line_json(const Cart& cart, const CartLine& line);
// The view document; `revision` counts writes (the store's compare-and-set token).
std::string view_to_json(const Cart& cart, std::int64_t revision);

struct StoredView {
  Cart cart;
  std::int64_t revision = 0;
};
[[nodiscard]] platform::Result<StoredView> view_from_json(std::string_view text);

// The view of a cart nobody has written yet.
std::string empty_view_json(const std::string& user_id);

}  // namespace cart
