#include "store.hpp"

#include <boost/json.hpp>

#include "platform/json_writer.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"
#include "platform/redis/session_pointer.hpp"

namespace promotion {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;
using platform::redis::milliseconds_text;
using platform::redis::Reply;
using platform::redis::tagged_key;
using platform::redis::unexpected_reply;

// KEYS 1 session, 2 outbox, 3 the user's pointer, 4 applied, 5 available (by cart hash), 6 the
// user's answer.
// ARGV 1 expected revision, 2 user id, 3 version, 4 cart, 5 opt_ins, 6 codes, 7 published,
// 8 ttl ms, 9 the cart event's occurred_at ('' leaves the pointer), 10 session id, 11 #events,
// 12 applied, 13 choices digest, 14 answer, 15 cache ttl ms, then 9 values per event.
// Replies 1 committed (or ended), 0 the session moved.
constexpr std::string_view kCommitLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'revision', 'ended')
if held[2] == '1' then return 1 end
if (tonumber(held[1]) or 0) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'revision', tonumber(ARGV[1]) + 1, 'user_id', ARGV[2],
           'version', ARGV[3], 'cart', ARGV[4], 'opt_ins', ARGV[5], 'codes', ARGV[6],
           'published', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('SET', KEYS[4], ARGV[12], 'PX', ARGV[8])
redis.call('HSET', KEYS[5], ARGV[13], ARGV[14])
redis.call('PEXPIRE', KEYS[5], ARGV[15])
local current = follow_pointer(KEYS[3], ARGV[10], ARGV[9], ARGV[8])
if current then redis.call('SET', KEYS[6], ARGV[14], 'PX', ARGV[8]) end
local i = 16
for _ = 1, tonumber(ARGV[11]) do
  outbox_append_argv(KEYS[2], i)
  i = i + 9
end
return 1
)lua";

// KEYS 1 session, 2 the user's pointer, 3 the user's answer, 4 applied. ARGV 1 session id,
// 2 ttl ms.
constexpr std::string_view kEndLua = R"lua(
redis.call('DEL', KEYS[1], KEYS[4])
redis.call('HSET', KEYS[1], 'ended', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('HGET', KEYS[2], 'session_id') == ARGV[1] then redis.call('DEL', KEYS[2], KEYS[3]) end
return 1
)lua";

platform::Error corrupt(std::string_view what) {
  return make_error(Errc::internal, "stored promotion session is corrupt: " + std::string(what));
}

platform::Result<std::vector<std::string>> strings_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return corrupt("a list is not a JSON array");
  std::vector<std::string> items;
  for (const auto& item : parsed.as_array()) {
    if (!item.is_string()) return corrupt("a list item is not a string");
    items.emplace_back(item.as_string());
  }
  return items;
}

platform::Result<std::map<std::string, std::string>> published_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return corrupt("published is not a JSON object");
  std::map<std::string, std::string> published;
  for (const auto& [id, print] : parsed.as_object()) {
    if (!print.is_string()) return corrupt("a fingerprint is not a string");
    published.emplace(std::string(id), std::string(print.as_string()));
  }
  return published;
}

platform::Result<StoredSession> stored_from(const Reply& fields_reply, std::string session_id) {
  StoredSession stored;
  stored.session.session_id = std::move(session_id);
  const auto& fields = fields_reply.elements();
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto& name = fields[i].as_string();
    const auto& value = fields[i + 1].as_string();
    if (name == "revision") stored.revision = fields[i + 1].as_integer();
    if (name == "user_id") stored.session.user_id = value;
    if (name == "version") stored.session.version = fields[i + 1].as_integer();
    if (name == "ended") stored.ended = value == "1";
    if (name == "cart" && !value.empty()) {
      PLATFORM_TRY(stored.session.cart, contracts::cart_copy_from_json(value));
    }
    if (name == "opt_ins") {
      PLATFORM_TRY(stored.session.opt_ins, strings_from_json(value));
    }
    if (name == "codes") {
      PLATFORM_TRY(stored.session.codes, strings_from_json(value));
    }
    if (name == "published") {
      PLATFORM_TRY(stored.session.published, published_from_json(value));
    }
  }
  return stored;
}
}  // namespace

std::string user_key(std::string_view user_id) {
  return tagged_key("promotions:user:", user_id);
}
std::string session_key(std::string_view session_id) {
  return tagged_key("promotions:session:", session_id);
}
std::string applied_key(std::string_view session_id) {
  return tagged_key("promotions:applied:", session_id);
}
std::string available_key(std::string_view cart_hash) {
  return tagged_key("promotions:available:", cart_hash);
}
std::string answer_key(std::string_view user_id) {
  return tagged_key("promotions:answer:", user_id);
}
std::string prices_key(std::string_view sku) {
  return tagged_key("promotions:prices:", sku);
}

std::string strings_to_json(const std::vector<std::string>& items) {
  platform::JsonWriter out(32 + 40 * items.size());
  out.begin_array();
  for (const auto& item : items) out.value(item);
  out.end_array();
  return std::move(out).take();
}

