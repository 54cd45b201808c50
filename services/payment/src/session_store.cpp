#include "session_store.hpp"

#include <boost/json.hpp>

#include "platform/json_writer.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"
#include "platform/redis/session_pointer.hpp"

namespace payment {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;
using platform::redis::milliseconds_text;
using platform::redis::Reply;
using platform::redis::tagged_key;
using platform::redis::unexpected_reply;

// KEYS 1 session, 2 outbox, 3 the user's pointer.
// ARGV 1 expected revision, 2 user id, 3 version, 4 cart, 5 shipping, 6 method, 7 email,
// 8 ttl ms, 9 the cart event's occurred_at ('' leaves the pointer), 10 session id, 11 #events,
// then 9 values per event (outbox_argv).
// Replies 1 committed (or ended: nothing to do), 0 the session moved.
constexpr std::string_view kCommitLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'revision', 'ended')
if held[2] == '1' then return 1 end
if (tonumber(held[1]) or 0) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'revision', tonumber(ARGV[1]) + 1, 'user_id', ARGV[2],
           'version', ARGV[3], 'cart', ARGV[4], 'shipping', ARGV[5], 'method', ARGV[6],
           'email', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
follow_pointer(KEYS[3], ARGV[10], ARGV[9], ARGV[8])
local i = 12
for _ = 1, tonumber(ARGV[11]) do
  outbox_append_argv(KEYS[2], i)
  i = i + 9
end
return 1
)lua";

// KEYS 1 session, 2 the user's pointer. ARGV 1 session id, 2 ttl ms.
constexpr std::string_view kEndLua = R"lua(
local version = redis.call('HGET', KEYS[1], 'version') or '0'
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'ended', '1', 'version', version)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('HGET', KEYS[2], 'session_id') == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
)lua";

// KEYS 1 session. ARGV 1 ttl ms. Replies the new version.
constexpr std::string_view kVersionLua = R"lua(
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HINCRBY', KEYS[1], 'revision', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return version
)lua";

platform::Error corrupt(std::string_view what) {
  return make_error(Errc::internal, "stored payment session is corrupt: " + std::string(what));
}

platform::Result<StoredSession> stored_from(const Reply& fields_reply, std::string session_id) {
  StoredSession stored;
  stored.session.session_id = std::move(session_id);
  const auto& fields = fields_reply.elements();
  std::string_view cart;
  std::string_view shipping;
  std::string_view method;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto& name = fields[i].as_string();
    const auto& value = fields[i + 1];
    if (name == "revision") stored.revision = value.as_integer();
    if (name == "version") stored.session.version = value.as_integer();
    if (name == "user_id") stored.session.user_id = value.as_string();
    if (name == "cart") cart = value.as_string();
    if (name == "shipping") shipping = value.as_string();
    if (name == "method") method = value.as_string();
    if (name == "email" && !value.as_string().empty()) stored.session.email = value.as_string();
    if (name == "ended") stored.ended = value.as_string() == "1";
  }
  if (!cart.empty()) {
    PLATFORM_TRY(stored.session.cart, contracts::cart_copy_from_json(cart));
  }
  if (!shipping.empty()) {
    PLATFORM_CHECK(read_shipping(shipping, stored.session));
  }
  if (!method.empty()) {
    PLATFORM_TRY(stored.session.method, read_method(method));
  }
  return stored;
}

const json::string* string_at(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? &value->as_string() : nullptr;
}
}  // namespace

std::string user_key(std::string_view user_id) {
  return tagged_key("payment:user:", user_id);
}
std::string session_key(std::string_view session_id) {
  return tagged_key("payment:session:", session_id);
}

std::string shipping_to_json(const std::optional<ShippingChoice>& shipping,
                             std::int64_t shipping_version) {
  platform::JsonWriter out(128);
  out.begin_object().key("version").value(shipping_version);
  if (shipping) {
    out.key("method_id").value(shipping->method_id);
    out.key("cash_on_delivery_allowed").value(shipping->cash_on_delivery_allowed);
  }
  out.end_object();
  return std::move(out).take();
}

platform::Status read_shipping(std::string_view text, PaymentSession& session) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return corrupt("shipping is not a JSON object");
  const auto& object = parsed.as_object();
  const auto* version = object.if_contains("version");
  if (version == nullptr || !version->is_int64()) return corrupt("shipping version");
  session.shipping_version = version->as_int64();
  session.shipping.reset();
  if (const auto* method_id = string_at(object, "method_id")) {
    const auto* cod = object.if_contains("cash_on_delivery_allowed");
    session.shipping =
        ShippingChoice{std::string(*method_id), cod != nullptr && cod->is_bool() && cod->as_bool()};
  }
  return platform::Status{};
}

