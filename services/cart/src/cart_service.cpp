#include "cart_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>
#include <utility>

#include "events.hpp"
#include "platform/metrics.hpp"

namespace cart {
namespace {
using platform::Errc;
using platform::make_error;

platform::metrics::Counter& conflicts() {
  // Resolved once; the registry's counters are thread-safe.
  // NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
  static auto& counter = platform::metrics::registry().counter(
      "cart_commit_conflicts_total", "Cart commits retried because a concurrent writer won");
  return counter;
}
// After a lost compare-and-set: a short random pause, growing with the attempt, so that two
// writers of one cart (a customer and enrichment working through a backlog) stop colliding in
// lockstep.
boost::asio::awaitable<void> back_off(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const auto ceiling = std::chrono::microseconds(200) * (1 << std::min(attempt, 5));
  std::uniform_int_distribution<std::int64_t> pick(0, ceiling.count());
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  std::chrono::microseconds(pick(random)));
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

// Equal but for a session opened by this attempt.
bool same_contents(const Cart& next, const Cart& stored) {
  return next.lines == stored.lines && next.services_version == stored.services_version &&
         next.service_refusals == stored.service_refusals && next.notices == stored.notices &&
         next.warranty_version == stored.warranty_version &&
         next.promotion_version == stored.promotion_version;
}

// The cart a change is decided on: a change to a cart with no session (its first, or the first
// after an order) opens the checkout session, whether it adds, merges or does anything else.
Cart with_session(Cart cart) {
  if (cart.session_id.empty()) cart.session_id = platform::new_uuid();
  return cart;
}
}  // namespace

CartService::CartService(CartStore& store, CartConfig config, const platform::Clock& clock)
    : store_(store), config_(std::move(config)), clock_(clock) {}

boost::asio::awaitable<platform::Result<Committed>> CartService::retry_lost_commits(
    Attempt attempt) {
  for (int lost = 0; lost < config_.commit_attempts; ++lost) {
    PLATFORM_CO_TRY(auto committed, co_await attempt());
    if (committed) co_return std::move(*committed);
    conflicts().inc();
    co_await back_off(lost);
  }
  co_return make_error(Errc::conflict, "the cart is changing too fast; try again",
                       "concurrent_modification");
}

boost::asio::awaitable<platform::Result<Committed>> CartService::mutate(
    std::string user_id, platform::TraceContext trace, Rule rule,
    std::optional<StoredView> preloaded, RecordFor record_for) {
  // Each attempt is awaited before the next is made: the references stay valid.
  co_return co_await retry_lost_commits([&] {
    return mutate_once(user_id, trace, rule, std::exchange(preloaded, std::nullopt), record_for);
  });
}

boost::asio::awaitable<platform::Result<std::optional<Committed>>> CartService::mutate_once(
    const std::string& user_id, const platform::TraceContext& trace, const Rule& rule,
    std::optional<StoredView> preloaded, const RecordFor& record_for) {
  StoredView stored;
  if (preloaded) {
    stored = std::move(*preloaded);
  } else {
    PLATFORM_CO_TRY(stored, co_await store_.load(user_id));
  }
  const Cart cart = with_session(stored.cart);
  PLATFORM_CO_TRY(auto outcome, rule(cart));
  // Nothing changed (e.g. a repeated catalog sync): write nothing, not even a new session.
  if (outcome.changes.empty() && same_contents(outcome.cart, stored.cart)) {
    // The analyzer reads on past a co_return into the commit below: not a second move.
    // NOLINTNEXTLINE(clang-analyzer-cplusplus.Move)
    co_return Committed{std::move(stored.cart), std::move(outcome.item_id), stored.revision};
  }
  auto events = events_for(outcome, stored.cart.version, trace, clock_.now());
  std::optional<IdempotencyRecord> record;
  if (record_for) {
    record = record_for(Committed{outcome.cart, outcome.item_id, stored.revision + 1, true});
  }
  PLATFORM_CO_TRY(bool committed,
                  co_await store_.commit(stored, outcome, std::move(events), std::move(record)));
  if (!committed) co_return std::nullopt;
  co_return Committed{std::move(outcome.cart), std::move(outcome.item_id), stored.revision + 1,
                      static_cast<bool>(record_for)};
}

boost::asio::awaitable<platform::Result<Committed>> CartService::add_item(
    std::string user_id, AddLine command, platform::TraceContext trace, RecordFor record_for) {
  // The cart and the product in one round trip; the cart read serves the first attempt.
  PLATFORM_CO_TRY(auto loaded, co_await store_.load_with_product(user_id, command.sku));
  if (!loaded.product) {
    co_return make_error(Errc::invalid, "unknown sku " + command.sku, "unknown_sku");
  }
  const auto& product = *loaded.product;
  const auto& limits = config_.limits;
  co_return co_await mutate(
      std::move(user_id), std::move(trace),
      [&](const Cart& cart) {
        return add_line(cart, command, product, limits, [] { return platform::new_uuid(); });
      },
      std::move(loaded.stored), std::move(record_for));
}

boost::asio::awaitable<platform::Result<Committed>> CartService::remove_item(
    std::string user_id, std::string item_id, platform::TraceContext trace) {
  co_return co_await mutate(std::move(user_id), std::move(trace),
                            [&](const Cart& cart) { return remove_line(cart, item_id); });
}

boost::asio::awaitable<platform::Result<Committed>> CartService::change_quantity(
    std::string user_id, std::string item_id, std::int64_t quantity, platform::TraceContext trace) {
  const auto& limits = config_.limits;
  co_return co_await mutate(std::move(user_id), std::move(trace), [&](const Cart& cart) {
    return cart::change_quantity(cart, item_id, quantity, limits);
  });
}

boost::asio::awaitable<platform::Result<Committed>> CartService::acknowledge_price_changes(
    std::string user_id, std::vector<std::string> item_ids, platform::TraceContext trace) {
  co_return co_await mutate(
      std::move(user_id), std::move(trace), [&](const Cart& cart) -> platform::Result<Outcome> {
        PLATFORM_TRY(auto next, cart::acknowledge_price_changes(cart, item_ids));
        return Outcome{std::move(next), {}, {}};
      });
}

boost::asio::awaitable<platform::Status> CartService::apply_services_verdict(
    std::string user_id, ServicesVerdict verdict, platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto committed,
                  co_await mutate(std::move(user_id), std::move(trace),
                                  [&](const Cart& cart) -> platform::Result<Outcome> {
                                    return cart::apply_services_verdict(cart, verdict);
                                  }));
  (void)committed;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> CartService::apply_warranty_event(
    std::string user_id, WarrantyEvent event, platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto committed,
                  co_await mutate(std::move(user_id), std::move(trace),
                                  [&](const Cart& cart) -> platform::Result<Outcome> {
                                    // No changes: nothing is published, the version stays.
                                    return Outcome{cart::apply_warranty_event(cart, event), {}, {}};
                                  }));
  (void)committed;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> CartService::apply_promotion_event(
    std::string user_id, PromotionEvent event, platform::TraceContext trace) {
  PLATFORM_CO_TRY(
      auto committed,
      co_await mutate(std::move(user_id), std::move(trace),
                      [&](const Cart& cart) -> platform::Result<Outcome> {
                        // No changes: nothing is published, the version stays.
                        return Outcome{cart::apply_promotion_event(cart, event), {}, {}};
                      }));
  (void)committed;
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<MergeCommitted>> CartService::merge_guest_cart(
    std::string user_id, std::string guest_id, platform::TraceContext trace,
    MergeRecordFor record_for) {
  MergeCommitted result;
  PLATFORM_CO_TRY(result.user, co_await retry_lost_commits([&] {
                    return merge_once(user_id, guest_id, trace, record_for, result);
                  }));
  co_return result;
}

boost::asio::awaitable<platform::Result<std::optional<Committed>>> CartService::merge_once(
    const std::string& user_id, const std::string& guest_id, const platform::TraceContext& trace,
    const MergeRecordFor& record_for, MergeCommitted& result) {
  PLATFORM_CO_TRY(auto loaded, co_await store_.load_two(user_id, guest_id));
  const auto& user = loaded.first;
  const auto& guest = loaded.second;
  const Cart cart = with_session(user.cart);
  auto outcome = merge_carts(cart, guest.cart, config_.limits, [] { return platform::new_uuid(); });
  result.from_session_id = guest.cart.session_id;
  result.merged = outcome.merged;
  result.left_out = outcome.left_out;
  // Nothing in the guest's cart (merged already, or never filled): nothing is written.
  if (outcome.guest.changes.empty()) co_return Committed{user.cart, {}, user.revision, false};

  const auto now = clock_.now();
  // The user's cart is written when a guest line went into it (with CartMerged after its line
  // events), the guest's always (it empties, whatever was left out).
  const bool user_moves = outcome.announces();
  std::vector<platform::CloudEvent> events;
  if (user_moves) {
    events = events_for(outcome.user, user.cart.version, trace, now);
    events.push_back(merged_event(outcome, guest.cart, trace, now));
  }
  for (auto& event : events_for(outcome.guest, guest.cart.version, trace, now)) {
    events.push_back(std::move(event));
  }
  auto next = user_moves ? Committed{outcome.user.cart, {}, user.revision + 1, false}
                         : Committed{user.cart, {}, user.revision, false};
  std::optional<IdempotencyRecord> record;
  if (record_for) {
    record =
        record_for(MergeCommitted{next, result.from_session_id, result.merged, result.left_out});
  }
  std::vector<CartStore::CartCommit> carts;
  if (user_moves) carts.push_back({user, outcome.user});
  carts.push_back({guest, outcome.guest});
  PLATFORM_CO_TRY(bool committed,
                  co_await store_.commit(carts, std::move(events), std::move(record)));
  if (!committed) co_return std::nullopt;
  next.recorded = static_cast<bool>(record_for);
  co_return next;
}

boost::asio::awaitable<platform::Result<std::string>> CartService::view_json(std::string user_id) {
  co_return co_await store_.view_json(std::move(user_id));
}

boost::asio::awaitable<platform::Status> CartService::sync_with_catalog(
    std::string user_id, std::string sku, platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto loaded, co_await store_.load_with_product(user_id, sku));
  if (!loaded.product) {
    spdlog::warn("sku {} held by {} is no longer in the catalog", sku, user_id);
    co_return platform::Status{};
  }
  const auto& product = *loaded.product;
  const auto threshold = config_.low_stock_threshold;
  auto committed = co_await mutate(
      std::move(user_id), std::move(trace),
      [&](const Cart& cart) -> platform::Result<Outcome> {
        return apply_catalog(cart, product, threshold);
      },
      std::move(loaded.stored));
  if (!committed) co_return committed.error();
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> CartService::reprice_holders(
    std::string sku, platform::TraceContext trace) {
  PLATFORM_CO_TRY(auto users, co_await store_.holders(sku));
  for (auto& user : users) {
    PLATFORM_CO_CHECK(co_await sync_with_catalog(std::move(user), sku, trace.child()));
  }
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> CartService::end_session(std::string user_id,
                                                                  std::string session_id) {
  auto ended = co_await retry_lost_commits([&] { return end_session_once(user_id, session_id); });
  if (!ended) co_return ended.error();
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<Committed>>> CartService::end_session_once(
    const std::string& user_id, const std::string& session_id) {
  PLATFORM_CO_TRY(auto stored, co_await store_.load(user_id));
  auto ended = cart::end_session(stored.cart, session_id);
  // Not the cart's current session (an old, repeated or another session's order): no write.
  if (ended == stored.cart) co_return Committed{std::move(stored.cart), {}, stored.revision};
  PLATFORM_CO_TRY(bool committed, co_await store_.end_session(stored, ended));
  if (!committed) co_return std::nullopt;
  co_return Committed{std::move(ended), {}, stored.revision + 1};
}

boost::asio::awaitable<platform::Result<Cart>> CartService::rebuild_view(std::string user_id) {
  PLATFORM_CO_TRY(auto entries, co_await store_.read_stream(user_id));
  PLATFORM_CO_TRY(auto cart, replay(user_id, entries));
  PLATFORM_CO_CHECK(co_await store_.write_rebuilt(cart));
  co_return cart;
}

}  // namespace cart