std::string published_to_json(const std::map<std::string, std::string>& published) {
  platform::JsonWriter out(32 + 64 * published.size());
  out.begin_object();
  for (const auto& [id, print] : published) out.key(id).value(print);
  out.end_object();
  return std::move(out).take();
}

std::string history_to_json(const std::vector<PricePoint>& history) {
  platform::JsonWriter out(32 + 32 * history.size());
  out.begin_array();
  for (const auto& point : history) {
    out.begin_array();
    out.value(static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(point.at.time_since_epoch())
            .count()));
    out.value(point.amount).end_array();
  }
  out.end_array();
  return std::move(out).take();
}

platform::Result<std::vector<PricePoint>> history_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return corrupt("a price history is not a JSON array");
  std::vector<PricePoint> history;
  for (const auto& item : parsed.as_array()) {
    if (!item.is_array() || item.as_array().size() != 2 || !item.as_array()[0].is_int64() ||
        !item.as_array()[1].is_int64()) {
      return corrupt("a price point is not [ms, grosze]");
    }
    history.push_back(PricePoint{
        .at = platform::TimePoint(std::chrono::milliseconds(item.as_array()[0].as_int64())),
        .amount = item.as_array()[1].as_int64()});
  }
  return history;
}

PromotionStore::PromotionStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                               std::chrono::seconds session_ttl, std::chrono::seconds cache_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      session_ttl_ms_(milliseconds_text(session_ttl)),
      cache_ttl_ms_(milliseconds_text(cache_ttl)),
      commit_script_(platform::redis::Script::from_source(
          "promotion_commit", std::string(platform::outbox::outbox_lua_append()) +
                                  std::string(platform::redis::session_pointer_lua()) +
                                  std::string(kCommitLua))),
      end_script_(platform::redis::Script::from_source("promotion_end", std::string(kEndLua))),
      load_current_script_(platform::redis::Script::from_source(
          "promotion_load_current",
          platform::redis::load_current_session_lua("promotions:session:"))) {}

boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> PromotionStore::load_current(
    std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(load_current_script_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.elements().size() != 2) co_return std::optional<StoredSession>();
  PLATFORM_CO_TRY(auto stored, stored_from(reply.elements()[1], reply.elements()[0].as_string()));
  if (stored.revision == 0 || stored.ended) co_return std::optional<StoredSession>();
  co_return std::optional(std::move(stored));
}

boost::asio::awaitable<platform::Result<StoredSession>> PromotionStore::load(
    std::string session_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("HGETALL", session_key(session_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return stored_from(reply, std::move(session_id));
}

boost::asio::awaitable<platform::Result<bool>> PromotionStore::commit(
    const StoredSession& before, const PromotionSession& after,
    std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time,
    Written written) {
  std::vector<std::string> keys{session_key(after.session_id),
                                outbox_stream_,
                                user_key(after.user_id),
                                applied_key(after.session_id),
                                available_key(after.cart.cart_hash),
                                answer_key(after.user_id)};
  std::vector<std::string> args{std::to_string(before.revision),
                                after.user_id,
                                std::to_string(after.version),
                                contracts::cart_copy_to_json(after.cart),
                                strings_to_json(after.opt_ins),
                                strings_to_json(after.codes),
                                published_to_json(after.published),
                                session_ttl_ms_,
                                cart_event_time.value_or(""),
                                after.session_id,
                                std::to_string(events.size()),
                                std::move(written.applied),
                                std::move(written.choices_digest),
                                std::move(written.answer),
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

boost::asio::awaitable<platform::Status> PromotionStore::end_session(std::string session_id,
                                                                     std::string user_id) {
  std::vector<std::string> keys{session_key(session_id), user_key(user_id), answer_key(user_id),
                                applied_key(session_id)};
  std::vector<std::string> args{session_id, session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(end_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> PromotionStore::user_answer(
    std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", answer_key(user_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional(std::move(reply.str));
}

boost::asio::awaitable<platform::Result<std::map<std::string, std::vector<PricePoint>>>>
PromotionStore::price_histories(std::vector<std::string> skus) {
  std::map<std::string, std::vector<PricePoint>> histories;
  if (skus.empty()) co_return histories;
  std::vector<std::vector<std::string>> reads;
  reads.reserve(skus.size());
  for (const auto& sku : skus) reads.push_back({"GET", prices_key(sku)});
  PLATFORM_CO_TRY(auto replies, co_await redis_.pipeline(std::move(reads)));
  for (std::size_t i = 0; i < skus.size() && i < replies.size(); ++i) {
    if (replies[i].is_error()) co_return unexpected_reply(replies[i]);
    if (replies[i].is_nil()) continue;
    PLATFORM_CO_TRY(histories[skus[i]], history_from_json(replies[i].str));
  }
  co_return histories;
}

boost::asio::awaitable<platform::Result<std::vector<PricePoint>>> PromotionStore::price_history(
    std::string sku) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", prices_key(sku)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::vector<PricePoint>();
  co_return history_from_json(reply.str);
}

boost::asio::awaitable<platform::Status> PromotionStore::save_price_history(
    std::string sku, const std::vector<PricePoint>& history) {
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.command("SET", prices_key(sku), history_to_json(history)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

}  // namespace promotion
