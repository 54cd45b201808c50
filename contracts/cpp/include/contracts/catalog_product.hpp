#pragma once
// A catalog product as the shop's product system delivers it (tools/catalog/README.md) and as it
// is stored under catalog:product:{sku}. The catalog is not a service of ours (SPEC.md decision
// 3): the import tool writes the record, the Cart and later services read it. Pure: no I/O.
#include <array>
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error.hpp"
#include "platform/money.hpp"

namespace platform {
class JsonWriter;
}

namespace contracts {

// The catalog's categories (common.schema.json#/$defs/category): those of goods, then "service",
// which marks the extra services the catalog sells as items.
inline constexpr std::array<std::string_view, 9> kProductCategories = {
    "tv",     "fridge", "washing_machine", "dishwasher", "furniture",
    "laptop", "phone",  "accessory",       "service"};
// The categories of goods: all but "service". What a rule about products may name.
inline constexpr std::span<const std::string_view> kGoodsCategories =
    std::span(kProductCategories).first<kProductCategories.size() - 1>();
static_assert(kProductCategories.back() == "service");

// The catalog's handling flags (common.schema.json#/$defs/flag): those of goods, then
// "standalone", which marks a service sold for the cart rather than for one product.
inline constexpr std::array<std::string_view, 5> kProductFlags = {
    "large_appliance", "needs_assembly", "needs_installation", "fragile", "standalone"};
// The flags of goods: all but "standalone". What a rule about products may name.
inline constexpr std::span<const std::string_view> kGoodsFlags =
    std::span(kProductFlags).first<kProductFlags.size() - 1>();
static_assert(kProductFlags.back() == "standalone");

struct Dimensions {
  std::int64_t width = 0;  // millimetres
  std::int64_t height = 0;
  std::int64_t depth = 0;
  friend bool operator==(const Dimensions&, const Dimensions&) = default;
};

struct Product {
  std::string sku;
  std::string name;
  std::string category;  // one of kProductCategories
  platform::Money price;
  std::int64_t stock = 0;
  std::int64_t weight_g = 0;
  Dimensions dimensions_mm;
  std::vector<std::string> flags;  // of kProductFlags

  [[nodiscard]] bool has_flag(std::string_view flag) const;
  [[nodiscard]] bool is_service() const { return category == "service"; }
  friend bool operator==(const Product&, const Product&) = default;
};

// Parses and validates one catalog record; errors name the field (Errc::invalid / malformed).
[[nodiscard]] platform::Result<Product> product_from_json(const boost::json::value& json);
boost::json::object product_to_json(const Product& product);
// The Money shape every event uses: {"amount": <grosze>, "currency": "PLN"}.
boost::json::object money_to_json(const platform::Money& money);
// The same, written by a JsonWriter (at the writer's position: after a key, or in an array).
void write_money(platform::JsonWriter& out, const platform::Money& money);
boost::json::object dimensions_to_json(const Dimensions& dimensions);

// A category of goods as a customer reads it in a list, in Polish plural ("z kategorii: lodówki,
// pralki"); an unknown category as it is.
std::string_view polish_category_plural(std::string_view category);

// "catalog:product:{<sku>}": the Redis key of one product (the braces are a Cluster hash tag).
std::string catalog_product_key(std::string_view sku);

}  // namespace contracts
