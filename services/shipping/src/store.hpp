#pragma once
// The Shipping's Redis keys and the Lua scripts that change them atomically:
//   shipping:user:{user_id}         hash: the user's current session (session_id, occurred_at of
//                                   its newest cart event: a newer session wins, decision 10)
//   shipping:session:{session_id}   hash: user_id, version, cart_version, cart_hash, cart (the
//                                   copy of the cart, JSON), state (method and day, JSON),
//                                   method_id, ended ("1" once OrderCreated ended it)
//   shipping:address:{session_id}   where the delivery goes (JSON: address or parcel_locker)
//   shipping:addons:{session_id}    the chosen addons (JSON list)
//   shipping:methods:{cart_hash}    the methods evaluated for a cart: "<rules digest>\n<JSON>"
//   shipping:available:{user_id}    the user's whole GET /shipping/available answer, written by
//                                   every commit: "<rules digest>\n<JSON>" (one GET serves it)
//   calendar:{method}:{postal_code} the carrier's last good calendar: "<fetched at, ms>\n<answer>"
//   outbox:shipping                 the transactional outbox stream (platform/outbox)
// A commit is a compare-and-set on the session's version and cart_version: false when another
// writer (a request, or a cart event on the back half) committed since the load; the caller loads
// again and retries. An ended session takes no commit.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "session.hpp"

namespace shipping {

std::string user_key(std::string_view user_id);
std::string session_key(std::string_view session_id);
std::string address_key(std::string_view session_id);
std::string addons_key(std::string_view session_id);
std::string methods_key(std::string_view cart_hash);
std::string available_key(std::string_view user_id);
std::string calendar_key(std::string_view method_id, std::string_view postal_code);

// A session as loaded: what the compare-and-set compares, and whether it has ended.
struct StoredSession {
  ShippingSession session;
  bool exists = false;
  bool ended = false;
};

class ShippingStore {
 public:
  // `session_ttl`: every change makes the session's keys live this long again; also how long an
  // ended session's tombstone stays (late cart events of it are ignored meanwhile).
  ShippingStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                std::chrono::seconds session_ttl, std::chrono::seconds methods_ttl);

  // The user's current session; `exists` false when the user has none.
  boost::asio::awaitable<platform::Result<StoredSession>> load_current(std::string user_id);
  // A session by id (a cart event's); `exists` false when the Shipping has not seen it yet.
  boost::asio::awaitable<platform::Result<StoredSession>> load(std::string session_id);

  // What a commit writes besides the session: the methods for its cart
  // (shipping:methods:{cart_hash}) and the user's available answer, both "<digest>\n<JSON>".
  struct Answers {
    std::string methods;
    std::string available;
  };

  // Writes `after`, its answers and its events. With `cart_event_time` (a cart event's
  // occurred_at) the user's current-session pointer moves to this session unless it points at a
  // session with a newer event; the user's answer is written only while the pointer is on this
  // session. true: committed; false: the session moved since `before` was loaded (reload, retry);
  // Errc::conflict "session_ended": the session ended meanwhile (nothing written).
  boost::asio::awaitable<platform::Result<bool>> commit(
      const StoredSession& before, const ShippingSession& after, Answers answers,
      std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time = {});

  // Ends a session (OrderCreated): marks it ended, deletes its address and addons, and clears
  // the user's pointer when it points at it. Idempotent.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

  // The user's available answer ("<digest>\n<JSON>"), nullopt when there is none (no session).
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> available_answer(
      std::string user_id);
  // Writes the user's answer when the session is still the user's current one at `version` and
  // `cart_version` (an answer recomputed after a rules reload must not overwrite a newer one).
  boost::asio::awaitable<platform::Status> refresh_available_answer(const ShippingSession& session,
                                                                    std::string answer);
  // The methods cached for a cart ("<digest>\n<JSON>"), nullopt when none.
  boost::asio::awaitable<platform::Result<std::optional<std::string>>> methods(
      std::string cart_hash);

  boost::asio::awaitable<platform::Result<std::optional<std::string>>> calendar(
      std::string method_id, std::string postal_code);
  boost::asio::awaitable<platform::Status> save_calendar(std::string method_id,
                                                         std::string postal_code, std::string value,
                                                         std::chrono::seconds ttl);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string session_ttl_ms_;
  platform::redis::Script commit_script_;
  platform::redis::Script end_script_;
  platform::redis::Script load_current_script_;
  platform::redis::Script refresh_script_;
  std::string methods_ttl_ms_;
};

// The session's parts as the store keeps them (exposed for tests).
std::string state_to_json(const ShippingSession& session);
std::string destination_to_json(const ShippingSession& session);  // "" when none given
std::string addons_to_json(const std::vector<AddonOption>& addons);
[[nodiscard]] platform::Status read_state(std::string_view json, ShippingSession& session);
[[nodiscard]] platform::Status read_destination(std::string_view json, ShippingSession& session);
[[nodiscard]] platform::Result<std::vector<AddonOption>> read_addons(std::string_view json);

}  // namespace shipping
