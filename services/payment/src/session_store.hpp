#pragma once
// The Payment's Redis keys (the session's choice; the durable records are in PostgreSQL) and the
// Lua scripts that change them atomically:
//   payment:user:{user_id}        hash: the user's current session (session_id, occurred_at of
//                                 its newest cart event: a newer session wins, decision 10)
//   payment:session:{session_id}  hash: revision (the compare-and-set token), version (the
//                                 Payment's per-session event version), user_id, cart (the copy
//                                 of the cart, JSON), shipping (the delivery method, JSON),
//                                 method (the chosen payment method, JSON), email. After
//                                 OrderCreated only ended = "1" and version are left, until it
//                                 expires: attempts of the order still take versions from it.
//   outbox:payment                the session events' outbox stream (platform/outbox); the
//                                 attempts' events go through PostgreSQL's outbox
// Every commit is a compare-and-set on `revision` that writes the session and its events in one
// script; taking a version for an attempt's event bumps `revision` too, so a session commit that
// loaded before it retries with the new version.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/redis/client.hpp"
#include "session.hpp"

namespace payment {

std::string user_key(std::string_view user_id);
std::string session_key(std::string_view session_id);

struct StoredSession {
  PaymentSession session;
  std::int64_t revision = 0;  // 0: not stored yet
  bool ended = false;
};

// The session's parts as stored (JSON) and back.
std::string shipping_to_json(const std::optional<ShippingChoice>& shipping,
                             std::int64_t shipping_version);
std::string method_to_json(const std::optional<ChosenMethod>& method);
[[nodiscard]] platform::Status read_shipping(std::string_view json, PaymentSession& session);
[[nodiscard]] platform::Result<std::optional<ChosenMethod>> read_method(std::string_view json);

class SessionStore {
 public:
  // `session_ttl`: every commit makes the session live this long again (also the tombstone).
  SessionStore(platform::redis::RedisClient& redis, std::string outbox_stream,
               std::chrono::seconds session_ttl);

  // The user's current session; nullopt when the user has none (or it ended or expired).
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load_current(
      std::string user_id);
  // A session by id; revision 0 when never stored.
  boost::asio::awaitable<platform::Result<StoredSession>> load(std::string session_id);

  // Writes `after` and its events when the revision is still `before`'s. With
  // `cart_event_time`, the user's pointer moves to this session unless it points at a session
  // with a newer cart event. true: committed (or the session has ended: nothing to do); false:
  // another writer came first (reload, retry).
  boost::asio::awaitable<platform::Result<bool>> commit(const StoredSession& before,
                                                        const PaymentSession& after,
                                                        std::vector<platform::CloudEvent> events,
                                                        std::optional<std::string> cart_event_time);

  // Ends a session (OrderCreated): only ended and version are left; the user's pointer is
  // cleared when it is on it. Idempotent.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

  // The next version of the session's events (an attempt's event, published from PostgreSQL).
  boost::asio::awaitable<platform::Result<std::int64_t>> next_version(std::string session_id);

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  std::string session_ttl_ms_;
  platform::redis::Script commit_script_;
  platform::redis::Script end_script_;
  platform::redis::Script load_current_script_;
  platform::redis::Script version_script_;
};

}  // namespace payment
