#include "platform/rules/node.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/rules/digest.hpp"
#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"
#include "sample_rules.hpp"

using platform::rules::Node;
using platform::rules::parse_rules;
using platform::rules::quote;

namespace {

constexpr std::string_view kGood = R"(# shipping rules
carrier: inpost
mode: express
free_shipping: false
max_parcels: 3
zones:
  - name: north
    price: 1250
    note: "fragile goods: +1 day"
  - name: south
    price: 0
surcharges:
  oversize: 2500
  island: 4000
)";

platform::Result<sample::Rules> parse(std::string_view text) {
  return parse_rules<sample::Rules>(text, "shipping_rules.yaml", sample::parse_rules);
}

// The error message for `text`, or a note that it parsed.
std::string error_of(std::string_view text) {
  return platform::rules::testing::error_of(parse(text));
}

// kGood with `from` (which must occur exactly once) replaced by `to`.
std::string good_with(std::string_view from, std::string_view to) {
  return platform::rules::testing::replace_once(kGood, from, to);
}

// A document of one value, `key`, read by `read`: the readers on their own.
template <class T, class Read>
platform::Result<T> read_one(std::string_view text, Read read) {
  return parse_rules<T>(text, "one.yaml", [&](const Node& root) {
    root.only_keys({"key", "other"});
    return read(root["key"]);
  });
}

}  // namespace

TEST(RulesNode, ParsesAGoodFile) {
  auto rules = parse(kGood);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->carrier, sample::Carrier::inpost);
  EXPECT_EQ(rules->mode, "express");
  EXPECT_FALSE(rules->free_shipping);
  EXPECT_EQ(rules->max_parcels, 3);
  ASSERT_EQ(rules->zones.size(), 2u);
  EXPECT_EQ(rules->zones[0].name, "north");
  EXPECT_EQ(rules->zones[0].price, 1250);
  EXPECT_EQ(rules->zones[0].note, "fragile goods: +1 day");
  EXPECT_EQ(rules->zones[1].price, 0);
  EXPECT_EQ(rules->zones[1].note, std::nullopt);
  EXPECT_EQ(rules->surcharges,
            (std::map<std::string, std::int64_t>{{"island", 4000}, {"oversize", 2500}}));
}

TEST(RulesNode, OptionalSectionsMayBeLeftOut) {
  auto rules = parse(good_with("surcharges:\n  oversize: 2500\n  island: 4000\n", ""));
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_TRUE(rules->surcharges.empty());
}

TEST(RulesNode, MoneyMustBeWholeGrosze) {
  EXPECT_EQ(error_of(good_with("price: 1250", "price: 12.50")),
            "shipping_rules.yaml:8:12: 'price' must be an amount in grosze (a non-negative "
            "integer), got \"12.50\"");
  EXPECT_EQ(error_of(good_with("price: 0", "price: -5")),
            "shipping_rules.yaml:11:12: 'price' must be an amount in grosze (a non-negative "
            "integer), got \"-5\"");
  EXPECT_EQ(error_of(good_with("island: 4000", "island: 40 zl")),
            "shipping_rules.yaml:14:11: 'island' must be an amount in grosze (a non-negative "
            "integer), got \"40 zl\"");
  EXPECT_EQ(error_of(good_with("price: 1250", "price: 99999999999999999999")),
            "shipping_rules.yaml:8:12: 'price' must be an amount in grosze (a non-negative "
            "integer), got \"99999999999999999999\"");
}

TEST(RulesNode, IntegersAreRangeChecked) {
  EXPECT_EQ(error_of(good_with("max_parcels: 3", "max_parcels: 11")),
            "shipping_rules.yaml:5:14: 'max_parcels' must be an integer from 1 to 10, got \"11\"");
  EXPECT_EQ(error_of(good_with("max_parcels: 3", "max_parcels: three")),
            "shipping_rules.yaml:5:14: 'max_parcels' must be an integer from 1 to 10, got "
            "\"three\"");
  EXPECT_EQ(error_of(good_with("max_parcels: 3", "max_parcels: [3]")),
            "shipping_rules.yaml:5:14: 'max_parcels' must be an integer from 1 to 10, got a list");
}