std::string method_to_json(const std::optional<ChosenMethod>& method) {
  if (!method) return "";
  platform::JsonWriter out(256);
  out.begin_object().key("id").value(method->id).key("name").value(method->name);
  out.key("kind").value(to_string(method->kind));
  if (method->gateway) out.key("gateway").value(gateway_name(*method->gateway));
  out.key("channel").value(method->channel).key("blik_code").value(method->blik_code);
  out.key("fee").value(method->fee.amount).key("currency").value(method->fee.currency);
  out.end_object();
  return std::move(out).take();
}

platform::Result<std::optional<ChosenMethod>> read_method(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return corrupt("method is not a JSON object");
  const auto& object = parsed.as_object();
  ChosenMethod method;
  const auto* id = string_at(object, "id");
  const auto* name = string_at(object, "name");
  const auto* kind = string_at(object, "kind");
  const auto* channel = string_at(object, "channel");
  const auto* currency = string_at(object, "currency");
  const auto* fee = object.if_contains("fee");
  const auto* blik = object.if_contains("blik_code");
  if (id == nullptr || name == nullptr || kind == nullptr || channel == nullptr ||
      currency == nullptr || fee == nullptr || !fee->is_int64() || blik == nullptr ||
      !blik->is_bool()) {
    return corrupt("method fields");
  }
  method.id = *id;
  method.name = *name;
  method.kind = *kind == "cash_on_delivery" ? MethodKind::cash_on_delivery : MethodKind::online;
  if (const auto* gateway = string_at(object, "gateway")) {
    method.gateway = gateway_from_name(*gateway);
    if (!method.gateway) return corrupt("method gateway");
  }
  method.channel = *channel;
  method.blik_code = blik->as_bool();
  method.fee = platform::Money{fee->as_int64(), std::string(*currency)};
  return std::optional(std::move(method));
}

SessionStore::SessionStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                           std::chrono::seconds session_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      session_ttl_ms_(milliseconds_text(session_ttl)),
      commit_script_(platform::redis::Script::from_source(
          "payment_commit", std::string(platform::outbox::outbox_lua_append()) +
                                std::string(platform::redis::session_pointer_lua()) +
                                std::string(kCommitLua))),
      end_script_(platform::redis::Script::from_source("payment_end", std::string(kEndLua))),
      load_current_script_(platform::redis::Script::from_source(
          "payment_load_current", platform::redis::load_current_session_lua("payment:session:"))),
      version_script_(
          platform::redis::Script::from_source("payment_version", std::string(kVersionLua))) {}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> SessionStore::load_current(
    std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(load_current_script_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.elements().size() != 2) co_return std::optional<StoredSession>();
  PLATFORM_CO_TRY(auto stored, stored_from(reply.elements()[1], reply.elements()[0].as_string()));
  if (stored.revision == 0 || stored.ended) co_return std::optional<StoredSession>();
  co_return std::optional(std::move(stored));
}

boost::asio::awaitable<platform::Result<StoredSession>> SessionStore::load(std::string session_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGETALL", session_key(session_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return stored_from(reply, std::move(session_id));
}

boost::asio::awaitable<platform::Result<bool>> SessionStore::commit(
    const StoredSession& before, const PaymentSession& after,
    std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time) {
  std::vector<std::string> keys{session_key(after.session_id), outbox_stream_,
                                user_key(after.user_id)};
  std::vector<std::string> args{std::to_string(before.revision),
                                after.user_id,
                                std::to_string(after.version),
                                contracts::cart_copy_to_json(after.cart),
                                shipping_to_json(after.shipping, after.shipping_version),
                                method_to_json(after.method),
                                after.email.value_or(""),
                                session_ttl_ms_,
                                cart_event_time.value_or(""),
                                after.session_id,
                                std::to_string(events.size())};
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

boost::asio::awaitable<platform::Status> SessionStore::end_session(std::string session_id,
                                                                   std::string user_id) {
  std::vector<std::string> keys{session_key(session_id), user_key(user_id)};
  std::vector<std::string> args{session_id, session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(end_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::int64_t>> SessionStore::next_version(
    std::string session_id) {
  std::vector<std::string> keys{session_key(session_id)};
  std::vector<std::string> args{session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(version_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return reply.as_integer();
}

}  // namespace payment
