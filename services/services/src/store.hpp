#pragma once
// The Services' Redis keys and the Lua scripts that change them atomically:
//   services:user:{user_id}          hash: the user's current session (session_id, occurred_at
//                                    of its newest cart event: a newer session wins)
//   services:session:{session_id}    hash: user_id, version, cart (the copy of the cart, JSON),
//                                    cart_hash, delivery_method, shipping_version, published
//                                    (fingerprint of the last evaluation published), revision (the
//                                    compare-and-set token), ended ("1" after OrderCreated)
//   services:available:{cart_hash}   hash: one field per delivery method ("-" for none) holding
//                                    "<rules digest>\n<GET /services/available answer>"; written by
//                                    every commit (so a customer's read is one script with no
//                                    evaluation) and by a read that missed; expires on its own.
//                                    The answer names the session that computed it: a cart hash
//                                    covers the lines' ids, so it is that session's
//   services:answer:{user_id}        the user's current answer, "<rules digest>\n<JSON>", written
//   by
//                                    every commit while the user's pointer is on the committed
//                                    session, deleted when it ends: the usual read is one GET
//   outbox:services                  the transactional outbox stream (platform/outbox)
// Only the consumer writes sessions (the HTTP API reads); a commit is still a compare-and-set on
// `revision`, so two consumers of one partition during a rebalance cannot both apply an event.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "session.hpp"

namespace extra_services {

std::string user_key(std::string_view user_id);
std::string session_key(std::string_view session_id);
std::string available_key(std::string_view cart_hash);
std::string answer_key(std::string_view user_id);

// A session as loaded: what the compare-and-set compares, and whether it has ended.
struct StoredSession {
  ServicesSession session;
  std::int64_t revision = 0;  // 0: not stored yet
  bool ended = false;
};

class ServicesStore {
 public:
  // `session_ttl`: every commit makes the session live this long again (also the ended
  // session's tombstone); `cache_ttl`: how long a cached answer lives.
  ServicesStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                std::chrono::seconds session_ttl, std::chrono::seconds cache_ttl);

  // The user's current session; nullopt when the user has none (or it ended or expired).
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load_current(
      std::string user_id);
  // A session by id; revision 0 when never stored.
  boost::asio::awaitable<platform::Result<StoredSession>> load(std::string session_id);

  // What a commit caches besides the session: the answer for its cart and method.
  struct Answer {
    std::string method_field;  // method_field(delivery method)
    std::string value;         // "<digest>\n<JSON>"
  };

  // Writes `after` with its events and its answer when the session's revision is still
  // `before`'s. With
  // `cart_event_time`, the user's pointer moves to this session unless it points at a session
  // with a newer cart event. true: committed; false: another writer came first (reload, retry).
  // An ended session takes no commit (true: nothing to do).
  boost::asio::awaitable<platform::Result<bool>> commit(const StoredSession& before,
                                                        const ServicesSession& after,
                                                        std::vector<platform::CloudEvent> events,
                                                        std::optional<std::string> cart_event_time,
                                                        std::optional<Answer> answer);

  // Ends a session (OrderCreated): marked ended, the user's pointer cleared when it points at
  // it. Idempotent.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

  // The user's current answer ("<digest>\n<JSON>"), nullopt when none is held.
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> user_answer(
      std::string user_id);
  // What a customer's read needs when there is no user answer, in one script: the user's current
  // session id (nullopt: none, or ended) and the cached answer for its cart and delivery method
  // ("<digest>\n<JSON>"; nullopt when none is cached).
  struct CurrentAnswer {
    std::optional<std::string> session_id;
    std::optional<std::string> answer;
  };
  boost::asio::awaitable<platform::Result<CurrentAnswer>> current_answer(std::string user_id);

  // The cached answer for a cart and method ("<digest>\n<JSON>"), nullopt when none.
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> cached(std::string cart_hash,
                                                                              std::string method);
  boost::asio::awaitable<platform::Status> cache(std::string cart_hash, std::string method,
                                                 std::string value);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string session_ttl_ms_;
  std::string cache_ttl_ms_;
  platform::redis::Script commit_script_;
  platform::redis::Script end_script_;
  platform::redis::Script load_current_script_;
  platform::redis::Script current_answer_script_;
};

// The cache's field for a delivery method ("-" for none).
std::string method_field(const std::optional<std::string>& method);

}  // namespace extra_services
