#pragma once
// The real-time checks of finalize that the summary's readiness does not make, against the
// catalog as it is now (SPEC.md decision 3: the catalog's own record, not the cart's copy): each
// line's price equals the catalog's current price, each product is still sold, and cash on
// delivery goes only with a delivery method that allows it. And what the order holds in stock:
// the goods, one quantity per SKU. Pure.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "contracts/catalog_product.hpp"
#include "platform/money.hpp"
#include "view.hpp"

namespace checkout {

// Catalog records by SKU; a SKU missing here is no longer sold.
using Catalog = std::map<std::string, contracts::Product, std::less<>>;

struct ChangedPrice {
  std::string item_id;
  std::string sku;
  std::string name;
  platform::Money old_unit_price;  // what the cart (and the summary the customer saw) says
  platform::Money new_unit_price;  // the catalog's now
  friend bool operator==(const ChangedPrice&, const ChangedPrice&) = default;
};

struct CatalogVerdict {
  std::vector<ChangedPrice> changed;
  std::vector<std::string> unavailable;  // item ids whose product the catalog no longer has
  bool ok() const { return changed.empty() && unavailable.empty(); }
};

CatalogVerdict check_against_catalog(const contracts::CartCopy& cart, const Catalog& catalog);

// The SKUs `cart` names (for one catalog read), sorted, without repeats.
std::vector<std::string> skus_of(const contracts::CartCopy& cart);

// True when the chosen payment is cash on delivery and the chosen delivery method does not
// take it (the Payment clears such a choice, but its event may not have arrived yet).
bool cash_on_delivery_refused(const CheckoutView& view);

struct StockItem {
  std::string sku;
  std::int64_t quantity = 0;
  friend bool operator==(const StockItem&, const StockItem&) = default;
};

// What the order holds: every line that is not a service, quantities of one SKU added, sorted by
// SKU (a fixed order for the ledger's script).
std::vector<StockItem> stock_items(const contracts::CartCopy& cart);

}  // namespace checkout
