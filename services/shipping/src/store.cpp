#include "store.hpp"

#include <boost/json.hpp>

#include "contracts/catalog_product.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/redis/keys.hpp"
#include "platform/redis/replies.hpp"

namespace shipping {
namespace {
using platform::redis::tagged_key;
using platform::redis::unexpected_reply;
namespace json = boost::json;
using platform::Errc;
using platform::make_error;
using platform::redis::Reply;

// Reads one session: KEYS 1 session, 2 address, 3 addons. Replies {hash fields..., address,
// addons} with '' for a missing key.
constexpr std::string_view kReadLua = R"lua(
local function read_session(session, address, addons)
  return {redis.call('HGETALL', session), redis.call('GET', address) or '',
          redis.call('GET', addons) or ''}
end
)lua";

// KEYS 1 the user's pointer. Replies {} or {session_id, read_session(...)}.
constexpr std::string_view kLoadCurrentLua = R"lua(
local sid = redis.call('HGET', KEYS[1], 'session_id')
if not sid then return {} end
local tag = '{' .. sid .. '}'
return {sid, read_session('shipping:session:' .. tag, 'shipping:address:' .. tag,
                          'shipping:addons:' .. tag)}
)lua";

// KEYS 1 session, 2 address, 3 addons, 4 outbox, 5 the user's pointer, 6 the cart's methods,
// 7 the user's available answer.
// ARGV 1 expected version, 2 expected cart_version, 3 user id, 4 version, 5 cart_version,
// 6 cart_hash, 7 cart, 8 state, 9 method_id, 10 destination ('' deletes), 11 addons ('' deletes),
// 12 time to live in ms, 13 the cart event's occurred_at ('' leaves the pointer), 14 session id,
// 15 #events, 16 the methods, 17 their time to live in ms, 18 the available answer, then 9
// values per event (outbox_argv).
// Replies 1 committed, 0 the session moved, -1 the session ended.
constexpr std::string_view kCommitLua = R"lua(
local held = redis.call('HMGET', KEYS[1], 'version', 'cart_version', 'ended')
if held[3] == '1' then return -1 end
if (tonumber(held[1]) or 0) ~= tonumber(ARGV[1]) or
   (tonumber(held[2]) or 0) ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'user_id', ARGV[3], 'version', ARGV[4], 'cart_version', ARGV[5],
           'cart_hash', ARGV[6], 'cart', ARGV[7], 'state', ARGV[8], 'method_id', ARGV[9])
redis.call('PEXPIRE', KEYS[1], ARGV[12])
for i, key in ipairs({KEYS[2], KEYS[3]}) do
  if ARGV[9 + i] == '' then
    redis.call('DEL', key)
  else
    redis.call('SET', key, ARGV[9 + i], 'PX', ARGV[12])
  end
end
if ARGV[13] ~= '' then
  local pointer = redis.call('HMGET', KEYS[5], 'session_id', 'occurred_at')
  if not pointer[1] or pointer[1] == ARGV[14] or (pointer[2] or '') <= ARGV[13] then
    redis.call('HSET', KEYS[5], 'session_id', ARGV[14], 'occurred_at', ARGV[13])
  end
end
if redis.call('EXISTS', KEYS[5]) == 1 then redis.call('PEXPIRE', KEYS[5], ARGV[12]) end
redis.call('SET', KEYS[6], ARGV[16], 'PX', ARGV[17])
if redis.call('HGET', KEYS[5], 'session_id') == ARGV[14] then
  redis.call('SET', KEYS[7], ARGV[18], 'PX', ARGV[12])
end
local i = 19
for _ = 1, tonumber(ARGV[15]) do
  outbox_append_argv(KEYS[4], i)
  i = i + 9
end
return 1
)lua";

// KEYS 1 session, 2 address, 3 addons, 4 the user's pointer, 5 the user's available answer.
// ARGV 1 session id, 2 ttl ms.
constexpr std::string_view kEndLua = R"lua(
redis.call('HSET', KEYS[1], 'ended', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2], KEYS[3])
if redis.call('HGET', KEYS[4], 'session_id') == ARGV[1] then redis.call('DEL', KEYS[4], KEYS[5]) end
return 1
)lua";

// KEYS 1 the user's pointer, 2 the session, 3 the user's available answer. ARGV 1 session id,
// 2 version, 3 cart_version, 4 the answer, 5 ttl ms. Writes only for the current, unchanged
// session.
constexpr std::string_view kRefreshLua = R"lua(
if redis.call('HGET', KEYS[1], 'session_id') ~= ARGV[1] then return 0 end
local held = redis.call('HMGET', KEYS[2], 'version', 'cart_version', 'ended')
if held[1] ~= ARGV[2] or held[2] ~= ARGV[3] or held[3] == '1' then return 0 end
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
return 1
)lua";