TEST(RulesNode, BooleansAreTrueOrFalse) {
  EXPECT_EQ(error_of(good_with("free_shipping: false", "free_shipping: yes")),
            "shipping_rules.yaml:4:16: 'free_shipping' must be true or false, got \"yes\"");
  auto rules = parse(good_with("free_shipping: false", "free_shipping: True"));
  ASSERT_TRUE(rules);
  EXPECT_TRUE(rules->free_shipping);
}

TEST(RulesNode, EnumsNameTheirChoices) {
  EXPECT_EQ(error_of(good_with("carrier: inpost", "carrier: ups")),
            "shipping_rules.yaml:2:10: 'carrier' must be one of \"dpd\", \"inpost\", got \"ups\"");
  EXPECT_EQ(error_of(good_with("mode: express", "mode: Express")),
            "shipping_rules.yaml:3:7: 'mode' must be one of \"standard\", \"express\", got "
            "\"Express\"");
}

TEST(RulesNode, RequiredValuesAndStrings) {
  EXPECT_EQ(error_of(good_with("    price: 0\n", "")),
            "shipping_rules.yaml:10:5: 'price' is required in 'zones[1]'");
  EXPECT_EQ(error_of(good_with("mode: express\n", "")),
            "shipping_rules.yaml:2:1: 'mode' is required");
  EXPECT_EQ(error_of(good_with("name: south", "name:")),
            "shipping_rules.yaml:10:5: 'name' must be a non-empty string, got nothing");
  EXPECT_EQ(error_of(good_with("name: south", "name: \"\"")),
            "shipping_rules.yaml:10:11: 'name' must be a non-empty string, got \"\"");
  EXPECT_EQ(error_of(good_with("name: south", "name: {first: south}")),
            "shipping_rules.yaml:10:11: 'name' must be a non-empty string, got a map");
}

TEST(RulesNode, ListsAndMapsMustHaveTheirShape) {
  EXPECT_EQ(error_of(good_with(kGood.substr(kGood.find("zones:"),
                                            kGood.find("surcharges:") - kGood.find("zones:")),
                               "zones: north\n")),
            "shipping_rules.yaml:6:8: 'zones' must be a list, got \"north\"");
  EXPECT_EQ(error_of(good_with("surcharges:\n  oversize: 2500\n  island: 4000\n",
                               "surcharges: [2500, 4000]\n")),
            "shipping_rules.yaml:12:13: 'surcharges' must be a map, got a list");
  EXPECT_EQ(error_of("- carrier: dpd\n"),
            "shipping_rules.yaml:1:1: the document must be a map, got a list");
  EXPECT_EQ(error_of(""), "shipping_rules.yaml: the document must be a map, got nothing");
  EXPECT_EQ(error_of("# only a comment\n"),
            "shipping_rules.yaml: the document must be a map, got nothing");
}

TEST(RulesNode, UnknownKeysAreRejectedAtTheirLine) {
  EXPECT_EQ(error_of(good_with("    note:", "    colour: red\n    note:")),
            "shipping_rules.yaml:9:5: unknown key 'colour' in 'zones[0]' (allowed: name, price, "
            "note)");
  EXPECT_EQ(error_of(good_with("max_parcels: 3", "max_parcel: 3")),
            "shipping_rules.yaml:5:1: unknown key 'max_parcel' (allowed: carrier, mode, "
            "free_shipping, max_parcels, zones, surcharges)");
}

TEST(RulesNode, DuplicateKeysAreRejected) {
  EXPECT_EQ(error_of(good_with("    price: 0\n", "    price: 0\n    price: 100\n")),
            "shipping_rules.yaml:12:5: duplicate key 'price'");
}

