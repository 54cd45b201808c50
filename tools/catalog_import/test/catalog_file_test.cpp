#include "catalog_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace catalog_import {
namespace {

std::string line(std::string_view sku, std::string_view extra = "", std::int64_t price = 329900) {
  return R"({"sku": ")" + std::string(sku) +
         R"(", "name": "Telewizor", "category": "tv", "price": )" + std::to_string(price) +
         R"(, "currency": "PLN", "stock": 14, "weight_g": 17800, "dimensions_mm": {"width": 1227, "height": 777, "depth": 260}, "flags": ["fragile"])" +
         std::string(extra) + "}\n";
}

std::string service_line(std::string_view sku, std::string_view category, std::string_view flags) {
  return R"({"sku": ")" + std::string(sku) + R"(", "name": "Powiadomienie SMS", "category": ")" +
         std::string(category) +
         R"(", "price": 99, "currency": "PLN", "stock": 100000, "weight_g": 0, "dimensions_mm": {"width": 0, "height": 0, "depth": 0}, "flags": )" +
         std::string(flags) + "}\n";
}

TEST(CatalogFile, GoodFileKeepsProductsInOrder) {
  const auto file = parse_catalog(line("TV-A") + line("TV-B", "", 100) +
                                  service_line("SRV-SMS", "service", R"(["standalone"])"));
  ASSERT_TRUE(file.errors.empty()) << file.errors.front().message;
  ASSERT_EQ(file.products.size(), 3u);
  EXPECT_EQ(file.products[0].sku, "TV-A");
  EXPECT_EQ(file.products[0].price.amount, 329900);
  EXPECT_EQ(file.products[0].dimensions_mm.width, 1227);
  EXPECT_EQ(file.products[1].price.amount, 100);
  EXPECT_TRUE(file.products[2].is_service());
  EXPECT_TRUE(file.products[2].has_flag("standalone"));
}

TEST(CatalogFile, LastLineWithoutNewlineAndCrlfAreAccepted) {
  auto text = line("TV-A");
  text.insert(text.size() - 1, "\r");
  auto last = line("TV-B");
  last.pop_back();
  const auto file = parse_catalog(text + last);
  EXPECT_TRUE(file.errors.empty());
  EXPECT_EQ(file.products.size(), 2u);
}

TEST(CatalogFile, BadJsonLineIsReportedWithItsNumber) {
  const auto file = parse_catalog(line("TV-A") + "{\"sku\": \"TV-B\",\n" + line("TV-C"));
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].line, 2u);
  EXPECT_NE(file.errors[0].message.find("not JSON"), std::string::npos);
  EXPECT_TRUE(file.products.empty()) << "all or nothing";
}

TEST(CatalogFile, MissingFieldIsNamed) {
  const auto file = parse_catalog(
      R"({"sku": "TV-A", "name": "x", "category": "tv", "price": 1, "currency": "PLN", "weight_g": 0, "dimensions_mm": {"width": 0, "height": 0, "depth": 0}, "flags": []})"
      "\n");
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].line, 1u);
  EXPECT_NE(file.errors[0].message.find("'stock'"), std::string::npos) << file.errors[0].message;
}

TEST(CatalogFile, FieldsTheCartParserTreatsAsOptionalAreRequired) {
  auto no_currency = line("TV-A");
  no_currency.replace(no_currency.find(R"("currency": "PLN", )"), 19, "");
  auto no_flags = line("TV-B");
  no_flags.replace(no_flags.find(R"(, "flags": ["fragile"])"), 22, "");
  const auto file = parse_catalog(no_currency + no_flags);
  ASSERT_EQ(file.errors.size(), 2u);
  EXPECT_NE(file.errors[0].message.find("'currency' is required"), std::string::npos);
  EXPECT_NE(file.errors[1].message.find("'flags' is required"), std::string::npos);
}

TEST(CatalogFile, DuplicateSkuPointsAtTheFirstLine) {
  const auto file = parse_catalog(line("TV-A") + line("TV-B") + line("TV-A"));
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].line, 3u);
  EXPECT_EQ(file.errors[0].message, "duplicate sku TV-A (first on line 1)");
  EXPECT_TRUE(file.products.empty());
}

TEST(CatalogFile, ReportsEveryBadLineWithItsNumber) {
  const auto file = parse_catalog(
      line("TV-A") +                       // 1 ok
      "not json\n" +                       // 2
      line("tv-lower") +                   // 3 sku shape
      "\n" +                               // 4 blank
      line("TV-B", "", 0) +                // 5 price 0
      line("TV-C", R"(, "color": "x")") +  // 6 unknown field
      line("TV-A") +                       // 7 duplicate
      R"({"sku": "TV-D", "name": "x", "category": "tv", "price": 3299.0, "currency": "PLN", "stock": 1, "weight_g": 0, "dimensions_mm": {"width": 0, "height": 0, "depth": 0}, "flags": []})"
      "\n" +                                                 // 8 float price
      service_line("SRV-X", "service", R"(["teleport"])") +  // 9
      service_line("TV-E", "tv", R"(["standalone"])") +      // 10
      line("TV-F"));                                         // 11 ok
  std::vector<std::size_t> lines;
  for (const auto& e : file.errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<std::size_t>{2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_TRUE(file.products.empty());
  ASSERT_EQ(file.errors.size(), 9u);
  EXPECT_NE(file.errors[1].message.find("'sku'"), std::string::npos);
  EXPECT_EQ(file.errors[2].message, "blank line");
  EXPECT_NE(file.errors[3].message.find("'price'"), std::string::npos);
  EXPECT_NE(file.errors[4].message.find("unknown field 'color'"), std::string::npos);
  EXPECT_NE(file.errors[6].message.find("'price' must be an integer"), std::string::npos);
  EXPECT_NE(file.errors[7].message.find("unknown flag 'teleport'"), std::string::npos);
  EXPECT_NE(file.errors[8].message.find("'standalone' is only for category 'service'"),
            std::string::npos);
}

TEST(CatalogFile, EmptyFileIsAnError) {
  const auto file = parse_catalog("");
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(format_error("c.jsonl", file.errors[0]), "c.jsonl: the file has no products");
}

TEST(CatalogFile, FormatErrorNamesFileAndLine) {
  EXPECT_EQ(format_error("dir/c.jsonl", {12, "blank line"}), "dir/c.jsonl:12: blank line");
}

TEST(CatalogFile, SampleCatalogIsValidAndHoldsTheServices) {
  std::ifstream in(std::string(CHECKOUT_SOURCE_DIR) + "/tools/catalog/sample_catalog.jsonl");
  ASSERT_TRUE(in);
  std::ostringstream text;
  text << in.rdbuf();
  const auto file = parse_catalog(text.str());
  ASSERT_TRUE(file.errors.empty()) << format_error("sample", file.errors.front());
  std::size_t services = 0;
  std::size_t standalone = 0;
  for (const auto& p : file.products) {
    if (!p.is_service()) continue;
    ++services;
    if (p.has_flag("standalone")) ++standalone;
    EXPECT_EQ(p.weight_g, 0) << p.sku;
    EXPECT_GT(p.price.amount, 0) << p.sku;
  }
  EXPECT_GE(services, 8u);
  EXPECT_EQ(standalone, 3u);
}

}  // namespace
}  // namespace catalog_import