platform::Error corrupt(std::string_view what) {
  return make_error(Errc::internal, "corrupt shipping session: " + std::string(what));
}

json::object money_json(const platform::Money& money) {
  return contracts::money_to_json(money);
}

platform::Result<platform::Money> money_from(const json::value& value) {
  if (!value.is_object()) return corrupt("money");
  const auto& obj = value.as_object();
  const auto* amount = obj.if_contains("amount");
  const auto* currency = obj.if_contains("currency");
  if (amount == nullptr || !amount->is_int64() || currency == nullptr || !currency->is_string()) {
    return corrupt("money");
  }
  return platform::Money{amount->as_int64(), std::string(currency->as_string())};
}

json::value window_json(const std::optional<TimeWindow>& window) {
  if (!window) return nullptr;
  return json::object{{"from", window->from.count()}, {"to", window->to.count()}};
}

std::optional<TimeWindow> window_from(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& obj = value.as_object();
  return TimeWindow{std::chrono::minutes(obj.at("from").as_int64()),
                    std::chrono::minutes(obj.at("to").as_int64())};
}

platform::Result<json::value> parse(std::string_view text) {
  json::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return corrupt("not JSON");
  return value;
}

// Fills a session from its hash fields and keys (read_session's reply).
platform::Result<StoredSession> stored_from(const Reply& reply, std::string session_id) {
  StoredSession stored;
  stored.session.session_id = std::move(session_id);
  const auto& parts = reply.elements();
  if (parts.size() != 3) return unexpected_reply(reply);
  const auto& fields = parts[0].elements();
  std::string_view cart;
  std::string_view state;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto& name = fields[i].as_string();
    const auto& value = fields[i + 1];
    if (name == "user_id") stored.session.user_id = value.as_string();
    if (name == "version") stored.session.version = value.as_integer();
    if (name == "cart") cart = value.as_string();
    if (name == "state") state = value.as_string();
    if (name == "ended") stored.ended = value.as_string() == "1";
  }
  stored.exists = !fields.empty();
  stored.session.cart.session_id = stored.session.session_id;
  stored.session.cart.user_id = stored.session.user_id;
  if (!cart.empty()) {
    auto copy = contracts::cart_copy_from_json(cart);
    if (!copy) return copy.error();
    stored.session.cart = std::move(*copy);
  }
  if (!state.empty()) PLATFORM_CHECK(read_state(state, stored.session));
  if (!parts[1].as_string().empty()) {
    PLATFORM_CHECK(read_destination(parts[1].as_string(), stored.session));
  }
  if (!parts[2].as_string().empty()) {
    PLATFORM_TRY(stored.session.addons, read_addons(parts[2].as_string()));
  }
  return stored;
}
}  // namespace

std::string user_key(std::string_view user_id) {
  return tagged_key("shipping:user:", user_id);
}
std::string session_key(std::string_view session_id) {
  return tagged_key("shipping:session:", session_id);
}
std::string address_key(std::string_view session_id) {
  return tagged_key("shipping:address:", session_id);
}
std::string addons_key(std::string_view session_id) {
  return tagged_key("shipping:addons:", session_id);
}
std::string methods_key(std::string_view cart_hash) {
  return tagged_key("shipping:methods:", cart_hash);
}
std::string available_key(std::string_view user_id) {
  return tagged_key("shipping:available:", user_id);
}
// Method ids are ^[a-z][a-z0-9_]*$ and postal codes NN-NNN: the key cannot be ambiguous.
std::string calendar_key(std::string_view method_id, std::string_view postal_code) {
  return "calendar:" + std::string(method_id) + ":{" + std::string(postal_code) + "}";
}

std::string state_to_json(const ShippingSession& session) {
  json::object state;
  if (session.method) {
    const auto& m = *session.method;
    state["method"] = json::object{{"id", m.id},
                                   {"name", m.name},
                                   {"price", money_json(m.price)},
                                   {"cash_on_delivery", m.cash_on_delivery},
                                   {"destination", to_string(m.destination)},
                                   {"has_calendar", m.has_calendar}};
  } else {
    state["method"] = nullptr;
  }
  if (session.day) {
    state["day"] = json::object{{"date", platform::format_date(session.day->date)},
                                {"postal_code", session.day->postal_code},
                                {"window", window_json(session.day->window)}};
  } else {
    state["day"] = nullptr;
  }
  return json::serialize(state);
}

