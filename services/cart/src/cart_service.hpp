#pragma once
// The Cart's use cases. Each change loads the cart, applies a pure domain rule and commits view,
// counter, stream, holder index and outbox events in one compare-and-set step, retrying when a
// concurrent writer (another request, enrichment or a catalog reprice) got there first, so no
// change is ever lost or applied on a stale cart.
// Thread-safety: all members may run concurrently on the io_context's threads.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cart.hpp"
#include "config.hpp"
#include "line_promotions.hpp"
#include "platform/clock.hpp"
#include "platform/ids.hpp"
#include "store.hpp"
#include "warranties.hpp"

namespace cart {

struct Committed {
  Cart cart;
  std::string item_id;        // the line the call was about
  std::int64_t revision = 0;  // the stored view's revision after the call
  bool recorded = false;      // the commit also made the call's idempotency record final
};

// Given the cart a change is about to commit, the idempotency record (holding the response the
// caller will return for it) to make final in the same commit. Called once per attempt.
using RecordFor = std::function<IdempotencyRecord(const Committed& next)>;

// What a merge of a guest's cart into the user's did (see cart::merge_carts).
struct MergeCommitted {
  Committed user;               // the user's cart after the merge (as it was when nothing moved)
  std::string from_session_id;  // the guest cart's session; empty when it had none
  std::vector<MergedLine> merged;
  std::vector<LeftOutLine> left_out;
};
// As RecordFor, for a merge.
using MergeRecordFor = std::function<IdempotencyRecord(const MergeCommitted& next)>;

class CartService {
 public:
  CartService(CartStore& store, CartConfig config, const platform::Clock& clock);

  // With `record_for`, the commit also makes the request's idempotency record final
  // (Committed::recorded); when nothing is committed (a rejected request) it is not called.
  boost::asio::awaitable<platform::Result<Committed>> add_item(std::string user_id, AddLine command,
                                                               platform::TraceContext trace,
                                                               RecordFor record_for = {});
  boost::asio::awaitable<platform::Result<Committed>> remove_item(std::string user_id,
                                                                  std::string item_id,
                                                                  platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<Committed>> change_quantity(std::string user_id,
                                                                      std::string item_id,
                                                                      std::int64_t quantity,
                                                                      platform::TraceContext trace);
  // Clears the price-change markers of exactly `item_ids` (see cart::acknowledge_price_changes).
  boost::asio::awaitable<platform::Result<Committed>> acknowledge_price_changes(
      std::string user_id, std::vector<std::string> item_ids, platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<std::string>> view_json(std::string user_id);

  // Merges the cart of the guest `guest_id` into the user's (cart::merge_carts) in one atomic
  // step: both views, counters, streams and holder entries, the user's line events and
  // CartMerged, the guest's CartItemRemoved events and, with `record_for`, the request's
  // idempotency record. The user's cart opens a session when it has none and takes a line. A
  // guest cart already empty (merged before, or never filled) changes nothing and writes nothing.
  // The caller has checked that `guest_id` is a guest's and not the user.
  boost::asio::awaitable<platform::Result<MergeCommitted>> merge_guest_cart(
      std::string user_id, std::string guest_id, platform::TraceContext trace,
      MergeRecordFor record_for = {});

  // Brings the user's lines of `sku` in line with the catalog (enrichment after an add, and
  // repricing after a catalog change). Idempotent: a second call with the same catalog state
  // changes nothing.
  boost::asio::awaitable<platform::Status> sync_with_catalog(std::string user_id, std::string sku,
                                                             platform::TraceContext trace);
  // Syncs every cart that holds `sku`.
  boost::asio::awaitable<platform::Status> reprice_holders(std::string sku,
                                                           platform::TraceContext trace);

  // Applies the Services' verdict to the user's cart (cart::apply_services_verdict): lines
  // validated, repriced, cut or removed with their events, the refusals remembered. Idempotent.
  boost::asio::awaitable<platform::Status> apply_services_verdict(std::string user_id,
                                                                  ServicesVerdict verdict,
                                                                  platform::TraceContext trace);

  // Applies a Warranty event to the user's cart (cart::apply_warranty_event): the line's
  // warranties shown in the view, no event, no cart version. Idempotent.
  boost::asio::awaitable<platform::Status> apply_warranty_event(std::string user_id,
                                                                WarrantyEvent event,
                                                                platform::TraceContext trace);

  // Applies a Promotion event to the user's cart (cart::apply_promotion_event): the promotions
  // shown on the lines in the view, no event, no cart version. Idempotent.
  boost::asio::awaitable<platform::Status> apply_promotion_event(std::string user_id,
                                                                 PromotionEvent event,
                                                                 platform::TraceContext trace);

  // Ends the user's checkout session `session_id` once its order exists (OrderCreated): the cart
  // becomes empty with no session, its stream goes, and it leaves the holder index; no events.
  // Idempotent: an old, repeated or another session's order changes nothing.
  boost::asio::awaitable<platform::Status> end_session(std::string user_id, std::string session_id);

  // Rebuilds the view and counter from the cart's stream (admin command).
  boost::asio::awaitable<platform::Result<Cart>> rebuild_view(std::string user_id);

  const CartConfig& config() const { return config_; }

 private:
  using Rule = std::function<platform::Result<Outcome>(const Cart&)>;
  // `preloaded`: the cart as already read for the first attempt (saves a round trip).
  boost::asio::awaitable<platform::Result<Committed>> mutate(
      std::string user_id, platform::TraceContext trace, Rule rule,
      std::optional<StoredView> preloaded = std::nullopt, RecordFor record_for = {});

  // One load, decide and compare-and-set: what the call did, or std::nullopt when a concurrent
  // writer committed first and nothing was written.
  using Attempt =
      std::function<boost::asio::awaitable<platform::Result<std::optional<Committed>>>()>;
  // Runs `attempt` again after each lost compare-and-set, after a short random pause that grows
  // with each loss, up to commit_attempts times (then Errc::conflict).
  boost::asio::awaitable<platform::Result<Committed>> retry_lost_commits(Attempt attempt);
  boost::asio::awaitable<platform::Result<std::optional<Committed>>> mutate_once(
      const std::string& user_id, const platform::TraceContext& trace, const Rule& rule,
      std::optional<StoredView> preloaded, const RecordFor& record_for);
  // One load, merge and compare-and-set of both carts; fills `result` but for its `user`.
  boost::asio::awaitable<platform::Result<std::optional<Committed>>> merge_once(
      const std::string& user_id, const std::string& guest_id, const platform::TraceContext& trace,
      const MergeRecordFor& record_for, MergeCommitted& result);
  boost::asio::awaitable<platform::Result<std::optional<Committed>>> end_session_once(
      const std::string& user_id, const std::string& session_id);

  CartStore& store_;
  CartConfig config_;
  const platform::Clock& clock_;
};

}  // namespace cart
