#include "stock_ledger.hpp"

#include "contracts/catalog_product.hpp"
#include "platform/redis/replies.hpp"

namespace checkout {
namespace {

using platform::Errc;
using platform::make_error;
using platform::redis::Reply;

// KEYS: per item the catalog record, the stock hash and the holds set (3 keys each).
// ARGV[1] now (ms), ARGV[2] order id, ARGV[3] the holds' expiry (ms), ARGV[4 ..] the quantities.
constexpr std::string_view kPrelude = R"lua(
local now = tonumber(ARGV[1])
local order = ARGV[2]
local items = #KEYS / 3
local function keys_of(i) return KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i] end
local function drop_lapsed(stock, holds)
  local lapsed = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  for _, id in ipairs(lapsed) do
    local units = tonumber(redis.call('HGET', stock, 'hold:' .. id) or '0')
    redis.call('HDEL', stock, 'hold:' .. id)
    redis.call('HINCRBY', stock, 'held', -units)
  end
  if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', holds, '-inf', now) end
end
local function free_units(catalog, stock)
  local record = redis.call('GET', catalog)
  local on_hand = 0
  if record then on_hand = tonumber(cjson.decode(record)['stock']) or 0 end
  local held = tonumber(redis.call('HGET', stock, 'held') or '0')
  local sold = tonumber(redis.call('HGET', stock, 'sold') or '0')
  return on_hand - held - sold, on_hand, held, sold
end
-- The items (by index) that need `field` missing and more units than are free: {i, free, ...}.
local function shortages(missing_field)
  local short = {}
  for i = 1, items do
    local catalog, stock, holds = keys_of(i)
    drop_lapsed(stock, holds)
    local wanted = tonumber(ARGV[3 + i])
    local covered = false
    for _, field in ipairs(missing_field) do
      if redis.call('HEXISTS', stock, field .. order) == 1 then covered = true end
    end
    if not covered then
      local free = free_units(catalog, stock)
      if free < wanted then
        table.insert(short, i)
        table.insert(short, math.max(free, 0))
      end
    end
  end
  return short
end
)lua";

constexpr std::string_view kReserve = R"lua(
local short = shortages({'hold:', 'sale:'})
if #short > 0 then return short end
for i = 1, items do
  local _, stock, holds = keys_of(i)
  if redis.call('HEXISTS', stock, 'hold:' .. order) == 0 and
     redis.call('HEXISTS', stock, 'sale:' .. order) == 0 then
    local wanted = tonumber(ARGV[3 + i])
    redis.call('HSET', stock, 'hold:' .. order, wanted)
    redis.call('HINCRBY', stock, 'held', wanted)
    redis.call('ZADD', holds, ARGV[3], order)
  end
end
return {}
)lua";

// A hold (or a sale already made) covers the item; otherwise it needs free units.
constexpr std::string_view kSell = R"lua(
local short = shortages({'hold:', 'sale:'})
if #short > 0 then return short end
for i = 1, items do
  local _, stock, holds = keys_of(i)
  if redis.call('HEXISTS', stock, 'sale:' .. order) == 0 then
    local wanted = tonumber(ARGV[3 + i])
    local held = redis.call('HGET', stock, 'hold:' .. order)
    if held then
      redis.call('HDEL', stock, 'hold:' .. order)
      redis.call('HINCRBY', stock, 'held', -tonumber(held))
      redis.call('ZREM', holds, order)
      wanted = tonumber(held)
    end
    redis.call('HSET', stock, 'sale:' .. order, wanted)
    redis.call('HINCRBY', stock, 'sold', wanted)
  end
end
return {}
)lua";

constexpr std::string_view kRelease = R"lua(
for i = 1, items do
  local _, stock, holds = keys_of(i)
  drop_lapsed(stock, holds)
  local held = redis.call('HGET', stock, 'hold:' .. order)
  if held then
    redis.call('HDEL', stock, 'hold:' .. order)
    redis.call('HINCRBY', stock, 'held', -tonumber(held))
    redis.call('ZREM', holds, order)
  end
end
return {}
)lua";

constexpr std::string_view kLevel = R"lua(
local catalog, stock, holds = keys_of(1)
drop_lapsed(stock, holds)
local _, on_hand, held, sold = free_units(catalog, stock)
return {on_hand, held, sold}
)lua";

platform::redis::Script script(std::string name, std::string_view body) {
  return platform::redis::Script::from_source(std::move(name),
                                              std::string(kPrelude) + std::string(body));
}

