#pragma once
// Idempotency-Key support for creating calls (POST /cart/items, /checkout/finalize,
// /payment/initialize), with the record kept in Redis.
//
// The record. With an `idempotency-key` header, the first request claims the record
// record_key(key_prefix, scope, key) (state "running", an owner token, the fingerprint) and runs
// the handler; its non-5xx response becomes the record's final state for `ttl`. A repeat with the
// same fingerprint gets the stored response plus `Idempotent-Replayed: true` without running the
// handler; a concurrent duplicate waits up to `wait_for_first` for the first one's outcome.
// The scope (the user) is part of both the key and the fingerprint (SHA-256 over the
// length-prefixed scope, method, path, query and body), so no two users ever share a record.
//
// Making the record final in the same atomic step as the change (run() with a ClaimHandler).
// Storing the response after the change leaves a window: if the process or Redis dies between
// the two, the client may have seen the change answered, the record is still "running" (and
// expires after `lock_ttl`), and a retry with the same key applies the change again. So a
// handler that changes state takes the Claim it is given and makes the record final inside its
// own atomic step:
//   1. it computes the new state and renders the response it will return from it;
//   2. its commit (one Lua script) starts with record_lua() and, before writing anything, checks
//      idempotency_claim_held_argv(KEYS[k], i) (the claim may have expired and been taken by
//      another attempt: then it writes nothing and the handler answers 409); after its own
//      writes it calls idempotency_record_argv(KEYS[k], i), with KEYS[k] = claim.record_key()
//      and ARGV[i ..] = claim.record_argv(response) (kRecordArgc values);
//   3. it returns Handled{response, true} when that commit succeeded, and run() writes nothing
//      more. Handled{response, false} (e.g. a rejected request that changed nothing) has run()
//      store the response itself, as for a plain Handler.
// A crash anywhere after the commit leaves a final record, so the retry is a replay. The record
// key carries the scope as a Redis Cluster hash tag ({scope}), so the script's own keys of that
// user and the record share a slot.
// A PostgreSQL service does the same inside its transaction: it keeps its records in a table
// (scope, key hash, fingerprint, state, token, status, content_type, headers, body, expires_at)
// claimed with INSERT ... ON CONFLICT DO NOTHING, and the transaction that writes its rows and
// its outbox row also runs UPDATE ... SET state = 'done', status = ..., body = ... WHERE key = $1
// AND token = $2 AND state = 'running', rolling back when that touches no row; the Claim carries
// every value that statement needs (record_key(), fingerprint(), token(), record_argv()).
//
// Outcomes answered as problem+json (via http::problem()):
//   400 key empty or longer than 255 chars; 422 key reused with a different request;
//   409 a duplicate still in progress after waiting `wait_for_first`;
//   503 (Retry-After: 1) Redis unavailable; 504 Redis timed out.
// A 5xx response (or an exception from the handler) releases a record that is still running, so
// the client can retry; a record already final stays. The claim expires after `lock_ttl`, so a
// crashed process does not block a key.
//
// Thread-safety: run() may be called concurrently from any thread. The store keeps a
// reference to `redis`, which must outlive it.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/message.hpp"
#include "platform/redis/client.hpp"

namespace platform::idempotency {

inline constexpr std::size_t kMaxKeyLength = 255;

// The Redis key of a record: <prefix>{<scope>}:<SHA-256 hex of key>. The hashed key has a fixed
// length, so the split between scope and key is unambiguous whatever characters either holds.
std::string record_key(std::string_view key_prefix, std::string_view scope, std::string_view key);

// Lua text to prepend to a script that makes a record final in its own atomic step. Defines
//   local function idempotency_claim_held_argv(key, first) -> true while the claim whose
//       token is ARGV[first] still owns the running record `key`
//   local function idempotency_record_argv(key, first)     -> 1 after making record `key` final
//       with the response in ARGV[first + 1 .. first + kRecordArgc - 1]; 0 (and no write) when
//       the claim no longer owns it
std::string_view record_lua();
// How many ARGV values Claim::record_argv() gives (ARGV[first .. first + kRecordArgc - 1]).
inline constexpr std::size_t kRecordArgc = 6;

// A request's hold on its record while its handler runs. Copyable, plain data.
class Claim {
 public:
  Claim(std::string record_key, std::string fingerprint, std::string token,
        std::chrono::milliseconds ttl);

  const std::string& record_key() const { return record_key_; }
  const std::string& fingerprint() const { return fingerprint_; }
  const std::string& token() const { return token_; }
  // The kRecordArgc ARGV values record_lua()'s functions read: the token, the record's time to
  // live and `response` (the one the handler will return).
  std::vector<std::string> record_argv(const http::Response& response) const;

 private:
  std::string record_key_;
  std::string fingerprint_;
  std::string token_;
  std::chrono::milliseconds ttl_;
};

// What a ClaimHandler answers. `recorded`: the handler's own commit made the record final with
// exactly `response` (see the top of this file), so run() writes nothing.
struct Handled {
  http::Response response;
  bool recorded = false;
};

// A handler that can make the record final itself. `claim` is empty when the request carries no
// Idempotency-Key (there is no record then).
using ClaimHandler =
    std::function<boost::asio::awaitable<Handled>(http::Request, std::optional<Claim>)>;

class IdempotencyStore {
 public:
  IdempotencyStore(redis::RedisClient& redis, std::string key_prefix,
                   std::chrono::seconds ttl = std::chrono::hours(24),
                   std::chrono::seconds lock_ttl = std::chrono::seconds(30),
                   std::chrono::milliseconds wait_for_first = std::chrono::seconds(5));

  // Runs `handler` at most once per key (see above); the response is stored after it returns.
  // `request` and `scope` (e.g. the user id) are copied before the first suspension, so
  // temporaries are fine.
  [[nodiscard]] boost::asio::awaitable<http::Response> run(const http::Request& request,
                                                           std::string_view scope,
                                                           http::Handler handler);
  // The same for a handler that makes the record final in its own commit (see above).
  [[nodiscard]] boost::asio::awaitable<http::Response> run(const http::Request& request,
                                                           std::string_view scope,
                                                           ClaimHandler handler);

 private:
  redis::RedisClient& redis_;
  std::string key_prefix_;
  std::chrono::seconds ttl_;
  std::chrono::seconds lock_ttl_;
  std::chrono::milliseconds wait_for_first_;
};

}  // namespace platform::idempotency
