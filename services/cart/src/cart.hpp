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

// What a warranty plan covers; a line holds at most one plan of each kind.
enum class WarrantyKind { extended, accidental_damage, theft };

// A warranty plan the customer chose for a line, as the Warranty service last published it
// (WarrantySelected on warranty-events): a read-only copy shown in GET /cart. The Warranty owns
// it and prices it; the Cart never changes it, nor counts it in its subtotal or events.
struct Warranty {
  std::string plan_id;
  WarrantyKind kind = WarrantyKind::extended;
  std::string name;
  std::int64_t duration_months = 0;
  platform::Money unit_price;
  std::int64_t quantity = 0;
  platform::Money price;  // unit_price × quantity
  friend bool operator==(const Warranty&, const Warranty&) = default;
};

// A promotion's part on a line, as the Promotion service last published it (PromotionApplied or
// PromoCodeApplied on promotion-events): a read-only copy shown in GET /cart. The Promotion owns
// it; the Cart never changes it, nor subtracts it from its subtotal or events.
struct LinePromotion {
  std::string promotion_id;
  std::string name;                 // a code's promotion: its code
  std::optional<std::string> code;  // the discount code it came from
  platform::Money discount;         // this line's part (all its units)
  // The product's lowest unit price in the 30 days before the reduction (the EU Omnibus rule);
  // nullopt when the price history does not reach back that far.
  std::optional<platform::Money> lowest_price_30d;
  friend bool operator==(const LinePromotion&, const LinePromotion&) = default;
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
  std::vector<Warranty> warranties;         // by kind (extended first); see warranties.hpp
  std::vector<LinePromotion> promotions;    // see line_promotions.hpp

  platform::Money line_total() const { return unit_price * quantity; }
  friend bool operator==(const CartLine&, const CartLine&) = default;
};

// Why the Services' rules do not allow a service: a stable code and a sentence for the customer.
struct Reason {
  std::string code;
  std::string message;
  friend bool operator==(const Reason&, const Reason&) = default;
};

// A service the Services service says cannot be added now (to the line `parent_item_id`, or to
// the order when nullopt), and why: adding it is refused at once.
struct ServiceRefusal {
  std::optional<std::string> parent_item_id;
  std::string sku;
  Reason reason;
  friend bool operator==(const ServiceRefusal&, const ServiceRefusal&) = default;
};

// A line the Cart removed on its own (a service the rules no longer allow), shown in GET /cart
// until the session ends.
struct Notice {
  std::string item_id;
  std::string sku;
  std::string name;
  Reason reason;
  friend bool operator==(const Notice&, const Notice&) = default;
};

