#pragma once
// The Cart's Redis keys and the Lua scripts that change them atomically (a change; the end of a
// session):
//   cart:view:{user_id}     the materialized view (JSON, starts with {"revision":N,)
//   cart:counter:{user_id}  the number of items (sum of quantities)
//   cart:events:{user_id}   the cart's own stream of line changes; replaying it rebuilds the view
//   cart:holders:{sku}      the users whose cart holds a sku (to reprice them on catalog changes)
//   outbox:cart             the transactional outbox stream (platform/outbox)
//   catalog:product:{sku}   the catalog, written by tools/catalog_import (read-only here)
//   cart:idempotency:{user_id}:<key hash>  Idempotency-Key records (platform/idempotency)
// A commit is a compare-and-set on the view's revision: it fails (false) when another writer
// committed since the view was loaded, and the caller loads again and retries. A merge commits two
// users' carts (and the events of both) in one such script, comparing both revisions. A commit may
// also make a request's idempotency record final in the same script (see IdempotencyRecord).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cart.hpp"
#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "view.hpp"

namespace cart {

std::string view_key(std::string_view user_id);
std::string counter_key(std::string_view user_id);
std::string stream_key(std::string_view user_id);
std::string holders_key(std::string_view sku);

// One entry of cart:events:{user_id}: a line as it now is (upsert) or as it was (remove).
struct StreamEntry {
  std::string kind;  // added, removed, quantity_changed, price_changed, stock_changed, updated
  bool remove = false;
  std::string session_id;
  std::int64_t version = 0;
  CartLine line;
};
// The entries that turn `before` into `after` (lines compared field by field).
std::vector<StreamEntry> stream_entries(const Cart& before, const Outcome& after);
// Replays a cart's stream into the cart it describes.
[[nodiscard]] platform::Result<Cart> replay(const std::string& user_id,
                                            const std::vector<StreamEntry>& entries);

// The idempotency record of the request behind a change, made final by the change's own commit
// with the response the request will answer: record_lua()'s KEYS entry and its ARGV
// (platform::idempotency::Claim::record_key() and record_argv(response)).
struct IdempotencyRecord {
  std::string key;
  std::vector<std::string> argv;
};

class CartStore {
 public:
  // `cart_ttl`: every change makes the user's view, counter and stream live this long again
  // (abandoned carts expire); zero keeps them forever.
  CartStore(platform::redis::RedisClient& redis, std::string outbox_stream,
            std::chrono::seconds cart_ttl = {});

  // The stored view document, or the empty view when the user has no cart yet.
  boost::asio::awaitable<platform::Result<std::string>> view_json(std::string user_id);
  boost::asio::awaitable<platform::Result<StoredView>> load(std::string user_id);
  // The cart and a product in one round trip.
  struct CartAndProduct {
    StoredView stored;
    std::optional<Product> product;
  };
  boost::asio::awaitable<platform::Result<CartAndProduct>> load_with_product(std::string user_id,
                                                                             std::string sku);
  // Writes view, counter, stream entries, holder index, outbox events and, with `record`, the
  // final idempotency record in one script. false: the revision moved (a concurrent writer won);
  // Errc::conflict: the request no longer holds its idempotency claim (it expired and another
  // attempt took it). Either way nothing was written.
  boost::asio::awaitable<platform::Result<bool>> commit(
      const StoredView& before, const Outcome& outcome, std::vector<platform::CloudEvent> events,
      std::optional<IdempotencyRecord> record = std::nullopt);
  // The same for several carts in one script (a merge: the user's and the guest's): every
  // cart's revision is compared first, and either everything is written or nothing. `events`
  // go to the outbox in their order.
  struct CartCommit {
    const StoredView& before;
    const Outcome& outcome;
  };
  boost::asio::awaitable<platform::Result<bool>> commit(
      const std::vector<CartCommit>& carts, std::vector<platform::CloudEvent> events,
      std::optional<IdempotencyRecord> record = std::nullopt);
  // Two users' carts in one round trip.
  struct TwoCarts {
    StoredView first;
    StoredView second;
  };
  boost::asio::awaitable<platform::Result<TwoCarts>> load_two(std::string first_user,
                                                              std::string second_user);
  // Ends the cart's checkout session (cart::end_session gave `ended`) in one script, with the
  // same compare-and-set as commit: writes the empty view and counter, deletes the cart's stream
  // (the order in PostgreSQL is the record of the closed session's lines) and takes the user out
  // of cart:holders of every sku `before` held. No events. false: the revision moved and nothing
  // was written.
  boost::asio::awaitable<platform::Result<bool>> end_session(const StoredView& before,
                                                             const Cart& ended);
  boost::asio::awaitable<platform::Result<std::vector<std::string>>> holders(std::string sku);
  boost::asio::awaitable<platform::Result<std::vector<StreamEntry>>> read_stream(
      std::string user_id);
  // Overwrites the view and counter with a rebuilt cart (admin command).
  boost::asio::awaitable<platform::Status> write_rebuilt(const Cart& cart);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string cart_ttl_ms_;  // as the commands take it; "0": no expiry
  platform::redis::Script commit_script_;
  platform::redis::Script end_session_script_;
};

}  // namespace cart
