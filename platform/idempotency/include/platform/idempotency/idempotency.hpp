#pragma once
// Idempotency-Key support for creating calls (POST /cart/items, /checkout/finalize,
// /payment/initialize), with the record kept in Redis.
//
// With an `idempotency-key` header, the first request for <key_prefix><scope>:<key> runs the
// handler and its non-5xx response is stored for `ttl`; a repeat with the same fingerprint
// (SHA-256 of method, path and body) gets the stored response plus `Idempotent-Replayed: true`
// without running the handler; a concurrent duplicate waits up to `wait_for_first` for the
// first one's outcome. Outcomes answered as problem+json (via http::problem()):
//   400 key empty or longer than 255 chars; 422 key reused with a different request;
//   409 a duplicate still in progress after waiting `wait_for_first`;
//   503 (Retry-After: 1) Redis unavailable; 504 Redis timed out.
// A 5xx response (or an exception from the handler) releases the key so the client can retry.
// The in-progress lock expires after `lock_ttl`, so a crashed process does not block a key.
//
// Thread-safety: run() may be called concurrently from any thread. The store keeps a
// reference to `redis`, which must outlive it.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "platform/http/message.hpp"
#include "platform/redis/client.hpp"

namespace platform::idempotency {

inline constexpr std::size_t kMaxKeyLength = 255;

class IdempotencyStore {
 public:
  IdempotencyStore(redis::RedisClient& redis, std::string key_prefix,
                   std::chrono::seconds ttl = std::chrono::hours(24),
                   std::chrono::seconds lock_ttl = std::chrono::seconds(30),
                   std::chrono::milliseconds wait_for_first = std::chrono::seconds(5));

  // Runs `handler` at most once per key (see above). `request` and `scope` (e.g. the user id)
  // are copied before the first suspension, so temporaries are fine.
  [[nodiscard]] boost::asio::awaitable<http::Response> run(const http::Request& request,
                                                           std::string_view scope,
                                                           http::Handler handler);

 private:
  redis::RedisClient& redis_;
  std::string key_prefix_;
  std::chrono::seconds ttl_;
  std::chrono::seconds lock_ttl_;
  std::chrono::milliseconds wait_for_first_;
};

}  // namespace platform::idempotency