platform::Status read_state(std::string_view text, ShippingSession& session) {
  PLATFORM_TRY(auto value, parse(text));
  if (!value.is_object()) return corrupt("state");
  const auto& state = value.as_object();
  if (const auto* m = state.if_contains("method"); m != nullptr && m->is_object()) {
    const auto& obj = m->as_object();
    ChosenMethod method;
    method.id = std::string(obj.at("id").as_string());
    method.name = std::string(obj.at("name").as_string());
    PLATFORM_TRY(method.price, money_from(obj.at("price")));
    method.cash_on_delivery = obj.at("cash_on_delivery").as_bool();
    const auto destination = obj.at("destination").as_string();
    method.destination = destination == "parcel_locker" ? Destination::parcel_locker
                         : destination == "store"       ? Destination::store
                                                        : Destination::address;
    // Sessions stored before has_calendar was kept read as without a calendar.
    const auto* calendar = obj.if_contains("has_calendar");
    method.has_calendar = calendar != nullptr && calendar->is_bool() && calendar->as_bool();
    session.method = std::move(method);
  }
  if (const auto* d = state.if_contains("day"); d != nullptr && d->is_object()) {
    const auto& obj = d->as_object();
    auto date = platform::parse_date(obj.at("date").as_string());
    if (!date) return corrupt("day");
    session.day = DeliveryDay{.date = *date,
                              .postal_code = std::string(obj.at("postal_code").as_string()),
                              .window = window_from(obj.at("window"))};
  }
  return {};
}

std::string destination_to_json(const ShippingSession& session) {
  if (session.locker)
    return json::serialize(json::object{{"locker", locker_to_json(*session.locker)}});
  if (session.address) {
    return json::serialize(json::object{{"address", address_to_json(*session.address)}});
  }
  return {};
}

platform::Status read_destination(std::string_view text, ShippingSession& session) {
  PLATFORM_TRY(auto value, parse(text));
  if (!value.is_object()) return corrupt("destination");
  const auto& obj = value.as_object();
  if (const auto* locker = obj.if_contains("locker")) {
    PLATFORM_TRY(session.locker, locker_from_json(*locker));
  }
  if (const auto* address = obj.if_contains("address")) {
    PLATFORM_TRY(session.address, address_from_json(*address));
  }
  return {};
}

std::string addons_to_json(const std::vector<AddonOption>& addons) {
  if (addons.empty()) return {};
  json::array list;
  for (const auto& addon : addons) {
    list.emplace_back(json::object{{"id", addon.id},
                                   {"name", addon.name},
                                   {"price", money_json(addon.price)},
                                   {"window", window_json(addon.window)}});
  }
  return json::serialize(list);
}

platform::Result<std::vector<AddonOption>> read_addons(std::string_view text) {
  PLATFORM_TRY(auto value, parse(text));
  if (!value.is_array()) return corrupt("addons");
  std::vector<AddonOption> addons;
  for (const auto& item : value.as_array()) {
    if (!item.is_object()) return corrupt("addons");
    const auto& obj = item.as_object();
    AddonOption addon;
    addon.id = std::string(obj.at("id").as_string());
    addon.name = std::string(obj.at("name").as_string());
    PLATFORM_TRY(addon.price, money_from(obj.at("price")));
    addon.available = true;
    addon.window = window_from(obj.at("window"));
    addons.push_back(std::move(addon));
  }
  return addons;
}

ShippingStore::ShippingStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                             std::chrono::seconds session_ttl, std::chrono::seconds methods_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      session_ttl_ms_(std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(session_ttl).count())),
      commit_script_(platform::redis::Script::from_source(
          "shipping_commit",
          std::string(platform::outbox::outbox_lua_append()) + std::string(kCommitLua))),
      end_script_(platform::redis::Script::from_source("shipping_end", std::string(kEndLua))),
      load_current_script_(platform::redis::Script::from_source(
          "shipping_load_current", std::string(kReadLua) + std::string(kLoadCurrentLua))),
      refresh_script_(
          platform::redis::Script::from_source("shipping_refresh", std::string(kRefreshLua))),
      methods_ttl_ms_(std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(methods_ttl).count())) {}

