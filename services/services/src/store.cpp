#include "store.hpp"

#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"
#include "platform/redis/session_pointer.hpp"

namespace extra_services {
namespace {
using platform::Errc;
using platform::make_error;
using platform::redis::milliseconds_text;
using platform::redis::Reply;
using platform::redis::tagged_key;
using platform::redis::unexpected_reply;

// KEYS 1 the user's pointer. Replies {} (no session, or ended) or {session_id, cached answer or
// nil}.
constexpr std::string_view kCurrentAnswerLua = R"lua(
local sid = redis.call('HGET', KEYS[1], 'session_id')
if not sid then return {} end
local held = redis.call('HMGET', 'services:session:{' .. sid .. '}', 'revision', 'ended',
                        'cart_hash', 'delivery_method')
if not held[1] or held[2] == '1' then return {} end
local field = held[4]
if not field or field == '' then field = '-' end
return {sid, redis.call('HGET', 'services:available:{' .. (held[3] or '') .. '}', field)}
)lua";

// KEYS 1 session, 2 outbox, 3 the user's pointer, 4 the cart's cached answers, 5 the user's
// answer.
// ARGV 1 expected revision, 2 user id, 3 version, 4 cart, 5 delivery method, 6 shipping version,
// 7 published, 8 ttl ms, 9 the cart event's occurred_at ('' leaves the pointer), 10 session id,
// 11 #events, 12 cart_hash, 13 the answer's field ('' caches nothing), 14 the answer, 15 its ttl
// ms, then 9 values per event (outbox_argv).
// Replies 1 committed (or ended: nothing to do), 0 the session moved.
constexpr std::string_view kCommitLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'revision', 'ended')
if held[2] == '1' then return 1 end
if (tonumber(held[1]) or 0) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'revision', tonumber(ARGV[1]) + 1, 'user_id', ARGV[2],
           'version', ARGV[3], 'cart', ARGV[4], 'delivery_method', ARGV[5],
           'shipping_version', ARGV[6], 'published', ARGV[7], 'cart_hash', ARGV[12])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
local current = follow_pointer(KEYS[3], ARGV[10], ARGV[9], ARGV[8])
if ARGV[13] ~= '' then
  redis.call('HSET', KEYS[4], ARGV[13], ARGV[14])
  redis.call('PEXPIRE', KEYS[4], ARGV[15])
  if current then redis.call('SET', KEYS[5], ARGV[14], 'PX', ARGV[8]) end
end
local i = 16
for _ = 1, tonumber(ARGV[11]) do
  outbox_append_argv(KEYS[2], i)
  i = i + 9
end
return 1
)lua";

// KEYS 1 session, 2 the user's pointer, 3 the user's answer. ARGV 1 session id, 2 ttl ms.
constexpr std::string_view kEndLua = R"lua(
redis.call('HSET', KEYS[1], 'ended', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('HGET', KEYS[2], 'session_id') == ARGV[1] then redis.call('DEL', KEYS[2], KEYS[3]) end
return 1
)lua";

// A session from its hash fields (HGETALL).
platform::Result<StoredSession> stored_from(const Reply& fields_reply, std::string session_id) {
  StoredSession stored;
  stored.session.session_id = std::move(session_id);
  const auto& fields = fields_reply.elements();
  std::string_view cart;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto& name = fields[i].as_string();
    const auto& value = fields[i + 1];
    if (name == "revision") stored.revision = value.as_integer();
    if (name == "user_id") stored.session.user_id = value.as_string();
    if (name == "version") stored.session.version = value.as_integer();
    if (name == "cart") cart = value.as_string();
    if (name == "delivery_method" && !value.as_string().empty()) {
      stored.session.delivery_method = value.as_string();
    }
    if (name == "shipping_version") stored.session.shipping_version = value.as_integer();
    if (name == "published") stored.session.published = value.as_string();
    if (name == "ended") stored.ended = value.as_string() == "1";
  }
  if (!cart.empty()) {
    PLATFORM_TRY(stored.session.cart, contracts::cart_copy_from_json(cart));
  }
  return stored;
}
}  // namespace

std::string user_key(std::string_view user_id) {
  return tagged_key("services:user:", user_id);
}
std::string session_key(std::string_view session_id) {
  return tagged_key("services:session:", session_id);
}
std::string available_key(std::string_view cart_hash) {
  return tagged_key("services:available:", cart_hash);
}
std::string answer_key(std::string_view user_id) {
  return tagged_key("services:answer:", user_id);
}
std::string method_field(const std::optional<std::string>& method) {
  return method.value_or("-");
}

