#include "catalog_file.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <unordered_map>

namespace catalog_import {
namespace {

constexpr std::array<std::string_view, 9> kFields = {
    "sku", "name", "category", "price", "currency", "stock", "weight_g", "dimensions_mm", "flags"};
constexpr std::array<std::string_view, 5> kFlags = {"large_appliance", "needs_assembly",
                                                    "needs_installation", "fragile", "standalone"};
// The event contracts cap names at 300 characters; a longer one would publish an invalid event.
constexpr std::size_t kMaxNameChars = 300;

std::size_t utf8_chars(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

template <std::size_t N>
bool known(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The rules of the file format beyond what product_from_json checks; empty when the line is fine.
std::string file_rule_error(const boost::json::object& obj, const contracts::Product& product) {
  for (const auto field : kFields) {
    if (!obj.contains(field)) return "catalog product: '" + std::string(field) + "' is required";
  }
  for (const auto& [key, value] : obj) {
    if (!known(kFields, key)) return "catalog product: unknown field '" + std::string(key) + "'";
  }
  if (obj.at("dimensions_mm").as_object().size() != 3) {
    return "catalog product: 'dimensions_mm' must hold only width, height and depth";
  }
  if (utf8_chars(product.name) > kMaxNameChars) {
    return "catalog product: 'name' must be at most 300 characters";
  }
  for (std::size_t i = 0; i < product.flags.size(); ++i) {
    const auto& flag = product.flags[i];
    if (!known(kFlags, flag)) return "catalog product: unknown flag '" + flag + "'";
    if (std::find(product.flags.begin(), product.flags.begin() + static_cast<std::ptrdiff_t>(i),
                  flag) != product.flags.begin() + static_cast<std::ptrdiff_t>(i)) {
      return "catalog product: duplicate flag '" + flag + "'";
    }
  }
  if (product.has_flag("standalone") && !product.is_service()) {
    return "catalog product: flag 'standalone' is only for category 'service'";
  }
  return {};
}

}  // namespace

CatalogFile parse_catalog(std::string_view text) {
  CatalogFile file;
  std::unordered_map<std::string, std::size_t> first_line;  // sku -> line
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    auto fail = [&](std::string message) {
      file.errors.push_back({number, std::move(message)});
    };
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      fail("blank line");
      continue;
    }
    boost::system::error_code ec;
    const auto json = boost::json::parse(line, ec);
    if (ec) {
      fail("not JSON: " + ec.message());
      continue;
    }
    auto product = contracts::product_from_json(json);
    if (!product) {
      fail(product.error().message);
      continue;
    }
    if (auto problem = file_rule_error(json.as_object(), *product); !problem.empty()) {
      fail(std::move(problem));
      continue;
    }
    if (auto [it, inserted] = first_line.emplace(product->sku, number); !inserted) {
      fail("duplicate sku " + product->sku + " (first on line " + std::to_string(it->second) + ")");
      continue;
    }
    file.products.push_back(std::move(*product));
  }
  if (number == 0) file.errors.push_back({0, "the file has no products"});
  if (!file.errors.empty()) file.products.clear();
  return file;
}

std::string format_error(std::string_view file_name, const LineError& error) {
  std::string out(file_name);
  if (error.line != 0) out += ":" + std::to_string(error.line);
  return out + ": " + error.message;
}

}  // namespace catalog_import
