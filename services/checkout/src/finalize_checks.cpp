#include "finalize_checks.hpp"

#include <algorithm>

namespace checkout {

CatalogVerdict check_against_catalog(const contracts::CartCopy& cart, const Catalog& catalog) {
  CatalogVerdict verdict;
  for (const auto& line : cart.lines) {
    const auto product = catalog.find(line.sku);
    if (product == catalog.end()) {
      verdict.unavailable.push_back(line.item_id);
      continue;
    }
    if (product->second.price != line.unit_price) {
      verdict.changed.push_back(
          ChangedPrice{line.item_id, line.sku, line.name, line.unit_price, product->second.price});
    }
  }
  return verdict;
}

std::vector<std::string> skus_of(const contracts::CartCopy& cart) {
  std::vector<std::string> skus;
  skus.reserve(cart.lines.size());
  for (const auto& line : cart.lines) skus.push_back(line.sku);
  std::sort(skus.begin(), skus.end());
  skus.erase(std::unique(skus.begin(), skus.end()), skus.end());
  return skus;
}

bool cash_on_delivery_refused(const CheckoutView& view) {
  const auto& payment = view.payment.method;
  const auto& delivery = view.shipping.method;
  return payment && !payment->gateway && delivery && !delivery->cash_on_delivery_allowed;
}

std::vector<StockItem> stock_items(const contracts::CartCopy& cart) {
  std::map<std::string, std::int64_t, std::less<>> quantities;
  for (const auto& line : cart.lines) {
    if (!line.is_service()) quantities[line.sku] += line.quantity;
  }
  std::vector<StockItem> items;
  items.reserve(quantities.size());
  for (const auto& [sku, quantity] : quantities) items.push_back(StockItem{sku, quantity});
  return items;
}

}  // namespace checkout
