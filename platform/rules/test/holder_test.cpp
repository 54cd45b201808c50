#include "platform/rules/holder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "platform/metrics.hpp"
#include "sample_rules.hpp"

using platform::Errc;
using platform::rules::RulesError;
using platform::rules::RulesHolder;

namespace {

constexpr std::string_view kRules = R"(carrier: dpd
mode: standard
free_shipping: false
max_parcels: 2
zones:
  - name: north
    price: 1500
)";

// A rules file in its own temporary folder, removed with the fixture.
class RulesHolderTest : public ::testing::Test {
 protected:
  RulesHolderTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("platform_rules_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::create_directories(dir_);
  }
  ~RulesHolderTest() override { std::filesystem::remove_all(dir_); }

  std::string write(std::string_view text) {
    const auto path = (dir_ / "shipping_rules.yaml").string();
    std::ofstream(path, std::ios::trunc) << text;
    return path;
  }

  std::string rendered_counter(std::string_view result) const {
    const auto text = registry_.render();
    const std::string series =
        "rules_reload_total{rules=\"shipping\",result=\"" + std::string(result) + "\"} ";
    const auto at = text.find(series);
    if (at == std::string::npos) return "(missing)";
    return text.substr(at + series.size(), text.find('\n', at) - at - series.size());
  }

  std::filesystem::path dir_;
  platform::metrics::Registry registry_;
};

}  // namespace

TEST_F(RulesHolderTest, LoadsAtConstruction) {
  RulesHolder<sample::Rules> holder("shipping", write(kRules), sample::parse_rules, registry_);
  EXPECT_EQ(holder.get()->max_parcels, 2);
  EXPECT_EQ(holder.get()->zones.at(0).price, 1500);
  // Both series exist from the start, at zero.
  EXPECT_EQ(rendered_counter("ok"), "0");
  EXPECT_EQ(rendered_counter("invalid"), "0");
}

TEST_F(RulesHolderTest, AStartupFailureThrowsTheFileLineColumnMessage) {
  const auto path = write("carrier: dpd\nmode: fast\n");
  try {
    RulesHolder<sample::Rules> holder("shipping", path, sample::parse_rules, registry_);
    FAIL() << "expected RulesError";
  } catch (const RulesError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ":2:7: 'mode' must be one of \"standard\", \"express\", got \"fast\"");
  }
  const auto missing = (dir_ / "missing.yaml").string();
  EXPECT_THROW(RulesHolder<sample::Rules>("shipping", missing, sample::parse_rules, registry_),
               RulesError);
}

TEST_F(RulesHolderTest, ReloadKeepsTheOldRulesOnABadFileAndTakesAGoodOne) {
  const auto path = write(kRules);
  RulesHolder<sample::Rules> holder("shipping", path, sample::parse_rules, registry_);
  const auto before = holder.get();

  write(std::string(kRules) + "    colour: red\n");
  const auto bad = holder.reload();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid);
  EXPECT_EQ(bad.error().message,
            path + ":8:5: unknown key 'colour' in 'zones[0]' (allowed: name, price, note)");
  EXPECT_EQ(holder.get(), before);  // the very same snapshot
  EXPECT_EQ(rendered_counter("invalid"), "1");
  EXPECT_EQ(rendered_counter("ok"), "0");

  write("carrier: dpd\nmode: [\n");
  const auto syntax = holder.reload();
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().message.rfind(path + ":3:1: YAML syntax error: ", 0), 0u)
      << syntax.error().message;
  EXPECT_EQ(holder.get(), before);
  EXPECT_EQ(rendered_counter("invalid"), "2");

  std::string changed(kRules);
  changed.replace(changed.find("price: 1500"), 11, "price: 1900");
  write(changed);
  ASSERT_TRUE(holder.reload());
  EXPECT_EQ(holder.get()->zones.at(0).price, 1900);
  EXPECT_EQ(rendered_counter("ok"), "1");
  // A snapshot taken before stays valid and unchanged.
  EXPECT_EQ(before->zones.at(0).price, 1500);

  std::filesystem::remove(path);
  const auto gone = holder.reload();
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().reason, "rules_unreadable");
  EXPECT_EQ(gone.error().message, path + ": cannot read: No such file or directory");
  EXPECT_EQ(holder.get()->zones.at(0).price, 1900);
  EXPECT_EQ(rendered_counter("invalid"), "3");
}
