#pragma once
// What importing one product changes: compared with the stored record, it is added, updated or
// unchanged, and each change carries the catalog events it announces. Pure (no I/O).
#include <optional>
#include <string>
#include <vector>

#include "contracts/catalog_product.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"

namespace catalog_import {

enum class ChangeKind { added, updated, unchanged };

struct ProductChange {
  ChangeKind kind = ChangeKind::unchanged;
  std::string json;                          // the record to store (product_to_json)
  std::vector<platform::CloudEvent> events;  // empty when unchanged
};

// Shared by every event of one import run.
struct EventContext {
  std::string occurred_at;  // RFC 3339
  platform::TraceContext trace;
};

// `stored` is the record under catalog:product:{sku}, if any. A stored record that does not parse
// is replaced (updated) with CatalogProductUpserted alone, since its old price and stock are
// unknown. Events, in this order: CatalogProductUpserted when added or any field changed, then
// CatalogPriceChanged and CatalogStockChanged when those changed.
ProductChange plan_change(const contracts::Product& next, const std::optional<std::string>& stored,
                          const EventContext& context);

}  // namespace catalog_import
