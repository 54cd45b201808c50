#include "store.hpp"

#include <boost/json.hpp>
#include <set>

#include "contracts/catalog_product.hpp"
#include "platform/idempotency/idempotency.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/replies.hpp"

namespace cart {
namespace {
using platform::Errc;
using platform::make_error;
using platform::redis::Reply;
using platform::redis::unexpected_reply;

// What both scripts below do to the view: compare its revision, and write a key with the cart's
// time to live.
constexpr std::string_view kViewLua = R"lua(
-- The revision leads the view: read its first bytes, not the whole document.
local function view_revision(key)
  local head = redis.call('GETRANGE', key, 0, 31)
  if head == '' then return 0 end
  return tonumber(string.match(head, '^{"revision":(%d+)')) or -1
end
-- SET with PX sets the time to live in the same call (a plain SET would drop it).
local function set_living(key, value, ttl_ms)
  if ttl_ms ~= '0' then
    redis.call('SET', key, value, 'PX', ttl_ms)
  else
    redis.call('SET', key, value)
  end
end
)lua";

// One commit of one or more carts (a change: one; a merge: the user's and the guest's).
// KEYS: 3 per cart (view, counter, stream), then the outbox, then the idempotency record (when
// ARGV[3] is not 0).
// ARGV: 1 #carts, 2 time to live in ms (0: none), 3 #idempotency record values (0 or
// kRecordArgc), then the record's values (Claim::record_argv); then per cart: expected revision,
// view, counter, user id, #stream entries, #holder ops, its stream entries (5 values each) and its
// holder ops (2 each); then #events and 9 values per event (outbox_argv).
// Every cart's revision is compared before anything is written: all of it is written, or none.
// Replies 1 committed, 0 a revision moved, -1 the idempotency claim is lost.
constexpr std::string_view kCommitLua = R"lua(
local carts = tonumber(ARGV[1])
local ttl = ARGV[2]
local record_key = KEYS[3 * carts + 2]
local record = 0
if ARGV[3] ~= '0' then record = 4 end
local first = 4 + tonumber(ARGV[3])
local i = first
for c = 0, carts - 1 do
  if view_revision(KEYS[3 * c + 1]) ~= tonumber(ARGV[i]) then return 0 end
  i = i + 6 + 5 * tonumber(ARGV[i + 4]) + 2 * tonumber(ARGV[i + 5])
end
if record ~= 0 and not idempotency_claim_held_argv(record_key, record) then return -1 end
i = first
for c = 0, carts - 1 do
  local stream = KEYS[3 * c + 3]
  local user = ARGV[i + 3]
  local entries = tonumber(ARGV[i + 4])
  local holder_ops = tonumber(ARGV[i + 5])
  set_living(KEYS[3 * c + 1], ARGV[i + 1], ttl)
  set_living(KEYS[3 * c + 2], ARGV[i + 2], ttl)
  i = i + 6
  for _ = 1, entries do
    redis.call('XADD', stream, '*', 'kind', ARGV[i], 'op', ARGV[i + 1], 'session_id', ARGV[i + 2],
               'version', ARGV[i + 3], 'line', ARGV[i + 4])
    i = i + 5
  end
  -- After the XADDs: a cart's first change creates its stream.
  if ttl ~= '0' then redis.call('PEXPIRE', stream, ttl) end
  for _ = 1, holder_ops do
    local key = 'cart:holders:{' .. ARGV[i + 1] .. '}'
    if ARGV[i] == '+' then redis.call('SADD', key, user) else redis.call('SREM', key, user) end
    i = i + 2
  end
end
local events = tonumber(ARGV[i])
i = i + 1
for _ = 1, events do
  outbox_append_argv(KEYS[3 * carts + 1], i)
  i = i + 9
end
-- The request's record turns final with the change it answers (platform/idempotency).
if record ~= 0 then idempotency_record_argv(record_key, record) end
return 1
)lua";