TEST(RulesNode, SyntaxErrorsNameLineAndColumn) {
  // yaml-cpp reports where it noticed: the next key after the unclosed list.
  EXPECT_EQ(error_of(good_with("    price: 1250\n", "    price: [1250\n")),
            "shipping_rules.yaml:9:9: YAML syntax error: end of sequence flow not found");
  const auto tab = error_of("carrier: dpd\n\tmode: express\n");
  EXPECT_EQ(tab.rfind("shipping_rules.yaml:2:", 0), 0u) << tab;
  EXPECT_NE(tab.find("YAML syntax error"), std::string::npos) << tab;
  EXPECT_EQ(error_of(std::string(kGood) + "---\ncarrier: dpd\n"),
            "shipping_rules.yaml:16:1: only one YAML document is allowed");
}

TEST(RulesNode, OptionalIntegersAreRangeCheckedWhenPresent) {
  const auto read = [](const Node& node) {
    return node.optional_integer(1, 10);
  };
  EXPECT_EQ(*read_one<std::optional<std::int64_t>>("key: 10\n", read), 10);
  EXPECT_EQ(*read_one<std::optional<std::int64_t>>("other: 1\n", read), std::nullopt);
  EXPECT_EQ(*read_one<std::optional<std::int64_t>>("key:\n", read), std::nullopt);
  EXPECT_EQ(
      platform::rules::testing::error_of(read_one<std::optional<std::int64_t>>("key: 0\n", read)),
      "one.yaml:1:6: 'key' must be an integer from 1 to 10, got \"0\"");
}

TEST(RulesNode, IdentifiersAreLowercaseWords) {
  const auto read = [](const Node& node) {
    return node.identifier();
  };
  const auto error_of = [&](std::string_view text) {
    return platform::rules::testing::error_of(read_one<std::string>(text, read));
  };
  EXPECT_EQ(*read_one<std::string>("key: two_person\n", read), "two_person");
  EXPECT_EQ(error_of("key: Two_person\n"),
            "one.yaml:1:6: 'key' must be an id (a lowercase letter, then up to 63 lowercase "
            "letters, digits or _), got \"Two_person\"");
  EXPECT_EQ(error_of("key: two-person\n"),
            "one.yaml:1:6: 'key' must be an id (a lowercase letter, then up to 63 lowercase "
            "letters, digits or _), got \"two-person\"");
  EXPECT_EQ(error_of("key: [two_person]\n"),
            "one.yaml:1:6: 'key' must be an id (a lowercase letter, then up to 63 lowercase "
            "letters, digits or _), got a list");
  EXPECT_EQ(error_of("other: x\n"), "one.yaml:1:1: 'key' is required");
  const std::string longest = "a" + std::string(63, '9');
  EXPECT_EQ(*read_one<std::string>("key: " + longest + "\n", read), longest);
  EXPECT_NE(error_of("key: " + longest + "9\n").find("must be an id"), std::string::npos);
}

TEST(RulesNode, DistinctNamesFromASet) {
  using Names = std::vector<std::string>;
  const auto read = [](const Node& node) {
    return node.distinct_one_of({"north", "south", "east"});
  };
  const auto error_of = [&](std::string_view text) {
    return platform::rules::testing::error_of(read_one<Names>(text, read));
  };
  EXPECT_EQ(*read_one<Names>("key: [south, north]\n", read), (Names{"south", "north"}));
  EXPECT_EQ(*read_one<Names>("key: []\n", read), Names{});
  EXPECT_EQ(*read_one<Names>("key:\n", read), Names{});
  EXPECT_EQ(*read_one<Names>("other: 1\n", read), Names{});
  EXPECT_EQ(error_of("key: [north, west]\n"),
            "one.yaml:1:14: 'key[1]' must be one of \"north\", \"south\", \"east\", got \"west\"");
  EXPECT_EQ(error_of("key: [north, south, north]\n"),
            "one.yaml:1:21: \"north\" is listed twice in 'key'");
  EXPECT_EQ(error_of("key: north\n"), "one.yaml:1:6: 'key' must be a list, got \"north\"");

  // The set may be a constant shared by several parse functions.
  static constexpr std::array<std::string_view, 2> kSides = {"left", "right"};
  const auto sides = read_one<Names>("key: [right]\n",
                                     [](const Node& node) { return node.distinct_one_of(kSides); });
  EXPECT_EQ(*sides, Names{"right"});
}

