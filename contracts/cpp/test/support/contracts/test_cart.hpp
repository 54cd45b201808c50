#pragma once
// Cart lines and a cart copy with test defaults, and Money printed readably, for the tests of the
// services that read the cart (the Shipping's and the Services' availability):
//   cart_of({product_line("f", Goods().category("fridge").weight(62400))})
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "platform/money.hpp"

// Readable failures: "14.99 PLN" rather than the bytes of a Money (GoogleTest finds PrintTo).
namespace platform {
// NOLINTNEXTLINE(readability-identifier-naming)
inline void PrintTo(const Money& money, std::ostream* out) {
  *out << to_string(money);
}
}  // namespace platform

namespace contracts::testing {

// A product line's data, set by name: Goods().category("fridge").weight(62400). By default a
// 1 kg, 10 cm accessory for 100,00 zł.
class Goods {
 public:
  Goods category(std::string value) && {
    category_ = std::move(value);
    return std::move(*this);
  }
  Goods weight(std::int64_t grams) && {
    weight_g_ = grams;
    return std::move(*this);
  }
  Goods size(std::int64_t width, std::int64_t height, std::int64_t depth) && {
    dimensions_mm_ = {width, height, depth};
    return std::move(*this);
  }
  Goods flags(std::vector<std::string> value) && {
    flags_ = std::move(value);
    return std::move(*this);
  }
  Goods price(std::int64_t grosze) && {
    unit_price_ = grosze;
    return std::move(*this);
  }
  Goods quantity(std::int64_t value) && {
    quantity_ = value;
    return std::move(*this);
  }

 private:
  friend CartLine product_line(std::string item_id, Goods goods);
  std::string category_ = "accessory";
  std::int64_t weight_g_ = 1000;
  Dimensions dimensions_mm_{100, 100, 100};
  std::vector<std::string> flags_;
  std::int64_t unit_price_ = 10000;
  std::int64_t quantity_ = 1;
};

// An offer line (type accessory in the accessory category) with sku "SKU-<item_id>".
inline CartLine product_line(std::string item_id, Goods goods) {
  CartLine line;
  line.item_id = std::move(item_id);
  line.type = goods.category_ == "accessory" ? "accessory" : "offer";
  line.sku = "SKU-" + line.item_id;
  line.name = "Produkt " + line.item_id;
  line.category = std::move(goods.category_);
  line.unit_price = platform::pln(goods.unit_price_);
  line.quantity = goods.quantity_;
  line.weight_g = goods.weight_g_;
  line.dimensions_mm = goods.dimensions_mm_;
  line.flags = std::move(goods.flags_);
  return line;
}

// The copy of session cs_test's cart (user user_test) after one cart event per line.
inline CartCopy cart_of(std::vector<CartLine> lines) {
  CartCopy cart;
  cart.session_id = "cs_test";
  cart.user_id = "user_test";
  cart.version = static_cast<std::int64_t>(lines.size());
  cart.cart_hash = "hash";
  cart.lines = std::move(lines);
  return cart;
}

}  // namespace contracts::testing