ServicesStore::ServicesStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                             std::chrono::seconds session_ttl, std::chrono::seconds cache_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      session_ttl_ms_(milliseconds_text(session_ttl)),
      cache_ttl_ms_(milliseconds_text(cache_ttl)),
      commit_script_(platform::redis::Script::from_source(
          "services_commit", std::string(platform::outbox::outbox_lua_append()) +
                                 std::string(platform::redis::session_pointer_lua()) +
                                 std::string(kCommitLua))),
      end_script_(platform::redis::Script::from_source("services_end", std::string(kEndLua))),
      load_current_script_(platform::redis::Script::from_source(
          "services_load_current", platform::redis::load_current_session_lua("services:session:"))),
      current_answer_script_(platform::redis::Script::from_source(
          "services_current_answer", std::string(kCurrentAnswerLua))) {}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> ServicesStore::load_current(
    std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(load_current_script_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.elements().size() != 2) co_return std::optional<StoredSession>();
  PLATFORM_CO_TRY(auto stored, stored_from(reply.elements()[1], reply.elements()[0].as_string()));
  // A pointer to a session that expired or ended meanwhile: no session.
  if (stored.revision == 0 || stored.ended) co_return std::optional<StoredSession>();
  co_return std::optional(std::move(stored));
}

boost::asio::awaitable<platform::Result<StoredSession>> ServicesStore::load(
    std::string session_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGETALL", session_key(session_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return stored_from(reply, std::move(session_id));
}

boost::asio::awaitable<platform::Result<bool>> ServicesStore::commit(
    const StoredSession& before, const ServicesSession& after,
    std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time,
    std::optional<Answer> answer) {
  std::vector<std::string> keys{session_key(after.session_id), outbox_stream_,
                                user_key(after.user_id), available_key(after.cart.cart_hash),
                                answer_key(after.user_id)};
  std::vector<std::string> args{std::to_string(before.revision),
                                after.user_id,
                                std::to_string(after.version),
                                contracts::cart_copy_to_json(after.cart),
                                after.delivery_method.value_or(""),
                                std::to_string(after.shipping_version),
                                after.published,
                                session_ttl_ms_,
                                cart_event_time.value_or(""),
                                after.session_id,
                                std::to_string(events.size()),
                                after.cart.cart_hash,
                                answer ? std::move(answer->method_field) : std::string(),
                                answer ? std::move(answer->value) : std::string(),
                                cache_ttl_ms_};
  for (const auto& event : events) {
    auto values = platform::outbox::outbox_argv(event);
    args.insert(args.end(), std::make_move_iterator(values.begin()),
                std::make_move_iterator(values.end()));
  }
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(commit_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return reply.as_integer() == 1;
}

boost::asio::awaitable<platform::Status> ServicesStore::end_session(std::string session_id,
                                                                    std::string user_id) {
  std::vector<std::string> keys{session_key(session_id), user_key(user_id), answer_key(user_id)};
  std::vector<std::string> args{session_id, session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(end_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> ServicesStore::user_answer(
    std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", answer_key(user_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional(std::move(reply.str));
}

boost::asio::awaitable<platform::Result<ServicesStore::CurrentAnswer>>
ServicesStore::current_answer(std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(current_answer_script_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  CurrentAnswer current;
  if (reply.elements().size() != 2) co_return current;
  auto& parts = reply.array;
  current.session_id = std::move(parts[0].str);
  if (!parts[1].is_nil()) current.answer = std::move(parts[1].str);
  co_return current;
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> ServicesStore::cached(
    std::string cart_hash, std::string method) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGET", available_key(cart_hash), method));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional(std::move(reply.str));
}

boost::asio::awaitable<platform::Status> ServicesStore::cache(std::string cart_hash,
                                                              std::string method,
                                                              std::string value) {
  auto key = available_key(cart_hash);
  std::vector<std::vector<std::string>> writes{{"HSET", key, std::move(method), std::move(value)},
                                               {"PEXPIRE", key, cache_ttl_ms_}};
  PLATFORM_CO_TRY(auto replies, co_await redis_.pipeline(std::move(writes)));
  for (const auto& reply : replies) {
    if (reply.is_error()) co_return unexpected_reply(reply);
  }
  co_return platform::Status{};
}

}  // namespace extra_services
