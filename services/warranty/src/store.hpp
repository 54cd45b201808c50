#pragma once
// The Warranty's Redis keys and the Lua scripts that change them atomically:
//   warranty:user:{user_id}         hash: the user's current session (session_id, occurred_at of
//                                   its newest cart event: a newer session wins)
//   warranty:session:{session_id}   hash: user_id, version, cart (the copy of the cart, JSON),
//                                   selections (the chosen plans, JSON), released (plans
//                                   whose line left the cart, JSON, for a merge), revision (the
//                                   compare-and-set token). After OrderCreated only ended = "1"
//                                   is left, until it expires.
//   warranty:answers:{user_id}      hash: one field per line of the user's current session,
//                                   item_id → "<rules digest>\n<GET /warranty/available answer>",
//                                   rewritten whole by every commit while the user's pointer is on
//                                   that session and deleted when it ends: a customer's read is
//                                   one HGET and no evaluation.
//   outbox:warranty                 the transactional outbox stream (platform/outbox)
// Both the HTTP API (a customer's choice) and the consumer (cart events) write sessions: every
// commit is a compare-and-set on `revision` that writes the session, its events into the outbox
// and its answers in one script, so a crash leaves either all of them or none.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "session.hpp"

namespace warranty {

std::string user_key(std::string_view user_id);
std::string session_key(std::string_view session_id);
std::string answers_key(std::string_view user_id);

// A session as loaded: what the compare-and-set compares, and whether it has ended.
struct StoredSession {
  WarrantySession session;
  std::int64_t revision = 0;  // 0: not stored yet
  bool ended = false;
};

// The chosen plans as stored (JSON) and back.
std::string selections_to_json(const std::vector<Selection>& selections);
[[nodiscard]] platform::Result<std::vector<Selection>> selections_from_json(std::string_view text);

class WarrantyStore {
 public:
  // `session_ttl`: every commit makes the session live this long again (also the ended
  // session's tombstone).
  WarrantyStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                std::chrono::seconds session_ttl);

  // The user's current session; nullopt when the user has none (or it ended or expired).
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load_current(
      std::string user_id);
  // A session by id; revision 0 when never stored.
  boost::asio::awaitable<platform::Result<StoredSession>> load(std::string session_id);

  // The answer the last commit wrote for one line of the user's current session
  // ("<digest>\n<JSON>"); nullopt: none (no such line, no session, or not written yet).
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> line_answer(
      std::string user_id, std::string item_id);

  // Writes `after` with its events and its answers (item_id, "<digest>\n<JSON>") when the
  // session's revision is still `before`'s. With `cart_event_time`, the user's pointer moves to
  // this session unless it points at a session with a newer cart event. true: committed; false:
  // another writer came first (reload, retry). An ended session takes no commit (true: nothing
  // to do).
  boost::asio::awaitable<platform::Result<bool>> commit(
      const StoredSession& before, const WarrantySession& after,
      std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time,
      std::vector<std::pair<std::string, std::string>> answers);

  // Ends a session (OrderCreated): only the ended mark is left, the user's pointer and answers
  // are cleared when the pointer is on it. Idempotent.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string session_ttl_ms_;
  platform::redis::Script commit_script_;
  platform::redis::Script end_script_;
  platform::redis::Script load_current_script_;
};

}  // namespace warranty
