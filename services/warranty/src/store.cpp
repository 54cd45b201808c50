#include "store.hpp"

#include <boost/json.hpp>

#include "contracts/catalog_product.hpp"
#include "platform/json_writer.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"
#include "platform/redis/session_pointer.hpp"

namespace warranty {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;
using platform::redis::milliseconds_text;
using platform::redis::Reply;
using platform::redis::tagged_key;
using platform::redis::unexpected_reply;

// KEYS 1 session, 2 outbox, 3 the user's pointer, 4 the user's answers.
// ARGV 1 expected revision, 2 user id, 3 version, 4 cart, 5 selections, 6 ttl ms, 7 the cart
// event's occurred_at ('' leaves the pointer), 8 session id, 9 #events, 10 #answers, 11 released
// selections, then 2 values per answer (item id, answer), then 9 values per event (outbox_argv).
// Replies 1 committed (or ended: nothing to do), 0 the session moved.
constexpr std::string_view kCommitLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'revision', 'ended')
if held[2] == '1' then return 1 end
if (tonumber(held[1]) or 0) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'revision', tonumber(ARGV[1]) + 1, 'user_id', ARGV[2],
           'version', ARGV[3], 'cart', ARGV[4], 'selections', ARGV[5], 'released', ARGV[11])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
local current = follow_pointer(KEYS[3], ARGV[8], ARGV[7], ARGV[6])
if current then redis.call('DEL', KEYS[4]) end
local i = 12
for _ = 1, tonumber(ARGV[10]) do
  if current then redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1]) end
  i = i + 2
end
if current then redis.call('PEXPIRE', KEYS[4], ARGV[6]) end
for _ = 1, tonumber(ARGV[9]) do
  outbox_append_argv(KEYS[2], i)
  i = i + 9
end
return 1
)lua";

// KEYS 1 session, 2 the user's pointer, 3 the user's answers. ARGV 1 session id, 2 ttl ms.
constexpr std::string_view kEndLua = R"lua(
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'ended', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('HGET', KEYS[2], 'session_id') == ARGV[1] then redis.call('DEL', KEYS[2], KEYS[3]) end
return 1
)lua";

platform::Error corrupt(std::string_view what) {
  return make_error(Errc::internal, "stored warranty selections are corrupt: " + std::string(what));
}

// A session from its hash fields (HGETALL).
platform::Result<StoredSession> stored_from(const Reply& fields_reply, std::string session_id) {
  StoredSession stored;
  stored.session.session_id = std::move(session_id);
  const auto& fields = fields_reply.elements();
  std::string_view cart;
  std::string_view selections;
  std::string_view released;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto& name = fields[i].as_string();
    const auto& value = fields[i + 1];
    if (name == "revision") stored.revision = value.as_integer();
    if (name == "user_id") stored.session.user_id = value.as_string();
    if (name == "version") stored.session.version = value.as_integer();
    if (name == "cart") cart = value.as_string();
    if (name == "selections") selections = value.as_string();
    if (name == "released") released = value.as_string();
    if (name == "ended") stored.ended = value.as_string() == "1";
  }
  if (!cart.empty()) {
    PLATFORM_TRY(stored.session.cart, contracts::cart_copy_from_json(cart));
  }
  if (!selections.empty()) {
    PLATFORM_TRY(stored.session.selections, selections_from_json(selections));
  }
  // Sessions stored before plans were released have none.
  if (!released.empty()) {
    PLATFORM_TRY(stored.session.released, selections_from_json(released));
  }
  return stored;
}

platform::Result<std::int64_t> int_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_int64()) return corrupt(std::string(name) + " is missing");
  return value->as_int64();
}

platform::Result<std::string> text_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return corrupt(std::string(name) + " is missing");
  return std::string(value->as_string());
}

