#include "catalog_store.hpp"

#include "contracts/catalog_product.hpp"
#include "platform/outbox/redis_outbox.hpp"

namespace catalog_import {
namespace {
using platform::Errc;
using platform::make_error;

// KEYS[1] the outbox stream, KEYS[2..] the product keys. Per product, ARGV holds:
// had-record ("1"/"0"), the expected record, the new record, the event count, then 9 values per
// event (outbox_argv). Returns one 1 (written) or 0 (record changed meanwhile) per product.
constexpr const char* kWriteLua = R"lua(
local results = {}
local a = 1
for i = 2, #KEYS do
  local had, expected, json, n = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  a = a + 4
  local current = redis.call('GET', KEYS[i])
  local same
  if had == '1' then same = (current == expected) else same = (current == false) end
  if same then
    redis.call('SET', KEYS[i], json)
    for e = 0, n - 1 do
      outbox_append_argv(KEYS[1], a + e * 9)
    end
    results[#results + 1] = 1
  else
    results[#results + 1] = 0
  end
  a = a + n * 9
end
return results
)lua";

platform::Error redis_error(const platform::redis::Reply& reply, std::string_view what) {
  return make_error(Errc::internal, std::string(what) + ": " + reply.as_string());
}

}  // namespace

CatalogStore::CatalogStore(platform::redis::RedisClient& redis, std::string outbox_stream)
    : redis_(redis),
      outbox_stream_(std::move(outbox_stream)),
      write_script_(platform::redis::Script::from_source(
          "catalog_write", std::string(platform::outbox::outbox_lua_append()) + kWriteLua)) {}

boost::asio::awaitable<platform::Result<std::vector<std::optional<std::string>>>>
CatalogStore::load(std::vector<std::string> skus) {
  std::vector<std::optional<std::string>> records;
  if (skus.empty()) co_return records;
  std::vector<std::string> args{"MGET"};
  for (const auto& sku : skus) args.push_back(contracts::catalog_product_key(sku));
  PLATFORM_CO_TRY(auto reply, co_await redis_.command(std::move(args)));
  if (reply.is_error()) co_return redis_error(reply, "MGET catalog");
  if (reply.elements().size() != skus.size()) {
    co_return make_error(Errc::internal, "MGET catalog: unexpected reply");
  }
  for (const auto& record : reply.elements()) {
    if (record.is_nil()) {
      records.emplace_back();
    } else {
      records.emplace_back(record.as_string());
    }
  }
  co_return records;
}

boost::asio::awaitable<platform::Result<std::vector<bool>>> CatalogStore::write(
    std::vector<ProductWrite> writes) {
  std::vector<bool> applied;
  if (writes.empty()) co_return applied;
  std::vector<std::string> keys{outbox_stream_};
  std::vector<std::string> args;
  for (auto& w : writes) {
    keys.push_back(contracts::catalog_product_key(w.sku));
    args.push_back(w.expected ? "1" : "0");
    args.push_back(w.expected.value_or(""));
    args.push_back(std::move(w.json));
    args.push_back(std::to_string(w.events.size()));
    for (const auto& event : w.events) {
      auto values = platform::outbox::outbox_argv(event);
      args.insert(args.end(), std::make_move_iterator(values.begin()),
                  std::make_move_iterator(values.end()));
    }
  }
  PLATFORM_CO_TRY(auto reply,
                  co_await redis_.eval(write_script_, std::move(keys), std::move(args)));
  if (reply.is_error()) co_return redis_error(reply, "catalog write script");
  if (reply.elements().size() != writes.size()) {
    co_return make_error(Errc::internal, "catalog write script: unexpected reply");
  }
  for (const auto& result : reply.elements()) applied.push_back(result.as_integer() == 1);
  co_return applied;
}

boost::asio::awaitable<platform::Result<std::int64_t>> CatalogStore::outbox_length() {
  PLATFORM_CO_TRY(auto reply, co_await redis_.command("XLEN", outbox_stream_));
  if (reply.is_error()) co_return redis_error(reply, "XLEN outbox");
  co_return reply.as_integer();
}

}  // namespace catalog_import
