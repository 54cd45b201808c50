#include "store.hpp"

#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"
#include "platform/redis/session_pointer.hpp"

namespace checkout {
namespace {
using platform::redis::Reply;
using platform::redis::tagged_key;
using platform::redis::unexpected_reply;

// Reads a session's four keys: {HGETALL session, HMGET totals view revision totals, GET
// customer, GET consents}. Included by the load scripts.
constexpr std::string_view kReadLua = R"lua(
local function read_session(sid)
  return {redis.call('HGETALL', 'checkout:session:{' .. sid .. '}'),
          redis.call('HMGET', 'checkout:totals:{' .. sid .. '}', 'view', 'totals'),
          redis.call('GET', 'checkout:customer:{' .. sid .. '}') or '',
          redis.call('GET', 'checkout:consents:{' .. sid .. '}') or ''}
end
)lua";

// ARGV 1 session id.
constexpr std::string_view kLoadLua = "return read_session(ARGV[1])\n";

// KEYS 1 the user's pointer.
constexpr std::string_view kLoadCurrentLua = R"lua(
local sid = redis.call('HGET', KEYS[1], 'session_id')
if not sid then return {} end
local out = read_session(sid)
table.insert(out, 1, sid)
return out
)lua";

// KEYS 1 the user's pointer. Replies {} or {sid, user_id, state, version, revision}.
constexpr std::string_view kStampLua = R"lua(
local sid = redis.call('HGET', KEYS[1], 'session_id')
if not sid then return {} end
local held = redis.call('HMGET', 'checkout:session:{' .. sid .. '}', 'user_id', 'state', 'version',
                        'revision')
return {sid, held[1] or '', held[2] or '', held[3] or '0', held[4] or '0'}
)lua";

// Gives every key of the session `ttl` again.
constexpr std::string_view kTouchLua = R"lua(
local function touch(keys, ttl)
  for _, key in ipairs(keys) do
    if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, ttl) end
  end
end
)lua";

// KEYS 1 session, 2 totals, 3 customer, 4 consents, 5 the user's pointer.
// ARGV 1 expected revision, 2 user id, 3 view, 4 totals, 5 ttl ms, 6 now, 7 the cart event's
// occurred_at ('' leaves the pointer), 8 session id. Replies 1 done, 0 moved, 2 ended.
constexpr std::string_view kCommitViewLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'state', 'revision')
if held[1] == 'ordered' then return 2 end
if (tonumber(held[2]) or 0) ~= tonumber(ARGV[1]) then return 0 end
if not held[1] then
  redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', ARGV[6], 'version', 0)
end
redis.call('HSET', KEYS[1], 'user_id', ARGV[2], 'updated_at', ARGV[6],
           'revision', tonumber(ARGV[1]) + 1)
redis.call('HSET', KEYS[2], 'view', ARGV[3], 'totals', ARGV[4])
touch({KEYS[1], KEYS[2], KEYS[3], KEYS[4]}, ARGV[5])
follow_pointer(KEYS[5], ARGV[8], ARGV[7], ARGV[5])
return 1
)lua";

// KEYS 1 session, 2 the value's key, 3 totals, 4 the other own key, 5 outbox.
// ARGV 1 expected version, 2 value, 3 ttl ms, 4 now, then the event (outbox_argv).
constexpr std::string_view kCommitOwnLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'state', 'version')
if held[1] == 'ordered' then return 2 end
if not held[1] or (tonumber(held[2]) or 0) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', tonumber(ARGV[1]) + 1, 'updated_at', ARGV[4])
redis.call('SET', KEYS[2], ARGV[2])
touch({KEYS[1], KEYS[2], KEYS[3], KEYS[4]}, ARGV[3])
outbox_append_argv(KEYS[5], 5)
return 1
)lua";

// KEYS 1 session, 2 totals, 3 customer, 4 consents, 5 the user's pointer. ARGV 1 session id,
// 2 ttl ms.
constexpr std::string_view kEndLua = R"lua(
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('HSET', KEYS[1], 'state', 'ordered')
redis.call('HDEL', KEYS[1], 'revision')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('HGET', KEYS[5], 'session_id') == ARGV[1] then
  redis.call('HDEL', KEYS[5], 'session_id')
  redis.call('HSET', KEYS[5], 'last_ordered', ARGV[1])
  redis.call('PEXPIRE', KEYS[5], ARGV[2])