platform::Result<Selection> selection_from(const json::value& value) {
  if (!value.is_object()) return corrupt("a selection is not an object");
  const auto& object = value.as_object();
  Selection selection;
  PLATFORM_TRY(selection.item_id, text_field(object, "item_id"));
  PLATFORM_TRY(selection.sku, text_field(object, "sku"));
  PLATFORM_TRY(selection.plan_id, text_field(object, "plan_id"));
  PLATFORM_TRY(auto kind, text_field(object, "kind"));
  const auto parsed = plan_kind_from(kind);
  if (!parsed) return corrupt("unknown kind " + kind);
  selection.kind = *parsed;
  PLATFORM_TRY(selection.name, text_field(object, "name"));
  PLATFORM_TRY(selection.duration_months, int_field(object, "duration_months"));
  PLATFORM_TRY(selection.unit_price.amount, int_field(object, "unit_price"));
  PLATFORM_TRY(selection.unit_price.currency, text_field(object, "currency"));
  PLATFORM_TRY(selection.quantity, int_field(object, "quantity"));
  return selection;
}
}  // namespace

std::string user_key(std::string_view user_id) {
  return tagged_key("warranty:user:", user_id);
}
std::string session_key(std::string_view session_id) {
  return tagged_key("warranty:session:", session_id);
}
std::string answers_key(std::string_view user_id) {
  return tagged_key("warranty:answers:", user_id);
}

std::string selections_to_json(const std::vector<Selection>& selections) {
  platform::JsonWriter out(64 + 256 * selections.size());
  out.begin_array();
  for (const auto& s : selections) {
    out.begin_object().key("item_id").value(s.item_id).key("sku").value(s.sku);
    out.key("plan_id").value(s.plan_id).key("kind").value(to_string(s.kind));
    out.key("name").value(s.name).key("duration_months").value(s.duration_months);
    out.key("unit_price").value(s.unit_price.amount).key("currency").value(s.unit_price.currency);
    out.key("quantity").value(s.quantity).end_object();
  }
  out.end_array();
  return std::move(out).take();
}

platform::Result<std::vector<Selection>> selections_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return corrupt("not a JSON array");
  std::vector<Selection> selections;
  for (const auto& item : parsed.as_array()) {
    PLATFORM_TRY(auto selection, selection_from(item));
    selections.push_back(std::move(selection));
  }
  return selections;
}

WarrantyStore::WarrantyStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                             std::chrono::seconds session_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      session_ttl_ms_(milliseconds_text(session_ttl)),
      commit_script_(platform::redis::Script::from_source(
          "warranty_commit", std::string(platform::outbox::outbox_lua_append()) +
                                 std::string(platform::redis::session_pointer_lua()) +
                                 std::string(kCommitLua))),
      end_script_(platform::redis::Script::from_source("warranty_end", std::string(kEndLua))),
      load_current_script_(platform::redis::Script::from_source(
          "warranty_load_current",
          platform::redis::load_current_session_lua("warranty:session:"))) {}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> WarrantyStore::load_current(
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

boost::asio::awaitable<platform::Result<StoredSession>> WarrantyStore::load(
    std::string session_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGETALL", session_key(session_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return stored_from(reply, std::move(session_id));
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> WarrantyStore::line_answer(
    std::string user_id, std::string item_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGET", answers_key(user_id), item_id));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional(std::move(reply.str));
}

boost::asio::awaitable<platform::Result<bool>> WarrantyStore::commit(
    const StoredSession& before, const WarrantySession& after,
    std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time,
    std::vector<std::pair<std::string, std::string>> answers) {
  std::vector<std::string> keys{session_key(after.session_id), outbox_stream_,
                                user_key(after.user_id), answers_key(after.user_id)};
  std::vector<std::string> args{
      std::to_string(before.revision),      after.user_id,
      std::to_string(after.version),        contracts::cart_copy_to_json(after.cart),
      selections_to_json(after.selections), session_ttl_ms_,
      cart_event_time.value_or(""),         after.session_id,
      std::to_string(events.size()),        std::to_string(answers.size()),
      selections_to_json(after.released)};
  for (auto& [item_id, answer] : answers) {
    args.push_back(std::move(item_id));
    args.push_back(std::move(answer));
  }
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

boost::asio::awaitable<platform::Status> WarrantyStore::end_session(std::string session_id,
                                                                    std::string user_id) {
  std::vector<std::string> keys{session_key(session_id), user_key(user_id), answers_key(user_id)};
  std::vector<std::string> args{session_id, session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(end_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

}  // namespace warranty