// KEYS: 1 view, 2 counter, 3 stream. ARGV: 1 expected revision, 2 the empty view, 3 counter,
// 4 user id, 5 time to live in ms (0: none), then the skus the cart held.
// Replies 1 ended, 0 the revision moved.
constexpr std::string_view kEndSessionLua = R"lua(
if view_revision(KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
set_living(KEYS[1], ARGV[2], ARGV[5])
set_living(KEYS[2], ARGV[3], ARGV[5])
-- The order (PostgreSQL) is the record of the closed session's lines: its stream goes.
redis.call('DEL', KEYS[3])
for i = 6, #ARGV do redis.call('SREM', 'cart:holders:{' .. ARGV[i] .. '}', ARGV[4]) end
return 1
)lua";

platform::Result<std::optional<Product>> parse_product(const Reply& reply) {
  if (reply.is_nil()) return std::optional<Product>();
  if (reply.is_error()) return unexpected_reply(reply);
  boost::json::error_code ec;
  auto doc = boost::json::parse(reply.as_string(), ec);
  if (ec) return make_error(Errc::internal, "corrupt catalog record");
  auto product = product_from_json(doc);
  if (!product)
    return make_error(Errc::internal, "corrupt catalog record: " + product.error().message);
  return std::optional<Product>(std::move(*product));
}

platform::Result<StoredView> parse_view(const Reply& reply, const std::string& user_id) {
  if (reply.is_nil()) {
    StoredView empty;
    empty.cart.user_id = user_id;
    return empty;
  }
  if (reply.is_error()) return unexpected_reply(reply);
  return view_from_json(reply.as_string());
}

std::set<std::string> skus_of(const Cart& cart) {
  std::set<std::string> skus;
  for (const auto& line : cart.lines) skus.insert(line.sku);
  return skus;
}

}  // namespace

std::string view_key(std::string_view user_id) {
  return "cart:view:{" + std::string(user_id) + "}";
}
std::string counter_key(std::string_view user_id) {
  return "cart:counter:{" + std::string(user_id) + "}";
}
std::string stream_key(std::string_view user_id) {
  return "cart:events:{" + std::string(user_id) + "}";
}
std::string holders_key(std::string_view sku) {
  return "cart:holders:{" + std::string(sku) + "}";
}

std::vector<StreamEntry> stream_entries(const Cart& before, const Outcome& after) {
  std::vector<StreamEntry> entries;
  const auto& cart = after.cart;
  // Name each entry after the change that touched its line, if any.
  auto kind_for = [&](const std::string& item_id) -> std::string {
    for (const auto& change : after.changes) {
      if (change.line.item_id == item_id) return std::string(to_string(change.kind));
    }
    return "updated";
  };
  for (const auto& old_line : before.lines) {
    if (cart.find(old_line.item_id) == nullptr) {
      entries.push_back({"removed", true, cart.session_id, cart.version, old_line});
    }
  }
  for (const auto& line : cart.lines) {
    const auto* old_line = before.find(line.item_id);
    if (old_line == nullptr || !(*old_line == line)) {
      entries.push_back({kind_for(line.item_id), false, cart.session_id, cart.version, line});
    }
  }
  return entries;
}

platform::Result<Cart> replay(const std::string& user_id, const std::vector<StreamEntry>& entries) {
  Cart cart;
  cart.user_id = user_id;
  for (const auto& entry : entries) {
    cart.session_id = entry.session_id;
    cart.version = entry.version;
    auto it = std::find_if(cart.lines.begin(), cart.lines.end(),
                           [&](const CartLine& l) { return l.item_id == entry.line.item_id; });
    if (entry.remove) {
      if (it != cart.lines.end()) cart.lines.erase(it);
    } else if (it != cart.lines.end()) {
      *it = entry.line;
    } else {
      cart.lines.push_back(entry.line);
    }
  }
  return cart;
}

CartStore::CartStore(platform::redis::RedisClient& redis, std::string outbox_stream,
                     std::chrono::seconds cart_ttl)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      cart_ttl_ms_(
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(cart_ttl).count())),
      commit_script_(platform::redis::Script::from_source(
          "cart_commit", std::string(platform::outbox::outbox_lua_append()) +
                             std::string(platform::idempotency::record_lua()) +
                             std::string(kViewLua) + std::string(kCommitLua))),
      end_session_script_(platform::redis::Script::from_source(
          "cart_end_session", std::string(kViewLua) + std::string(kEndSessionLua))) {}

