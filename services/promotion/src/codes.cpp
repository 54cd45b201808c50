#include "codes.hpp"

#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"

namespace promotion {
namespace {
using platform::Errc;
using platform::make_error;
using platform::redis::Reply;
using platform::redis::unexpected_reply;

// Shared by the scripts: drops the lapsed holds of `key` (the code's holds) at `now` (ms);
// returns the live ones as {session_id → user_id}.
constexpr std::string_view kLiveHoldsLua = R"lua(
local function live_holds(key, now)
  local holds = {}
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    local user, expiry = string.match(fields[i + 1], '^(%S+) (%d+)$')
    if not expiry or tonumber(expiry) <= now then
      redis.call('HDEL', key, fields[i])
    else
      holds[fields[i]] = user
    end
  end
  return holds
end
)lua";

// KEYS 1 the code's usage, 2 its holds. ARGV 1 now ms, 2 session id, 3 user id, 4 global limit
// ('' none), 5 per-customer limit ('' none), 6 hold ms. Replies 1 held, 0 a limit is reached.
constexpr std::string_view kReserveLua = R"lua(
local now = tonumber(ARGV[1])
local holds = live_holds(KEYS[2], now)
local total = tonumber(redis.call('HGET', KEYS[1], 'confirmed') or '0')
local mine = tonumber(redis.call('HGET', KEYS[1], 'user:' .. ARGV[3]) or '0')
for session, user in pairs(holds) do
  if session ~= ARGV[2] then
    total = total + 1
    if user == ARGV[3] then mine = mine + 1 end
  end
end
if ARGV[4] ~= '' and total + 1 > tonumber(ARGV[4]) then return 0 end
if ARGV[5] ~= '' and mine + 1 > tonumber(ARGV[5]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ' ' .. (now + tonumber(ARGV[6])))
return 1
)lua";

// KEYS 1 the code's usage, 2 its holds. ARGV 1 session id, 2 user id. Replies 1. A session with
// a mark already ("1" confirmed, "returned" given back) confirms nothing.
constexpr std::string_view kConfirmLua = R"lua(
if redis.call('HEXISTS', KEYS[1], 'order:' .. ARGV[1]) == 1 then return 1 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'order:' .. ARGV[1], '1')
redis.call('HINCRBY', KEYS[1], 'confirmed', 1)
redis.call('HINCRBY', KEYS[1], 'user:' .. ARGV[2], 1)
return 1
)lua";

// KEYS 1 the code's usage, 2 its holds. ARGV 1 session id, 2 user id. Replies 1 given back, 0
// nothing to give back. The mark becomes "returned" even without a confirmed use: the order is
// cancelled, so a late OrderCreated of the session must not confirm it afterwards.
constexpr std::string_view kGiveBackLua = R"lua(
local mark = 'order:' .. ARGV[1]
redis.call('HDEL', KEYS[2], ARGV[1])
local state = redis.call('HGET', KEYS[1], mark)
redis.call('HSET', KEYS[1], mark, 'returned')
if state ~= '1' then return 0 end
redis.call('HINCRBY', KEYS[1], 'confirmed', -1)
local user = 'user:' .. ARGV[2]
if redis.call('HINCRBY', KEYS[1], user, -1) <= 0 then redis.call('HDEL', KEYS[1], user) end
return 1
)lua";

// KEYS 1 the code's usage, 2 its holds. ARGV 1 now ms. Replies the uses counted now.
constexpr std::string_view kCountLua = R"lua(
local total = tonumber(redis.call('HGET', KEYS[1], 'confirmed') or '0')
for _ in pairs(live_holds(KEYS[2], tonumber(ARGV[1]))) do total = total + 1 end
return total
)lua";

std::string now_ms(const platform::Clock& clock) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch())
          .count());
}

std::string limit_arg(const std::optional<std::int64_t>& limit) {
  return limit ? std::to_string(*limit) : std::string();
}
}  // namespace

std::string code_usage_key(std::string_view code) {
  return platform::redis::tagged_key("promo_codes:usage:", code);
}
std::string code_holds_key(std::string_view code) {
  return platform::redis::tagged_key("promo_codes:holds:", code);
}

CodeUsage::CodeUsage(platform::redis::RedisClient& redis, const platform::Clock& clock)
    : redis_(redis),
      clock_(clock),
      reserve_script_(platform::redis::Script::from_source(
          "promotion_code_reserve", std::string(kLiveHoldsLua) + std::string(kReserveLua))),
      confirm_script_(
          platform::redis::Script::from_source("promotion_code_confirm", std::string(kConfirmLua))),
      give_back_script_(platform::redis::Script::from_source("promotion_code_give_back",
                                                             std::string(kGiveBackLua))),
      count_script_(platform::redis::Script::from_source(
          "promotion_code_count", std::string(kLiveHoldsLua) + std::string(kCountLua))) {}

boost::asio::awaitable<platform::Result<bool>> CodeUsage::reserve(std::string code,
                                                                  std::string session_id,
                                                                  std::string user_id,
                                                                  CodeLimits limits) {
  std::vector<std::string> keys{code_usage_key(code), code_holds_key(code)};
  std::vector<std::string> args{
      now_ms(clock_),
      std::move(session_id),
      std::move(user_id),
      limit_arg(limits.global),
      limit_arg(limits.per_customer),
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(limits.hold).count())};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(reserve_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return reply.as_integer() == 1;
}

boost::asio::awaitable<platform::Status> CodeUsage::release(std::string code,
                                                            std::string session_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HDEL", code_holds_key(code), session_id));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Status> CodeUsage::confirm(std::string code,
                                                            std::string session_id,
                                                            std::string user_id) {
  std::vector<std::string> keys{code_usage_key(code), code_holds_key(code)};
  std::vector<std::string> args{std::move(session_id), std::move(user_id)};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(confirm_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<bool>> CodeUsage::give_back(std::string code,
                                                                    std::string session_id,
                                                                    std::string user_id) {
  std::vector<std::string> keys{code_usage_key(code), code_holds_key(code)};
  std::vector<std::string> args{std::move(session_id), std::move(user_id)};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(give_back_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return reply.as_integer() == 1;
}

boost::asio::awaitable<platform::Result<std::int64_t>> CodeUsage::in_use(std::string code) {
  std::vector<std::string> keys{code_usage_key(code), code_holds_key(code)};
  std::vector<std::string> args{now_ms(clock_)};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(count_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return reply.as_integer();
}

}  // namespace promotion
