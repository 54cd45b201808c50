#pragma once
// The Checkout's Redis keys and the Lua scripts that change them atomically. Every key of one
// session carries the session id as its hash tag, so the scripts touch one slot (the user's
// pointer aside, as in every service):
//   checkout:session:{session_id}   hash: user_id, state (open | ordered), opened_at,
//                                   updated_at, version (the Checkout's own per-session version:
//                                   CustomerDataProvided, ConsentsGiven), revision (the view's
//                                   compare-and-set token); once ordered: order (the order's
//                                   brief, JSON) and order_version
//   checkout:totals:{session_id}    hash: view (every other service's events folded,
//                                   view.hpp), totals (their totals with the VAT breakdown)
//   checkout:customer:{session_id}  the customer data (JSON)
//   checkout:consents:{session_id}  the consents given (JSON)
//   checkout:user:{user_id}         the user's current session (platform/redis/session_pointer);
//                                   last_ordered: the session of the user's last order
//   outbox:checkout                 the transactional outbox stream (platform/outbox)
// Every write gives all of a session's keys `session_ttl` to live again: a session nobody touches
// for that long is abandoned and disappears whole. OrderCreated ends a session: only its session
// hash is left (state ordered) until it expires, so a late event never opens it again.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "view.hpp"

namespace checkout {

std::string session_key(std::string_view session_id);
std::string totals_key(std::string_view session_id);
std::string customer_key(std::string_view session_id);
std::string consents_key(std::string_view session_id);
std::string user_key(std::string_view user_id);

// One session as loaded in one round trip.
struct StoredSession {
  std::string session_id;
  std::string user_id;
  std::string state;  // "" (never stored), open, ordered
  std::string opened_at;
  std::string updated_at;
  std::int64_t version = 0;   // the Checkout's own
  std::int64_t revision = 0;  // of the view; 0: none stored
  std::string view;           // JSON, "" when none
  std::string totals;         // JSON, "" when none
  std::string customer;       // JSON, "" when none
  std::string consents;       // JSON, "" when none
  bool exists() const { return !state.empty(); }
  bool ended() const { return state == "ordered"; }
};

// What tells one state of a session from the next: the view's revision, the Checkout's own
// version and the state (every write moves one of them).
struct SessionStamp {
  std::string session_id;
  std::string state;
  std::int64_t version = 0;
  std::int64_t revision = 0;
  friend bool operator==(const SessionStamp&, const SessionStamp&) = default;
};

enum class Commit { done, moved, ended };

class CheckoutStore {
 public:
  CheckoutStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                std::chrono::seconds session_ttl);

  boost::asio::awaitable<platform::Result<StoredSession>> load(std::string session_id);
  // The user's current session; nullopt when the user has none (or it ended or expired).
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load_current(
      std::string user_id);

  // The stamp of the user's current session (one small read); nullopt when the user has none.
  boost::asio::awaitable<platform::Result<std::optional<SessionStamp>>> current_stamp(
      std::string user_id);

  // Writes the view and its totals when the view's revision is still `revision` (0: none yet;
  // the session opens). With `cart_event_time`, the user's pointer follows the session (a newer
  // cart event wins). `now`: RFC 3339.
  boost::asio::awaitable<platform::Result<Commit>> commit_view(
      const CheckoutView& view, std::int64_t revision, std::string totals_json,
      std::optional<std::string> cart_event_time, std::string now);

  // Writes the customer data (`what` = customer) or the consents (`what` = consents) with its
  // event when the session's own version is still `version` (the event carries version + 1).
  enum class Own { customer, consents };
  boost::asio::awaitable<platform::Result<Commit>> commit_own(const StoredSession& before, Own what,
                                                              std::string value,
                                                              const platform::CloudEvent& event,
                                                              std::string now);

  // The session the user's last order closed (kept on the user's pointer until it expires), so a
  // finalize repeated after the session closed finds its order.
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> last_ordered(
      std::string user_id);

  // The order of an ordered session as its summary shows it (order_json), kept on the session's
  // hash while it lives; `order_version` (the writer's clock, µs since the epoch, after its
  // commit) keeps an older brief from replacing a newer one.
  boost::asio::awaitable<platform::Status> record_order(std::string session_id,
                                                        std::int64_t order_version,
                                                        std::string brief);
  // The user's last ordered session and its order as recorded; nullopt when there is none.
  boost::asio::awaitable<platform::Result<std::optional<std::pair<std::string, std::string>>>>
  last_order(std::string user_id);

  // OrderCreated: the session is ordered and all but its session hash goes. Idempotent.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string ttl_ms_;
  platform::redis::Script load_;
  platform::redis::Script load_current_;
  platform::redis::Script stamp_;
  platform::redis::Script commit_view_;
  platform::redis::Script commit_own_;
  platform::redis::Script end_;
  platform::redis::Script record_order_;
  platform::redis::Script last_order_;
};

}  // namespace checkout