boost::asio::awaitable<platform::Result<std::string>> CartStore::view_json(std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", view_key(user_id)));
  if (reply.is_nil()) co_return empty_view_json(user_id);
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return std::move(reply.str);
}

boost::asio::awaitable<platform::Result<StoredView>> CartStore::load(std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("GET", view_key(user_id)));
  co_return parse_view(reply, user_id);
}

boost::asio::awaitable<platform::Result<CartStore::CartAndProduct>> CartStore::load_with_product(
    std::string user_id, std::string sku) {
  std::vector<std::vector<std::string>> reads{{"GET", view_key(user_id)},
                                              {"GET", contracts::catalog_product_key(sku)}};
  PLATFORM_CO_TRY(auto replies, co_await redis_.pipeline(std::move(reads)));
  PLATFORM_CO_TRY(auto stored, parse_view(replies.at(0), user_id));
  PLATFORM_CO_TRY(auto product, parse_product(replies.at(1)));
  co_return CartAndProduct{std::move(stored), std::move(product)};
}

namespace {
// One cart's part of a commit: its keys and its ARGV values (see kCommitLua).
void add_cart_part(const StoredView& before, const Outcome& outcome, std::vector<std::string>& keys,
                   std::vector<std::string>& args) {
  const auto& cart = outcome.cart;
  const auto entries = stream_entries(before.cart, outcome);
  const auto old_skus = skus_of(before.cart);
  const auto new_skus = skus_of(cart);
  std::vector<std::pair<char, std::string>> holder_ops;
  for (const auto& sku : new_skus) {
    if (!old_skus.contains(sku)) holder_ops.emplace_back('+', sku);
  }
  for (const auto& sku : old_skus) {
    if (!new_skus.contains(sku)) holder_ops.emplace_back('-', sku);
  }
  keys.push_back(view_key(cart.user_id));
  keys.push_back(counter_key(cart.user_id));
  keys.push_back(stream_key(cart.user_id));
  args.push_back(std::to_string(before.revision));
  args.push_back(view_to_json(cart, before.revision + 1));
  args.push_back(std::to_string(cart.item_count()));
  args.push_back(cart.user_id);
  args.push_back(std::to_string(entries.size()));
  args.push_back(std::to_string(holder_ops.size()));
  for (const auto& entry : entries) {
    args.emplace_back(entry.kind);
    args.emplace_back(entry.remove ? "remove" : "upsert");
    args.push_back(entry.session_id);
    args.push_back(std::to_string(entry.version));
    args.push_back(line_state_json(entry.line));
  }
  for (auto& [op, sku] : holder_ops) {
    args.emplace_back(1, op);
    args.push_back(std::move(sku));
  }
}
}  // namespace

boost::asio::awaitable<platform::Result<bool>> CartStore::commit(
    const StoredView& before, const Outcome& outcome, std::vector<platform::CloudEvent> events,
    std::optional<IdempotencyRecord> record) {
  std::vector<CartCommit> carts{CartCommit{before, outcome}};
  co_return co_await commit(carts, std::move(events), std::move(record));
}