std::vector<std::string> keys_of(const std::vector<StockItem>& items) {
  std::vector<std::string> keys;
  keys.reserve(items.size() * 3);
  for (const auto& item : items) {
    keys.push_back(contracts::catalog_product_key(item.sku));
    keys.push_back(stock_key(item.sku));
    keys.push_back(stock_holds_key(item.sku));
  }
  return keys;
}

std::vector<std::string> args_of(const std::vector<StockItem>& items, std::int64_t now_ms,
                                 std::string order_id, std::int64_t expires_ms) {
  std::vector<std::string> args{std::to_string(now_ms), std::move(order_id),
                                std::to_string(expires_ms)};
  for (const auto& item : items) args.push_back(std::to_string(item.quantity));
  return args;
}

platform::Result<std::vector<Shortage>> shortages_from(const Reply& reply,
                                                       const std::vector<StockItem>& items) {
  if (!reply.is_array() || reply.elements().size() % 2 != 0) {
    return platform::redis::unexpected_reply(reply);
  }
  std::vector<Shortage> shortages;
  const auto& values = reply.elements();
  for (std::size_t i = 0; i < values.size(); i += 2) {
    const auto index = values[i].as_integer();
    if (index < 1 || static_cast<std::size_t>(index) > items.size()) {
      return platform::redis::unexpected_reply(reply);
    }
    const auto& item = items[static_cast<std::size_t>(index - 1)];
    shortages.push_back(Shortage{item.sku, item.quantity, values[i + 1].as_integer()});
  }
  return shortages;
}

}  // namespace

std::string stock_key(std::string_view sku) {
  return "checkout:stock:{" + std::string(sku) + "}";
}
std::string stock_holds_key(std::string_view sku) {
  return "checkout:stock_holds:{" + std::string(sku) + "}";
}

StockLedger::StockLedger(platform::redis::RedisClient& redis)
    : redis_(redis),
      reserve_(script("stock reserve", kReserve)),
      sell_(script("stock sell", kSell)),
      release_(script("stock release", kRelease)),
      level_(script("stock level", kLevel)) {}

boost::asio::awaitable<platform::Result<std::vector<Shortage>>> StockLedger::reserve(
    std::string order_id, std::vector<StockItem> items, std::int64_t expires_ms,
    std::int64_t now_ms) {
  return run_for_shortages(reserve_, std::move(order_id), std::move(items), expires_ms, now_ms);
}

boost::asio::awaitable<platform::Result<std::vector<Shortage>>> StockLedger::sell(
    std::string order_id, std::vector<StockItem> items, std::int64_t now_ms) {
  return run_for_shortages(sell_, std::move(order_id), std::move(items), 0, now_ms);
}

boost::asio::awaitable<platform::Result<std::vector<Shortage>>> StockLedger::run_for_shortages(
    const platform::redis::Script& script, std::string order_id, std::vector<StockItem> items,
    std::int64_t expires_ms, std::int64_t now_ms) {
  if (items.empty()) co_return std::vector<Shortage>{};
  auto keys = keys_of(items);
  auto args = args_of(items, now_ms, std::move(order_id), expires_ms);
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(script, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return make_error(Errc::internal, script.name + ": " + reply.str);
  co_return shortages_from(reply, items);
}

boost::asio::awaitable<platform::Status> StockLedger::release(std::string order_id,
                                                              std::vector<StockItem> items,
                                                              std::int64_t now_ms) {
  if (items.empty()) co_return platform::Status{};
  auto keys = keys_of(items);
  auto args = args_of(items, now_ms, std::move(order_id), 0);
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(release_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return make_error(Errc::internal, "stock release: " + reply.str);
  co_return platform::Status{};
}

boost::asio::awaitable<platform::Result<StockLevel>> StockLedger::level(std::string sku,
                                                                        std::int64_t now_ms) {
  std::vector<StockItem> items{StockItem{std::move(sku), 0}};
  auto keys = keys_of(items);
  auto args = args_of(items, now_ms, "", 0);
  PLATFORM_CO_TRY(auto reply, co_await redis_.eval(level_, std::move(keys), std::move(args)));
  if (!reply.is_array() || reply.elements().size() != 3) {
    co_return platform::redis::unexpected_reply(reply);
  }
  const auto& values = reply.elements();
  co_return StockLevel{values[0].as_integer(), values[1].as_integer(), values[2].as_integer()};
}

}  // namespace checkout
