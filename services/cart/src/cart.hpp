#pragma once
// The cart domain: lines, the rules for adding, removing, changing and repricing them, and the
// change records each operation yields. Pure functions over plain structs: no I/O here.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contracts/catalog_product.hpp"
#include "platform/error.hpp"
#include "platform/money.hpp"

namespace cart {

// The catalog record is a contract shared with the catalog import (contracts/cpp).
using contracts::Dimensions;
using contracts::Product;
using contracts::product_from_json;

enum class LineType { offer, accessory, service };
enum class StockStatus { unknown, in_stock, low_stock, out_of_stock };
// pending: added, not yet checked against the catalog by enrichment.
enum class Enrichment { pending, enriched };
// not_yet_validated: a service line accepted before the Services service published availability.
enum class Validation { validated, not_yet_validated };

std::string_view to_string(LineType type);
std::string_view to_string(StockStatus status);
std::string_view to_string(Enrichment enrichment);
std::string_view to_string(Validation validation);
std::optional<LineType> line_type_from(std::string_view text);
std::optional<StockStatus> stock_status_from(std::string_view text);

struct PriceChange {
  platform::Money old_unit_price;
  platform::Money new_unit_price;
  friend bool operator==(const PriceChange&, const PriceChange&) = default;
};

struct CartLine {
  std::string item_id;
  LineType type = LineType::offer;
  std::string sku;
  std::string name;
  std::string category;
  platform::Money unit_price;
  std::int64_t quantity = 1;
  std::optional<std::string> parent_item_id;
  std::int64_t weight_g = 0;
  Dimensions dimensions_mm;
  std::vector<std::string> flags;
  StockStatus stock_status = StockStatus::unknown;
  Enrichment enrichment = Enrichment::pending;
  Validation validation = Validation::validated;
  std::optional<PriceChange> price_change;  // shown until the customer acknowledges it

  platform::Money line_total() const { return unit_price * quantity; }
  friend bool operator==(const CartLine&, const CartLine&) = default;
};

struct Cart {
  std::string user_id;
  std::string session_id;    // empty until the first change opens a session
  std::int64_t version = 0;  // per-session; +1 for every event the cart publishes
  std::vector<CartLine> lines;

  const CartLine* find(std::string_view item_id) const;
  std::vector<const CartLine*> children_of(std::string_view item_id) const;
  // Sum of quantities (the seed's cart:counter).
  std::int64_t item_count() const;
  platform::Money subtotal() const;
  // A digest of what the cart holds (sku, type, quantity, parent, price): other services key
  // their caches by it (shipping:methods:{cart_hash}). Equal contents give equal hashes.
  std::string content_hash() const;
  friend bool operator==(const Cart&, const Cart&) = default;
};

struct Limits {
  std::int64_t min_quantity = 1;
  std::int64_t max_quantity = 99;
  std::size_t max_lines = 100;
};

// What a change did, one record per event the Cart publishes.
enum class ChangeKind { added, removed, quantity_changed, price_changed, stock_changed };
std::string_view to_string(ChangeKind kind);  // "added", "removed", ...

struct Change {
  ChangeKind kind;
  CartLine line;                  // the line after the change (for removed: as it was)
  std::int64_t old_quantity = 0;  // quantity_changed
  std::optional<platform::Money> old_unit_price;   // price_changed
  std::optional<std::string> removed_with_parent;  // removed by cascade
};

struct AddLine {
  LineType type = LineType::offer;
  std::string sku;
  std::int64_t quantity = 1;
  std::optional<std::string> parent_item_id;
};

struct Outcome {
  Cart cart;
  std::vector<Change> changes;
  std::string item_id;  // the line the caller asked about (added or changed)
};

using IdGenerator = std::function<std::string()>;

// Adds a line, or merges it into an existing line of the same sku, type and parent.
// `services_known` says whether the Services service has published availability for the parent.
[[nodiscard]] platform::Result<Outcome> add_line(const Cart& cart, const AddLine& command,
                                                 const Product& product, const Limits& limits,
                                                 const IdGenerator& new_id);
// Removes a line and, first, every line tied to it.
[[nodiscard]] platform::Result<Outcome> remove_line(const Cart& cart, std::string_view item_id);
[[nodiscard]] platform::Result<Outcome> change_quantity(const Cart& cart, std::string_view item_id,
                                                        std::int64_t quantity,
                                                        const Limits& limits);
// Applies the catalog's current price and stock to every line of `product.sku` (enrichment and
// catalog updates). Lines that already match yield no change; pending lines become enriched.
[[nodiscard]] Outcome apply_catalog(const Cart& cart, const Product& product,
                                    std::int64_t low_stock_threshold);
// Clears the price-change markers of exactly the lines `item_ids` once the customer saw them; no
// events. Errc::invalid naming the id when one is not a line of the cart or has no price change
// pending (and nothing is cleared).
[[nodiscard]] platform::Result<Cart> acknowledge_price_changes(
    const Cart& cart, const std::vector<std::string>& item_ids);

// Ends the checkout session `session_id` once its order exists (OrderCreated): when it is the
// cart's current session, the cart becomes empty with no session, so the next change opens a new
// one at version 0; otherwise (an old, repeated or another session's order) the cart as it is.
// No events: every service ends its own state of the session on OrderCreated.
[[nodiscard]] Cart end_session(const Cart& cart, std::string_view session_id);

StockStatus stock_status_for(std::int64_t stock, std::int64_t quantity,
                             std::int64_t low_stock_threshold);

}  // namespace cart