boost::asio::awaitable<platform::Result<bool>> CartStore::commit(
    const std::vector<CartCommit>& carts, std::vector<platform::CloudEvent> events,
    std::optional<IdempotencyRecord> record) {
  std::vector<std::string> keys;
  std::vector<std::string> args{std::to_string(carts.size()), cart_ttl_ms_,
                                std::to_string(record ? record->argv.size() : 0)};
  if (record) std::move(record->argv.begin(), record->argv.end(), std::back_inserter(args));
  for (const auto& part : carts) add_cart_part(part.before, part.outcome, keys, args);
  args.push_back(std::to_string(events.size()));
  for (const auto& event : events) {
    auto fields = platform::outbox::outbox_argv(event);
    std::move(fields.begin(), fields.end(), std::back_inserter(args));
  }
  keys.push_back(outbox_stream_);
  if (record) keys.push_back(std::move(record->key));
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(commit_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  if (reply.as_integer() == -1) {
    co_return make_error(Errc::conflict,
                         "request with this Idempotency-Key is being processed by another attempt",
                         "idempotency_key_in_progress");
  }
  co_return reply.as_integer() == 1;
}

boost::asio::awaitable<platform::Result<CartStore::TwoCarts>> CartStore::load_two(
    std::string first_user, std::string second_user) {
  std::vector<std::vector<std::string>> reads{{"GET", view_key(first_user)},
                                              {"GET", view_key(second_user)}};
  PLATFORM_CO_TRY(auto replies, co_await redis_.pipeline(std::move(reads)));
  PLATFORM_CO_TRY(auto first, parse_view(replies.at(0), first_user));
  PLATFORM_CO_TRY(auto second, parse_view(replies.at(1), second_user));
  co_return TwoCarts{std::move(first), std::move(second)};
}

boost::asio::awaitable<platform::Result<bool>> CartStore::end_session(const StoredView& before,
                                                                      const Cart& ended) {
  std::vector<std::string> args{std::to_string(before.revision),
                                view_to_json(ended, before.revision + 1),
                                std::to_string(ended.item_count()), ended.user_id, cart_ttl_ms_};
  for (const auto& sku : skus_of(before.cart)) args.push_back(sku);
  std::vector<std::string> keys{view_key(ended.user_id), counter_key(ended.user_id),
                                stream_key(ended.user_id)};
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(end_session_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  co_return reply.as_integer() == 1;
}

boost::asio::awaitable<platform::Result<std::vector<std::string>>> CartStore::holders(
    std::string sku) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("SMEMBERS", holders_key(sku)));
  if (reply.is_error()) co_return unexpected_reply(reply);
  std::vector<std::string> users;
  for (const auto& element : reply.elements()) users.push_back(element.as_string());
  co_return users;
}

boost::asio::awaitable<platform::Result<std::vector<StreamEntry>>> CartStore::read_stream(
    std::string user_id) {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("XRANGE", stream_key(user_id), "-", "+"));
  if (reply.is_error()) co_return unexpected_reply(reply);
  std::vector<StreamEntry> entries;
  for (const auto& item : reply.elements()) {
    // [id, [field, value, ...]]
    if (item.elements().size() != 2) co_return make_error(Errc::internal, "bad stream entry");
    StreamEntry entry;
    const auto& fields = item.elements()[1].elements();
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      const auto& name = fields[i].as_string();
      const auto& value = fields[i + 1].as_string();
      if (name == "kind") {
        entry.kind = value;
      } else if (name == "op") {
        entry.remove = value == "remove";
      } else if (name == "session_id") {
        entry.session_id = value;
      } else if (name == "version") {
        entry.version = fields[i + 1].as_integer();
      } else if (name == "line") {
        PLATFORM_CO_TRY(entry.line, line_state_from_json(value));
      }
    }
    entries.push_back(std::move(entry));
  }
  co_return entries;
}

boost::asio::awaitable<platform::Status> CartStore::write_rebuilt(const Cart& cart) {
  PLATFORM_CO_TRY(auto current, co_await load(cart.user_id));
  std::vector<std::vector<std::string>> writes{
      {"SET", view_key(cart.user_id), view_to_json(cart, current.revision + 1)},
      {"SET", counter_key(cart.user_id), std::to_string(cart.item_count())}};
  if (cart_ttl_ms_ != "0") {  // a rebuild counts as a change: the cart lives cart_ttl again
    for (const auto& key :
         {view_key(cart.user_id), counter_key(cart.user_id), stream_key(cart.user_id)}) {
      writes.push_back({"PEXPIRE", key, cart_ttl_ms_});
    }
  }
  PLATFORM_CO_TRY(auto reply, co_await redis_.pipeline(std::move(writes)));
  for (const auto& r : reply) {
    if (r.is_error()) co_return unexpected_reply(r);
  }
  co_return platform::Status{};
}

}  // namespace cart
