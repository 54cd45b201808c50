#pragma once
// The materialized view of a cart, as stored in cart:view:{user_id} and served by GET /cart
// verbatim. It holds every field of every line, so the cart can be read back from it.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>

#include "cart.hpp"
#include "contracts/catalog_product.hpp"

namespace platform {
class JsonWriter;
}

namespace cart {

// Money as events and the view write it.
using contracts::write_money;
// The line as events carry it (contracts/events/common.schema.json#/$defs/line).
void write_line(platform::JsonWriter& out, const CartLine& line);
// The line with its cart-side state (stock, enrichment, validation, price change): one entry of
// the cart's own stream.
std::string line_state_json(const CartLine& line);
[[nodiscard]] platform::Result<CartLine> line_state_from_json(std::string_view text);
// The line as GET /cart shows it: its state plus line_total and children.
void write_view_line(platform::JsonWriter& out, const Cart& cart, const CartLine& line);
// The view document; `revision` counts writes (the store's compare-and-set token) and comes
// first, so the store can read it from the document's first bytes.
std::string view_to_json(const Cart& cart, std::int64_t revision);

struct StoredView {
  Cart cart;
  std::int64_t revision = 0;
};
[[nodiscard]] platform::Result<StoredView> view_from_json(std::string_view text);

// The view of a cart nobody has written yet.
std::string empty_view_json(const std::string& user_id);

}  // namespace cart
