#include "contracts/catalog_product.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "contracts/sku.hpp"
#include "platform/json_writer.hpp"

namespace contracts {
namespace {
using platform::Errc;
using platform::make_error;

platform::Error field_error(std::string_view field, std::string_view problem) {
  return make_error(Errc::invalid,
                    "catalog product: '" + std::string(field) + "' " + std::string(problem));
}

platform::Result<std::int64_t> read_int(const boost::json::object& obj, std::string_view field,
                                        std::int64_t min) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_int64()) return field_error(field, "must be an integer");
  if (value->as_int64() < min) return field_error(field, ">= " + std::to_string(min) + " required");
  return value->as_int64();
}

platform::Result<std::string> read_string(const boost::json::object& obj, std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return field_error(field, "must be a non-empty string");
  }
  return std::string(value->as_string());
}
}  // namespace

bool Product::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

platform::Result<Product> product_from_json(const boost::json::value& json) {
  if (!json.is_object()) return make_error(Errc::malformed, "catalog product must be an object");
  const auto& obj = json.as_object();
  Product product;
  PLATFORM_TRY(product.sku, read_string(obj, "sku"));
  if (!is_sku(product.sku)) {
    return field_error("sku", "must match ^[A-Z0-9-]{3,40}$");
  }
  PLATFORM_TRY(product.name, read_string(obj, "name"));
  PLATFORM_TRY(product.category, read_string(obj, "category"));
  if (std::find(kProductCategories.begin(), kProductCategories.end(), product.category) ==
      kProductCategories.end()) {
    return field_error("category", "is not a known category");
  }
  PLATFORM_TRY(product.price.amount, read_int(obj, "price", 1));
  if (const auto* currency = obj.if_contains("currency"); currency != nullptr) {
    if (!currency->is_string() || currency->as_string() != "PLN") {
      return field_error("currency", "must be PLN");
    }
  }
  PLATFORM_TRY(product.stock, read_int(obj, "stock", 0));
  PLATFORM_TRY(product.weight_g, read_int(obj, "weight_g", 0));
  const auto* dims = obj.if_contains("dimensions_mm");
  if (dims == nullptr || !dims->is_object())
    return field_error("dimensions_mm", "must be an object");
  PLATFORM_TRY(product.dimensions_mm.width, read_int(dims->as_object(), "width", 0));
  PLATFORM_TRY(product.dimensions_mm.height, read_int(dims->as_object(), "height", 0));
  PLATFORM_TRY(product.dimensions_mm.depth, read_int(dims->as_object(), "depth", 0));
  if (const auto* flags = obj.if_contains("flags"); flags != nullptr) {
    if (!flags->is_array()) return field_error("flags", "must be an array of strings");
    for (const auto& flag : flags->as_array()) {
      if (!flag.is_string()) return field_error("flags", "must be an array of strings");
      product.flags.emplace_back(flag.as_string());
    }
  }
  return product;
}

boost::json::object money_to_json(const platform::Money& money) {
  return {{"amount", money.amount}, {"currency", money.currency}};
}

void write_money(platform::JsonWriter& out, const platform::Money& money) {
  out.begin_object().key("amount").value(money.amount);
  out.key("currency").value(money.currency).end_object();
}

boost::json::object dimensions_to_json(const Dimensions& d) {
  return {{"width", d.width}, {"height", d.height}, {"depth", d.depth}};
}

boost::json::object product_to_json(const Product& p) {
  boost::json::array flags;
  for (const auto& flag : p.flags) flags.emplace_back(flag);
  return {{"sku", p.sku},
          {"name", p.name},
          {"category", p.category},
          {"price", p.price.amount},
          {"currency", p.price.currency},
          {"stock", p.stock},
          {"weight_g", p.weight_g},
          {"dimensions_mm", dimensions_to_json(p.dimensions_mm)},
          {"flags", std::move(flags)}};
}

std::string catalog_product_key(std::string_view sku) {
  return "catalog:product:{" + std::string(sku) + "}";
}

std::string_view polish_category_plural(std::string_view category) {
  if (category == "tv") return "telewizory";
  if (category == "fridge") return "lodówki";
  if (category == "washing_machine") return "pralki";
  if (category == "dishwasher") return "zmywarki";
  if (category == "furniture") return "meble";
  if (category == "laptop") return "laptopy";
  if (category == "phone") return "telefony";
  if (category == "accessory") return "akcesoria";
  return category;
}

}  // namespace contracts