boost::asio::awaitable<platform::Result<StoredSession>> ShippingStore::load_current(
    std::string user_id) {
  std::vector<std::string> keys{user_key(user_id)};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(load_current_script_, std::move(keys), {}));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.elements().size() != 2) {
    StoredSession none;
    none.session.user_id = std::move(user_id);
    co_return none;
  }
  PLATFORM_CO_TRY(auto stored, stored_from(reply.elements()[1], reply.elements()[0].as_string()));
  // A pointer to a session that expired meanwhile: no session.
  if (!stored.exists || stored.ended) {
    StoredSession none;
    none.session.user_id = std::move(user_id);
    co_return none;
  }
  co_return stored;
}

boost::asio::awaitable<platform::Result<StoredSession>> ShippingStore::load(
    std::string session_id) {
  std::vector<std::vector<std::string>> reads{{"HGETALL", session_key(session_id)},
                                              {"GET", address_key(session_id)},
                                              {"GET", addons_key(session_id)}};
  PLATFORM_CO_TRY(auto replies, co_await redis_.pipeline(std::move(reads)));
  Reply all;
  all.type = Reply::Type::array;
  for (auto& reply : replies) {
    if (reply.is_error()) co_return unexpected_reply(reply);
    if (reply.is_nil()) reply.type = Reply::Type::string;  // a missing key reads as ''
    all.array.push_back(std::move(reply));
  }
  co_return stored_from(all, std::move(session_id));
}

boost::asio::awaitable<platform::Result<bool>> ShippingStore::commit(
    const StoredSession& before, const ShippingSession& after, Answers answers,
    std::vector<platform::CloudEvent> events, std::optional<std::string> cart_event_time) {
  const auto& id = after.session_id;
  std::vector<std::string> keys{session_key(id),
                                address_key(id),
                                addons_key(id),
                                outbox_stream_,
                                user_key(after.user_id),
                                methods_key(after.cart.cart_hash),
                                available_key(after.user_id)};
  std::vector<std::string> args{std::to_string(before.session.version),
                                std::to_string(before.session.cart.version),
                                after.user_id,
                                std::to_string(after.version),
                                std::to_string(after.cart.version),
                                after.cart.cart_hash,
                                contracts::cart_copy_to_json(after.cart),
                                state_to_json(after),
                                after.method ? after.method->id : "",
                                destination_to_json(after),
                                addons_to_json(after.addons),
                                session_ttl_ms_,
                                cart_event_time.value_or(""),
                                id,
                                std::to_string(events.size()),
                                std::move(answers.methods),
                                methods_ttl_ms_,
                                std::move(answers.available)};
  for (const auto& event : events) {
    auto values = platform::outbox::outbox_argv(event);
    args.insert(args.end(), std::make_move_iterator(values.begin()),
                std::make_move_iterator(values.end()));
  }
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(commit_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.as_integer() == -1) {
    co_return make_error(Errc::conflict,
                         "Zamówienie zostało już złożone: dostawy nie można zmienić.",
                         "session_ended");
  }
  co_return reply.as_integer() == 1;
}

boost::asio::awaitable<platform::Status> ShippingStore::end_session(std::string session_id,
                                                                    std::string user_id) {
  std::vector<std::string> keys{session_key(session_id), address_key(session_id),
                                addons_key(session_id), user_key(user_id), available_key(user_id)};
  std::vector<std::string> args{session_id, session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(end_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>>
ShippingStore::available_answer(std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", available_key(user_id)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(std::move(reply.str));
}

boost::asio::awaitable<platform::Status> ShippingStore::refresh_available_answer(
    const ShippingSession& session, std::string answer) {
  std::vector<std::string> keys{user_key(session.user_id), session_key(session.session_id),
                                available_key(session.user_id)};
  std::vector<std::string> args{session.session_id, std::to_string(session.version),
                                std::to_string(session.cart.version), std::move(answer),
                                session_ttl_ms_};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(refresh_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> ShippingStore::methods(
    std::string cart_hash) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", methods_key(cart_hash)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(std::move(reply.str));
}

boost::asio::awaitable<platform::Result<std::optional<std::string>>> ShippingStore::calendar(
    std::string method_id, std::string postal_code) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", calendar_key(method_id, postal_code)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.is_nil()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(std::move(reply.str));
}

boost::asio::awaitable<platform::Status> ShippingStore::save_calendar(std::string method_id,
                                                                      std::string postal_code,
                                                                      std::string value,
                                                                      std::chrono::seconds ttl) {
  const auto seconds = std::to_string(ttl.count());
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("SET", calendar_key(method_id, postal_code),
                                                      value, "EX", seconds));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return platform::Status{};
}

}  // namespace shipping
