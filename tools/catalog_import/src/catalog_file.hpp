#pragma once
// Parsing and validation of a catalog product file (JSON Lines, tools/catalog/README.md). Pure:
// no I/O, so the whole file is checked before anything is written.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/catalog_product.hpp"

namespace catalog_import {

// One bad line; line 0 is the file as a whole (e.g. it holds no products).
struct LineError {
  std::size_t line = 0;
  std::string message;
};

struct CatalogFile {
  std::vector<contracts::Product> products;  // in file order; empty when there are errors
  std::vector<LineError> errors;             // every bad line, in file order
};

// Validates each line with contracts::product_from_json plus the file rules the Cart's parser does
// not know: every field required, no unknown fields, known flags only ("standalone" only on a
// service), names up to 300 characters, and each sku unique in the file.
CatalogFile parse_catalog(std::string_view text);

// "FILE:LINE: message" ("FILE: message" for line 0).
std::string format_error(std::string_view file_name, const LineError& error);

}  // namespace catalog_import