TEST(RulesNode, QuotedValuesAreEscapedAndCut) {
  EXPECT_EQ(quote("carry_in"), "\"carry_in\"");
  EXPECT_EQ(quote(R"(a "b" \c)"), R"("a \"b\" \\c")");
  EXPECT_EQ(quote(std::string(61, 'x')), "\"" + std::string(60, 'x') + "...\"");
}

TEST(RulesTesting, ExpectRulesErrorChecksThePlaceAndTheMessage) {
  using platform::rules::testing::expect_rules_error;
  // Statics: EXPECT_NONFATAL_FAILURE's statement may not use the test's locals.
  static const auto bad = parse(good_with("max_parcels: 3", "max_parcels: 11"));
  static const auto good = parse(kGood);
  expect_rules_error(bad, "5:14", "an integer from 1 to 10");
  EXPECT_NONFATAL_FAILURE(expect_rules_error(bad, "5:4", "an integer"), "at 5:4");
  EXPECT_NONFATAL_FAILURE(expect_rules_error(bad, "15:14", "an integer"), "at 15:14");
  EXPECT_NONFATAL_FAILURE(expect_rules_error(bad, "5:14", "from 0"), "'max_parcels' must be");
  EXPECT_NONFATAL_FAILURE(expect_rules_error(good, "1:1", "carrier"), "(parsed)");
}

TEST(RulesNode, FailReportsAServiceRule) {
  auto parse_range = [](const Node& root) {
    root.only_keys({"min", "max"});
    const auto min = root["min"].money();
    const auto max = root["max"].money();
    if (max < min) root["max"].fail("'max' must not be below 'min'");
    return max - min;
  };
  auto ok = parse_rules<std::int64_t>("min: 100\nmax: 300\n", "range.yaml", parse_range);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 200);
  auto bad = parse_rules<std::int64_t>("min: 300\nmax: 100\n", "range.yaml", parse_range);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "range.yaml:2:6: 'max' must not be below 'min'");
  EXPECT_EQ(bad.error().reason, "rules_invalid");
}

TEST(RulesNode, YamlCppErrorsFromRawAccessAreReportedToo) {
  auto parse_raw = [](const Node& root) {
    return root.yaml()["n"].as<int>();
  };
  auto bad = parse_rules<int>("n: many\n", "raw.yaml", parse_raw);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind("raw.yaml:1:4: ", 0), 0u) << bad.error().message;
}

TEST(RulesNode, AliasBombsAreStopped) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'h'; ++name) {
    text += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", *" : "*") + previous;
    text += "]\n";
    previous = name;
  }
  auto bad = parse_rules<int>(text, "bomb.yaml", [](const Node&) { return 0; });
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("nested too deep or too large"), std::string::npos);
}

TEST(DocumentDigest, ValuesCountCommentsDoNot) {
  auto digest_of = [](std::string_view text) {
    std::string digest;
    auto status = platform::rules::detail::parse_document(
        text, "rules.yaml",
        [&](const Node& root) { digest = platform::rules::document_digest(root); });
    EXPECT_TRUE(status) << status.error().message;
    return digest;
  };
  const auto base = digest_of("prices:\n  - { from: 1, fixed: 14900 }\n");
  EXPECT_EQ(base.size(), 16U);
  EXPECT_EQ(base, digest_of("# a comment\nprices:\n  - { from: 1, fixed: 14900 }  # more\n"));
  EXPECT_NE(base, digest_of("prices:\n  - { from: 1, fixed: 12900 }\n"));
}