end
return 1
)lua";

// KEYS 1 the session hash. ARGV 1 the order's version, 2 its brief.
constexpr std::string_view kRecordOrderLua = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local held = tonumber(redis.call('HGET', KEYS[1], 'order_version') or '-1')
if held >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'order', ARGV[2], 'order_version', ARGV[1])
return 1
)lua";

// KEYS 1 the user's pointer. Replies {} or {session id, the order's brief}.
constexpr std::string_view kLastOrderLua = R"lua(
local sid = redis.call('HGET', KEYS[1], 'last_ordered')
if not sid then return {} end
local brief = redis.call('HGET', 'checkout:session:{' .. sid .. '}', 'order')
if not brief then return {} end
return {sid, brief}
)lua";

std::string text_of(const Reply& reply) {
  return reply.is_nil() ? std::string() : reply.as_string();
}

// {session fields, {view, totals}, customer, consents} as the read function replies.
platform::Result<StoredSession> stored_from(const Reply& reply, std::string session_id) {
  if (reply.is_error() || reply.elements().size() != 4) return unexpected_reply(reply);
  const auto& parts = reply.elements();
  StoredSession stored;
  stored.session_id = std::move(session_id);
  const auto& fields = parts[0].elements();
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto& name = fields[i].as_string();
    const auto& value = fields[i + 1].as_string();
    if (name == "user_id") stored.user_id = value;
    if (name == "state") stored.state = value;
    if (name == "opened_at") stored.opened_at = value;
    if (name == "updated_at") stored.updated_at = value;
    if (name == "version") stored.version = std::stoll(value);
    if (name == "revision") stored.revision = std::stoll(value);
  }
  const auto& totals = parts[1].elements();
  if (totals.size() == 2) {
    stored.view = text_of(totals[0]);
    stored.totals = text_of(totals[1]);
  }
  stored.customer = text_of(parts[2]);
  stored.consents = text_of(parts[3]);
  return stored;
}

platform::Result<Commit> commit_of(const Reply& reply) {
  if (reply.is_error() || reply.type != Reply::Type::integer) return unexpected_reply(reply);
  switch (reply.as_integer()) {
    case 1:
      return Commit::done;
    case 2:
      return Commit::ended;
    default:
      return Commit::moved;
  }
}

}  // namespace

std::string session_key(std::string_view session_id) {
  return tagged_key("checkout:session:", session_id);
}
std::string totals_key(std::string_view session_id) {
  return tagged_key("checkout:totals:", session_id);
}
std::string customer_key(std::string_view session_id) {
  return tagged_key("checkout:customer:", session_id);
}
std::string consents_key(std::string_view session_id) {
  return tagged_key("checkout:consents:", session_id);
}
std::string user_key(std::string_view user_id) {
  return tagged_key("checkout:user:", user_id);
}

CheckoutStore::CheckoutStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                             std::chrono::seconds session_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      ttl_ms_(platform::redis::milliseconds_text(session_ttl)),
      load_(platform::redis::Script::from_source("checkout_load",
                                                 std::string(kReadLua) + std::string(kLoadLua))),
      load_current_(platform::redis::Script::from_source(
          "checkout_load_current", std::string(kReadLua) + std::string(kLoadCurrentLua))),
      stamp_(platform::redis::Script::from_source("checkout_stamp", std::string(kStampLua))),
      commit_view_(platform::redis::Script::from_source(
          "checkout_commit_view", std::string(platform::redis::session_pointer_lua()) +
                                      std::string(kTouchLua) + std::string(kCommitViewLua))),
      commit_own_(platform::redis::Script::from_source(
          "checkout_commit_own", std::string(platform::outbox::outbox_lua_append()) +
                                     std::string(kTouchLua) + std::string(kCommitOwnLua))),
      end_(platform::redis::Script::from_source("checkout_end", std::string(kEndLua))),
      record_order_(platform::redis::Script::from_source("checkout_record_order",
                                                         std::string(kRecordOrderLua))),
      last_order_(platform::redis::Script::from_source("checkout_last_order",
                                                       std::string(kLastOrderLua))) {}

