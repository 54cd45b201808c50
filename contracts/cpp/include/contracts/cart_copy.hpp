#pragma once
// A read-only copy of one session's cart, built from cart-events (SPEC.md decisions 1 and 10) by
// every service that prices or checks the cart (Shipping, Payment, Promotion, Services, Warranty,
// Checkout). A cart event carries the whole changed line, the cart's hash and the session's
// version, so a copy never needs to call the Cart. Pure: no I/O, thread-compatible values.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/catalog_product.hpp"
#include "platform/error.hpp"
#include "platform/money.hpp"

namespace contracts {

// A cart line exactly as common.schema.json#/$defs/line describes it.
struct CartLine {
  std::string item_id;
  std::string type;  // offer, accessory, service
  std::string sku;
  std::string name;
  std::string category;
  platform::Money unit_price;
  std::int64_t quantity = 1;
  std::optional<std::string> parent_item_id;
  std::int64_t weight_g = 0;  // per unit; 0 for services
  Dimensions dimensions_mm;
  std::vector<std::string> flags;
  // false: a service line the Cart has not yet checked against the Services' verdict
  // ("validation": "not_yet_validated"); product lines are always validated.
  bool validated = true;

  bool has_flag(std::string_view flag) const;
  bool is_service() const { return type == "service"; }
  platform::Money line_total() const { return unit_price * quantity; }
  friend bool operator==(const CartLine&, const CartLine&) = default;
};

// The fields every cart event's data carries.
struct CartEventHeader {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;
  std::string cart_hash;
  std::string occurred_at;  // RFC 3339, as the Cart wrote it
  std::string traceparent;
};

struct CartCopy {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;  // of the last cart event applied; 0: none yet
  std::string cart_hash;     // of the cart after that event
  std::string occurred_at;   // of that event
  std::vector<CartLine> lines;

  const CartLine* find(std::string_view item_id) const;
  bool empty() const { return lines.empty(); }
  platform::Money subtotal() const;
  friend bool operator==(const CartCopy&, const CartCopy&) = default;
};

// Reads and checks the common fields of a cart event's data (Errc::invalid naming the field:
// a poison message for the dead-letter topic).
[[nodiscard]] platform::Result<CartEventHeader> cart_event_header(const boost::json::value& data);

// `copy` with the cart event (ce_type `type`, data `data`) of the same session applied: the line
// added or replaced (CartItemAdded, CartItemQuantityChanged, CartItemPriceChanged,
// CartItemValidated), removed
// (CartItemRemoved), or only the version and hash moved (CartItemStockChanged, and CartMerged:
// the lines a merge brought in came with their own CartItemAdded and CartItemQuantityChanged
// before it, so a copy that has no use for the merge's item map still keeps the cart's version
// in step: the Services' verdicts name it). nullopt when the
// event is not newer than the copy (a duplicate or a redelivery: apply nothing). Errc::invalid
// when the data breaks its contract or belongs to another session; Errc::not_found for an event
// type that is not a cart event.
[[nodiscard]] platform::Result<std::optional<CartCopy>> apply_cart_event(
    const CartCopy& copy, std::string_view type, const boost::json::value& data);

[[nodiscard]] platform::Result<CartLine> cart_line_from_json(const boost::json::value& json);
boost::json::object cart_line_to_json(const CartLine& line);

// The copy as one JSON document (for a service's own Redis key) and back.
std::string cart_copy_to_json(const CartCopy& copy);
[[nodiscard]] platform::Result<CartCopy> cart_copy_from_json(std::string_view text);

}  // namespace contracts
