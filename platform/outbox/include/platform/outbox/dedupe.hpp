#pragma once
// Idempotent consumers whose effect is a Redis Lua script: the effect and the "event seen" mark
// happen in ONE script, so an event redelivered by Kafka (or republished by the outbox relay) is
// applied at most once in effect.
//
// dedupe_lua(effect) wraps the service's effect script:
//   KEYS[1] = the dedupe set (dedupe_key(service, scope), e.g. "cart:processed:{<session>}"),
//   ARGV[1] = the event id, ARGV[2] = the set's TTL in ms;
//   the service's own keys and args follow and the effect sees them as KEYS[1..], ARGV[1..]
//   (the wrapper shadows KEYS/ARGV with the shifted tables), so the effect is written as usual.
// The wrapped script first checks SISMEMBER; a duplicate returns {1} without running the effect.
// Otherwise it runs the effect, then SADDs the id and refreshes the TTL, and returns {0, effect}.
// The mark comes after the effect because Redis does not roll a script back on error: an effect
// that fails part-way leaves no mark, so the redelivery runs it again. Keep the scope per session
// (hash tag) so the set stays small and lands in the session's slot; the TTL must exceed the
// longest redelivery window (topic retention of un-committed events), default 7 days.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error.hpp"
#include "platform/redis/client.hpp"

namespace platform::outbox {

inline constexpr std::chrono::milliseconds kDedupeTtl = std::chrono::hours(24 * 7);

// "<service>:processed:{<scope>}"
std::string dedupe_key(std::string_view service, std::string_view scope);

// The wrapped script text (see above). `effect_lua` may `return` a value; to fail, raise with
// error() or return redis.error_reply(...) (either way nothing is marked).
std::string dedupe_lua(std::string_view effect_lua);

// Script::from_source(name, dedupe_lua(effect_lua)); build once and keep it.
redis::Script dedupe_script(std::string name, std::string_view effect_lua);

struct DedupeOutcome {
  bool duplicate = false;  // true: the event was applied before, the effect did not run
  redis::Reply effect;     // what the effect returned (nil for a duplicate)
};

// Runs `script` (from dedupe_script) for one event. `keys`/`args` are the effect's own KEYS/ARGV.
// Errors: the client's unavailable/timeout, or Errc::internal when the script failed (the
// event was not marked, so a retry runs the effect again).
[[nodiscard]] boost::asio::awaitable<Result<DedupeOutcome>> apply_once(
    redis::RedisClient& redis, const redis::Script& script, std::string dedupe_key,
    std::string event_id, std::vector<std::string> keys, std::vector<std::string> args,
    std::chrono::milliseconds ttl = kDedupeTtl);

}  // namespace platform::outbox
