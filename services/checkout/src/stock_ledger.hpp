#pragma once
// Stock holds and sales, so that no unit is ever sold twice. Per SKU, in Redis, beside the
// catalog's record (one hash tag, so one Cluster slot per SKU):
//   catalog:product:{sku}        the catalog's record (read only): `stock` is what may be sold
//   checkout:stock:{sku}         hash: held (units held now), sold (units sold through finalize),
//                                hold:<order_id> (that order's held units),
//                                sale:<order_id> (that order's sold units: selling twice is a
//                                no-op)
//   checkout:stock_holds:{sku}   sorted set: order_id by the hold's expiry (ms since the epoch)
// Free units = catalog stock − held − sold. A hold lapses by itself at its expiry: every script
// first drops the lapsed holds of the SKUs it touches, so an order whose process died between
// the hold and the order's row gives its units back without anyone cleaning up.
//
// reserve() holds every item of an order or none, in one script over all its SKUs: atomic on one
// Redis. On a Redis Cluster the SKUs live in different slots and one script cannot span them;
// there the same scripts run per SKU in SKU order (ARCHITECTURE.md, "Stock"): each SKU's check and
// hold is atomic in its slot, a refusal releases the holds already taken, and a crash between
// them leaves holds that lapse at their expiry. Nothing is ever oversold either way; on a Cluster
// a buyer may briefly see units as taken that a failing order is about to give back.
//
// Thread-safety: as the RedisClient (any thread). Errors: Errc::unavailable / timeout from Redis;
// Errc::internal for a reply the scripts never give.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finalize_checks.hpp"
#include "platform/error.hpp"
#include "platform/redis/client.hpp"

namespace checkout {

std::string stock_key(std::string_view sku);
std::string stock_holds_key(std::string_view sku);

// A SKU that has fewer free units than asked.
struct Shortage {
  std::string sku;
  std::int64_t wanted = 0;
  std::int64_t free = 0;
  friend bool operator==(const Shortage&, const Shortage&) = default;
};

// One SKU's units as the ledger counts them now (after dropping lapsed holds).
struct StockLevel {
  std::int64_t on_hand = 0;  // the catalog's stock
  std::int64_t held = 0;
  std::int64_t sold = 0;
  std::int64_t free() const { return on_hand - held - sold; }
};

class StockLedger {
 public:
  explicit StockLedger(platform::redis::RedisClient& redis);

  // Holds `items` for `order_id` until `expires_ms`, all or none; the shortages when any SKU has
  // too few free units (nothing held then). An order that holds already is not held twice.
  boost::asio::awaitable<platform::Result<std::vector<Shortage>>> reserve(
      std::string order_id, std::vector<StockItem> items, std::int64_t expires_ms,
      std::int64_t now_ms);
  // The order's holds become sales; a hold that lapsed is taken again from the free units when
  // there are enough (the shortages otherwise, nothing changed). Selling an order twice is a
  // no-op.
  boost::asio::awaitable<platform::Result<std::vector<Shortage>>> sell(std::string order_id,
                                                                       std::vector<StockItem> items,
                                                                       std::int64_t now_ms);
  // Gives the order's holds back (a sale stays). Idempotent.
  boost::asio::awaitable<platform::Status> release(std::string order_id,
                                                   std::vector<StockItem> items,
                                                   std::int64_t now_ms);
  // For tests, the bench and operators.
  boost::asio::awaitable<platform::Result<StockLevel>> level(std::string sku, std::int64_t now_ms);

 private:
  boost::asio::awaitable<platform::Result<std::vector<Shortage>>> run_for_shortages(
      const platform::redis::Script& script, std::string order_id, std::vector<StockItem> items,
      std::int64_t expires_ms, std::int64_t now_ms);

  platform::redis::RedisClient& redis_;
  platform::redis::Script reserve_;
  platform::redis::Script sell_;
  platform::redis::Script release_;
  platform::redis::Script level_;
};

}  // namespace checkout
