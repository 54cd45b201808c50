#pragma once
// A catalog product with test defaults (a 12 kg, 60x85x60 cm item), for tests of the Cart and of
// the catalog import.
#include <cstdint>
#include <string>
#include <vector>

#include "contracts/catalog_product.hpp"

namespace contracts::testing {

inline Product test_product(std::string sku, std::string category, std::int64_t price,
                            std::int64_t stock, std::vector<std::string> flags = {}) {
  Product p;
  p.sku = std::move(sku);
  p.name = "Produkt testowy " + p.sku;
  p.category = std::move(category);
  p.price = platform::pln(price);
  p.stock = stock;
  p.weight_g = 12000;
  p.dimensions_mm = {600, 850, 600};
  p.flags = std::move(flags);
  return p;
}

}  // namespace contracts::testing
