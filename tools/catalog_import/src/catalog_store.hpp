#pragma once
// The catalog's Redis keys, and nothing else:
//   catalog:product:{sku}  one product, the JSON product_to_json writes (read by the Cart)
//   outbox:catalog         the transactional outbox stream (platform/outbox)
// A write is a compare-and-set per product: the record is replaced, and its events appended to
// the outbox, in one Lua script, only if the record is still what load() returned.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"
#include "platform/redis/client.hpp"

namespace catalog_import {

struct ProductWrite {
  std::string sku;
  std::optional<std::string> expected;  // the record load() saw (nullopt: there was none)
  std::string json;
  std::vector<platform::CloudEvent> events;
};

class CatalogStore {
 public:
  CatalogStore(platform::redis::RedisClient& redis, std::string outbox_stream);

  // The stored record of each sku, in order (nullopt where there is none), in one MGET.
  [[nodiscard]] boost::asio::awaitable<platform::Result<std::vector<std::optional<std::string>>>>
  load(std::vector<std::string> skus);
  // Applies the writes in one script; per write, true when applied, false when the record had
  // changed since load() (nothing of that write is applied).
  [[nodiscard]] boost::asio::awaitable<platform::Result<std::vector<bool>>> write(
      std::vector<ProductWrite> writes);
  // Entries still waiting in the outbox stream (XLEN).
  [[nodiscard]] boost::asio::awaitable<platform::Result<std::int64_t>> outbox_length();

 private:
  platform::redis::RedisClient& redis_;
  std::string outbox_stream_;
  platform::redis::Script write_script_;
};

}  // namespace catalog_import