boost::asio::awaitable<platform::Result<StoredSession>> CheckoutStore::load(
    std::string session_id) {
  std::vector<std::string> args{session_id};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(load_, {}, std::move(args)));
  co_return stored_from(reply, std::move(session_id));
}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> CheckoutStore::load_current(
    std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(load_current_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.elements().size() != 5) co_return std::optional<StoredSession>();
  auto& parts = reply.array;
  const auto session_id = parts[0].as_string();
  parts.erase(parts.begin());
  PLATFORM_CO_TRY(auto stored, stored_from(reply, session_id));
  // A pointer to a session that expired or ended meanwhile, or to another user's: no session.
  if (!stored.exists() || stored.ended() || stored.user_id != user_id) {
    co_return std::optional<StoredSession>();
  }
  co_return std::optional(std::move(stored));
}

boost::asio::awaitable<platform::Status> CheckoutStore::record_order(std::string session_id,
                                                                     std::int64_t order_version,
                                                                     std::string brief) {
  std::vector<std::string> keys{session_key(session_id)};
  std::vector<std::string> args{std::to_string(order_version), std::move(brief)};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(record_order_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<std::pair<std::string, std::string>>>>
CheckoutStore::last_order(std::string user_id) {
  using Found = std::optional<std::pair<std::string, std::string>>;
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(last_order_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.elements().size() != 2) co_return Found();
  co_return Found(std::pair(reply.elements()[0].as_string(), reply.elements()[1].as_string()));
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> CheckoutStore::last_ordered(
    std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGET", user_key(user_id), "last_ordered"));
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(reply.as_string());
}

boost::asio::awaitable<platform::Result<std::optional<SessionStamp>>> CheckoutStore::current_stamp(
    std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(stamp_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  const auto& parts = reply.elements();
  if (parts.size() != 5) co_return std::optional<SessionStamp>();
  // A pointer to a session that expired or ended meanwhile, or to another user's: no session.
  if (parts[1].as_string() != user_id || parts[2].as_string().empty() ||
      parts[2].as_string() == "ordered") {
    co_return std::optional<SessionStamp>();
  }
  co_return std::optional(SessionStamp{parts[0].as_string(), parts[2].as_string(),
                                       parts[3].as_integer(), parts[4].as_integer()});
}

boost::asio::awaitable<platform::Result<Commit>> CheckoutStore::commit_view(
    const CheckoutView& view, std::int64_t revision, std::string totals_json,
    std::optional<std::string> cart_event_time, std::string now) {
  std::vector<std::string> keys{session_key(view.session_id), totals_key(view.session_id),
                                customer_key(view.session_id), consents_key(view.session_id),
                                user_key(view.user_id)};
  std::vector<std::string> args{std::to_string(revision),     view.user_id,   view_to_json(view),
                                std::move(totals_json),       ttl_ms_,        std::move(now),
                                cart_event_time.value_or(""), view.session_id};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(commit_view_, std::move(keys), std::move(args)));
  co_return commit_of(reply);
}

boost::asio::awaitable<platform::Result<Commit>> CheckoutStore::commit_own(
    const StoredSession& before, Own what, std::string value, const platform::CloudEvent& event,
    std::string now) {
  const auto& sid = before.session_id;
  const bool customer = what == Own::customer;
  std::vector<std::string> keys{session_key(sid), customer ? customer_key(sid) : consents_key(sid),
                                totals_key(sid), customer ? consents_key(sid) : customer_key(sid),
                                outbox_stream_};
  std::vector<std::string> args{std::to_string(before.version), std::move(value), ttl_ms_,
                                std::move(now)};
  auto event_args = platform::outbox::outbox_argv(event);
  args.insert(args.end(), std::make_move_iterator(event_args.begin()),
              std::make_move_iterator(event_args.end()));
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(commit_own_, std::move(keys), std::move(args)));
  co_return commit_of(reply);
}

boost::asio::awaitable<platform::Status> CheckoutStore::end_session(std::string session_id,
                                                                    std::string user_id) {
  std::vector<std::string> keys{session_key(session_id), totals_key(session_id),
                                customer_key(session_id), consents_key(session_id),
                                user_key(user_id)};
  std::vector<std::string> args{session_id, ttl_ms_};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(end_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

}  // namespace checkout