struct Cart {
  std::string user_id;
  std::string session_id;    // empty until the first change opens a session
  std::int64_t version = 0;  // per-session; +1 for every event the cart publishes
  std::vector<CartLine> lines;
  // The Services' latest word on this session (ServiceAvailabilityCalculated): its version, and
  // the services it refuses; reset when the session ends.
  std::int64_t services_version = 0;
  std::vector<ServiceRefusal> service_refusals;
  std::vector<Notice> notices;  // newest last, at most kMaxNotices
  // The Warranty's per-session version of the last warranty-events event applied (see
  // warranties.hpp); reset when the session ends. Changes no cart version.
  std::int64_t warranty_version = 0;
  // The Promotion's per-session version of the last promotion-events event applied (see
  // line_promotions.hpp); reset when the session ends. Changes no cart version.
  std::int64_t promotion_version = 0;

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
// validated: a service line checked against the Services' verdict (CartItemValidated).
enum class ChangeKind { added, removed, quantity_changed, price_changed, stock_changed, validated };
std::string_view to_string(ChangeKind kind);  // "added", "removed", ...

struct Change {
  ChangeKind kind;
  CartLine line;                  // the line after the change (for removed: as it was)
  std::int64_t old_quantity = 0;  // quantity_changed, validated
  std::optional<platform::Money> old_unit_price;   // price_changed, validated
  std::optional<std::string> removed_with_parent;  // removed by cascade
  // removed by the Services' verdict: why; validated: quantity_reduced when cut.
  std::optional<Reason> reason;
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

// Adds a line, or merges it into an existing line of the same sku, type and parent. A service the
// Services already refused there (Cart::service_refusals) is refused with its reason
// (Errc::invalid, the reason's code).
[[nodiscard]] platform::Result<Outcome> add_line(const Cart& cart, const AddLine& command,
                                                 const Product& product, const Limits& limits,
                                                 const IdGenerator& new_id);
// Removes a line and, first, every line tied to it.
[[nodiscard]] platform::Result<Outcome> remove_line(const Cart& cart, std::string_view item_id);
// Changes a line's quantity; the service lines tied to it are cut to the new quantity when they
// would outnumber it (an item service never outnumbers its line).
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

// The Services' verdict on one service line of the cart.
struct ServiceVerdict {
  std::string item_id;
  std::string sku;
  bool allowed = false;
  platform::Money unit_price;  // the rules' price per unit
  std::int64_t quantity = 0;   // what the line may keep; 0 when not allowed
  std::optional<Reason> reason;
};

// One ServiceAvailabilityCalculated, as the Cart uses it.
struct ServicesVerdict {
  std::string session_id;
  std::int64_t services_version = 0;  // the Services' per-session version
  std::int64_t cart_version = 0;      // the cart version the Services evaluated
  std::vector<ServiceVerdict> lines;
  std::vector<ServiceRefusal> refusals;
};

inline constexpr std::size_t kMaxNotices = 20;

// Applies the Services' verdict. Older than the last one applied (services_version), or of
// another session: the cart as it is. Otherwise the refusals become the cart's; and when it was
// made for the cart's current version, every service line it names is kept (validated, priced
// with the rules' price (a price_change marker when that differs), cut to the quantity allowed:
// one `validated` change when anything moved) or removed with the reason (a `removed` change and
// a Notice). A verdict for an older version of the cart moves no line: the Services evaluate the
// newer cart and send another.
[[nodiscard]] Outcome apply_services_verdict(const Cart& cart, const ServicesVerdict& verdict);

// The refusal of `sku` for the line `parent_item_id` (nullopt: standalone), when known.
[[nodiscard]] const ServiceRefusal* refusal_for(const Cart& cart,
                                                const std::optional<std::string>& parent_item_id,
                                                std::string_view sku);

// Ends the checkout session `session_id` once its order exists (OrderCreated): when it is the
// cart's current session, the cart becomes empty with no session, so the next change opens a new
// one at version 0; otherwise (an old, repeated or another session's order) the cart as it is.
// No events: every service ends its own state of the session on OrderCreated.
[[nodiscard]] Cart end_session(const Cart& cart, std::string_view session_id);

// --- A guest's cart merged into the user's at sign-in (POST /cart/merge) ---

// One guest line that went into the user's cart: into a line the user had (same sku, type and
// parent) or into a new line. `added` < `requested` when a limit clamped it (the most a line may
// hold, or a service never outnumbering its line); `added` may be 0 when the user's line already
// held the most (the line still takes the guest line's place: its children and warranties follow
// it there).
struct MergedLine {
  std::string from_item_id;  // the guest's line
  std::string item_id;       // the user's line it went into
  LineType type = LineType::offer;
  std::string sku;
  std::string name;
  std::optional<std::string> parent_item_id;  // in the user's cart
  std::int64_t requested = 0;                 // the guest line's quantity
  std::int64_t added = 0;                     // what the user's line gained
  bool new_line = false;                      // a line the user's cart did not have
  [[nodiscard]] bool clamped() const { return added < requested; }
  friend bool operator==(const MergedLine&, const MergedLine&) = default;
};

// One guest line that could not go into the user's cart, and why (reason codes: too_many_lines,
// parent_left_out, parent_not_found, or a service refusal's code from the Services' verdict).
struct LeftOutLine {
  std::string from_item_id;
  LineType type = LineType::offer;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  Reason reason;
  friend bool operator==(const LeftOutLine&, const LeftOutLine&) = default;
};

struct MergeOutcome {
  // The user's cart and its line changes. When `merged` is not empty, a CartMerged event follows
  // the changes, and the cart's version counts it too (changes.size() + 1 steps).
  Outcome user;
  // The guest's cart emptied, one `removed` change per line (children first, removed with their
  // parent); its version counts them.
  Outcome guest;
  std::vector<MergedLine> merged;  // in the order the guest lines were placed (parents first)
  std::vector<LeftOutLine> left_out;
  [[nodiscard]] bool announces() const { return !merged.empty(); }
};

// Moves every line of `guest` into `user`, parents before their children: quantities added to the
// user's line of the same sku, type and (mapped) parent, each clamped to `limits.max_quantity`
// and a service under a line to that line's quantity; a new line (a new id, the guest line's
// data, warranties and promotions left to their owners, a service line not_yet_validated again)
// while the cart has fewer than `limits.max_lines`; otherwise left out with the reason, and so
// are the children of a line left out, and a service the Services refused under its new parent.
// The guest's cart ends empty whatever was left out (the answer lists it), so a second merge
// changes nothing. Neither session is opened here: the caller gives `user` a session when it has
// none. An empty guest cart: both carts as they are, nothing merged.
[[nodiscard]] MergeOutcome merge_carts(const Cart& user, const Cart& guest, const Limits& limits,
                                       const IdGenerator& new_id);

StockStatus stock_status_for(std::int64_t stock, std::int64_t quantity,
                             std::int64_t low_stock_threshold);

}  // namespace cart
