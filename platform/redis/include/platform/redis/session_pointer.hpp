#pragma once
// The user → current checkout session pointer that every service keeping a session per checkout
// holds in Redis ("<service>:user:{user_id}", a hash: session_id, and occurred_at of the newest
// cart event of that session), as Lua the services' own scripts include. Cart events of two
// sessions of one user may arrive in either order (different Kafka keys); the newest cart event
// wins, so a late event of an old session never takes the pointer back. Pure text; thread-safe.
#include <string>
#include <string_view>

namespace platform::redis {

// Defines, for a script that includes it first:
//   local function follow_pointer(pointer, session_id, occurred_at, ttl_ms)
// which moves `pointer` to `session_id` when occurred_at is not '' and the pointer is unset,
// already there, or on a session whose newest cart event is not newer; then gives the pointer
// ttl_ms to live again. Returns whether the pointer is now on `session_id`.
inline std::string_view session_pointer_lua() {
  return R"lua(
local function follow_pointer(pointer, session_id, occurred_at, ttl_ms)
  if occurred_at ~= '' then
    local held = redis.call('HMGET', pointer, 'session_id', 'occurred_at')
    if not held[1] or held[1] == session_id or (held[2] or '') <= occurred_at then
      redis.call('HSET', pointer, 'session_id', session_id, 'occurred_at', occurred_at)
    end
  end
  if redis.call('EXISTS', pointer) == 1 then redis.call('PEXPIRE', pointer, ttl_ms) end
  return redis.call('HGET', pointer, 'session_id') == session_id
end
)lua";
}

// A script with KEYS[1] the user's pointer replying {} (no session) or {session_id, HGETALL of
// "<session_prefix>{session_id}"}.
inline std::string load_current_session_lua(std::string_view session_prefix) {
  return "local sid = redis.call('HGET', KEYS[1], 'session_id')\n"
         "if not sid then return {} end\n"
         "return {sid, redis.call('HGETALL', '" +
         std::string(session_prefix) + "{' .. sid .. '}')}\n";
}

}  // namespace platform::redis
