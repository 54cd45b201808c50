#pragma once
// The shape of a catalog sku (common.schema.json#/$defs/sku): ^[A-Z0-9-]{3,40}$, checked without
// std::regex (the Cart checks one on every add). Pure, thread-safe.
#include <algorithm>
#include <string_view>

namespace contracts {

constexpr bool is_sku(std::string_view sku) {
  if (sku.size() < 3 || sku.size() > 40) return false;
  return std::all_of(sku.begin(), sku.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace contracts
