#pragma once
// The Promotion's Redis keys and the Lua scripts that change them atomically:
//   promotions:user:{user_id}         hash: the user's current session (session_id, occurred_at
//                                     of its newest cart event: a newer session wins)
//   promotions:session:{session_id}   hash: user_id, version, cart (the copy of the cart, JSON),
//                                     opt_ins, codes (JSON arrays), published (promotion id →
//                                     fingerprint, JSON), revision (the compare-and-set token);
//                                     after OrderCreated only ended = "1" is left
//   promotions:applied:{session_id}   the promotions applied now with their parts per line (the
//                                     GET answer's `applied`, JSON), written by every commit
//   promotions:available:{cart_hash}  hash, one field per choices (opt-ins and codes) digest:
//                                     "<rules digest>\n<GET /promotions/available answer>",
//                                     living PROMOTION_CACHE_S
//   promotions:answer:{user_id}       the user's current answer, "<rules digest>\n<JSON>", written
//                                     by every commit while the pointer is on the session, deleted
//                                     when it ends: the usual read is one GET
//   promotions:prices:{sku}           the product's price history from catalog-events (JSON
//                                     [[ms, grosze], ...]), for the 30-day lowest price
//   outbox:promotion                  the transactional outbox stream (platform/outbox)
// Code uses live under the code's own keys (codes.hpp).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "price_history.hpp"
#include "session.hpp"

namespace promotion {

std::string user_key(std::string_view user_id);
std::string session_key(std::string_view session_id);
std::string applied_key(std::string_view session_id);
std::string available_key(std::string_view cart_hash);
std::string answer_key(std::string_view user_id);
std::string prices_key(std::string_view sku);

struct StoredSession {
  PromotionSession session;
  std::int64_t revision = 0;  // 0: not stored yet
  bool ended = false;
};

class PromotionStore {
 public:
  PromotionStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                 std::chrono::seconds session_ttl, std::chrono::seconds cache_ttl);

  // The user's current session; nullopt when none (or it ended or expired).
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load_current(
      std::string user_id);
  // A session by id; revision 0 when never stored.
  boost::asio::awaitable<platform::Result<StoredSession>> load(std::string session_id);

  // What a commit writes besides the session.
  struct Written {
    std::string applied;         // promotions:applied:{session_id}
    std::string choices_digest;  // the field of promotions:available:{cart_hash}
    std::string answer;          // "<rules digest>\n<JSON>"
  };
  // Writes `after`, its events and `written` when the session's revision is still `before`'s;
  // with `cart_event_time` the user's pointer moves to it unless it points at a session with a
  // newer cart event. true: committed (or ended: nothing to do); false: another writer came
  // first.
  boost::asio::awaitable<platform::Result<bool>> commit(const StoredSession& before,
                                                        const PromotionSession& after,
                                                        std::vector<platform::CloudEvent> events,
                                                        std::optional<std::string> cart_event_time,
                                                        Written written);

  // Ends a session (OrderCreated): only the ended mark is left; the user's pointer and answer go
  // when the pointer is on it. Idempotent.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

  // The user's current answer ("<digest>\n<JSON>"), nullopt when none is held.
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> user_answer(
      std::string user_id);

  // The price histories of `skus` (empty for a product never seen).
  boost::asio::awaitable<platform::Result<std::map<std::string, std::vector<PricePoint>>>>
  price_histories(std::vector<std::string> skus);
  // One product's history, and writing it back.
  boost::asio::awaitable<platform::Result<std::vector<PricePoint>>> price_history(std::string sku);
  boost::asio::awaitable<platform::Status> save_price_history(
      std::string sku, const std::vector<PricePoint>& history);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string session_ttl_ms_;
  std::string cache_ttl_ms_;
  platform::redis::Script commit_script_;
  platform::redis::Script end_script_;
  platform::redis::Script load_current_script_;
};

// The list stored in a session's field, and back.
std::string strings_to_json(const std::vector<std::string>& items);
std::string published_to_json(const std::map<std::string, std::string>& published);
std::string history_to_json(const std::vector<PricePoint>& history);
[[nodiscard]] platform::Result<std::vector<PricePoint>> history_from_json(std::string_view text);

}  // namespace promotion
