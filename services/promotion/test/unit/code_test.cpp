// Discount codes judged for a cart (engine.hpp check_code): unknown, not yet active, expired
// (Warsaw-local windows across both changes of the clocks), minimum not met, not applicable, and
// a code that evaluate() applies only inside its window.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>

#include "engine.hpp"
#include "promotion_test_support.hpp"

namespace promotion {
namespace {
using namespace std::chrono_literals;
using std::chrono::sys_days;
using testing::cart;
using testing::line;

constexpr std::string_view kCodes = R"(promotions:
  - id: agd
    name: Kod AGD -7,5%
    kind: cart_threshold
    percent: "7.5%"
    target: { categories: [fridge, washing_machine] }
    min_value: 150000
    code: AGD7
  - id: summer
    name: Lato -50 zł
    kind: amount_off
    amount: 5000
    per: cart
    code: LATO50
    valid_from: "2026-03-29 03:00"
    valid_to: "2026-10-25 02:30"
  - id: autumn
    name: Jesień -50 zł
    kind: amount_off
    amount: 5000
    per: cart
    code: JESIEN50
    valid_from: "2026-03-29 02:30"
    valid_to: "2026-10-25 03:00"
  - id: pair
    name: Drugi telewizor -50%
    kind: second_item_discount
    percent: "50%"
    target: { categories: [tv] }
    code: DRUGI
  - id: spent
    name: Wygasły
    kind: percent_off
    percent: "10%"
    code: STARY
    valid_to: "2026-12-01 00:00"
)";

const PromotionRules& rules() {
  static const PromotionRules parsed = testing::rules(kCodes);
  return parsed;
}

const contracts::CartCopy& fridge_cart() {
  static const contracts::CartCopy basket =
      cart({line("f", "FR-SAM-RB34T672ESA", "fridge", 269900)});
  return basket;
}

std::string reason(const std::variant<const Promotion*, CodeRefusal>& verdict) {
  if (const auto* refusal = std::get_if<CodeRefusal>(&verdict)) return refusal->reason;
  return "(accepted " + std::get<const Promotion*>(verdict)->id + ")";
}

std::string message(const std::variant<const Promotion*, CodeRefusal>& verdict) {
  const auto* refusal = std::get_if<CodeRefusal>(&verdict);
  return refusal != nullptr ? refusal->message : "(accepted)";
}

TEST(CheckCode, AcceptedCodesGiveTheirPromotion) {
  const auto verdict = check_code(rules(), "AGD7", fridge_cart(), testing::kNow);
  ASSERT_TRUE(std::holds_alternative<const Promotion*>(verdict)) << message(verdict);
  EXPECT_EQ(std::get<const Promotion*>(verdict), rules().by_id("agd"));
}

TEST(CheckCode, Unknown) {
  const auto verdict = check_code(rules(), "NIEMA", fridge_cart(), testing::kNow);
  EXPECT_EQ(reason(verdict), "unknown");
  EXPECT_EQ(message(verdict), "Kod „NIEMA” nie istnieje. Sprawdź, czy został wpisany poprawnie.");
  EXPECT_EQ(reason(check_code(rules(), "agd7", fridge_cart(), testing::kNow)), "unknown")
      << "the caller upper-cases";
}

TEST(CheckCode, ExpiredAndNotYetActive) {
  const auto expired = check_code(rules(), "STARY", fridge_cart(), testing::kNow);
  EXPECT_EQ(reason(expired), "expired");
  EXPECT_EQ(message(expired), "Kod „STARY” był ważny do 01.12.2026, godz. 00:00.");
  const auto early = check_code(rules(), "LATO50", fridge_cart(), sys_days{2026y / 1 / 10} + 12h);
  EXPECT_EQ(reason(early), "not_yet_active");
  EXPECT_EQ(message(early), "Kod „LATO50” będzie ważny od 29.03.2026, godz. 03:00.");
}

TEST(CheckCode, WindowsInWarsawTimeAcrossTheSpringChange) {
  // 29 March 2026: at 02:00 CET the clocks jump to 03:00 CEST, i.e. at 01:00 UTC.
  const auto spring = sys_days{2026y / 3 / 29};
  EXPECT_EQ(reason(check_code(rules(), "LATO50", fridge_cart(), spring + 1h - 1s)),
            "not_yet_active");
  EXPECT_EQ(reason(check_code(rules(), "LATO50", fridge_cart(), spring + 1h)), "(accepted summer)");
  // 02:30 that night never happens on a Warsaw clock: it means 03:30 CEST, 01:30 UTC.
  EXPECT_EQ(reason(check_code(rules(), "JESIEN50", fridge_cart(), spring + 1h + 29min)),
            "not_yet_active");
  EXPECT_EQ(reason(check_code(rules(), "JESIEN50", fridge_cart(), spring + 1h + 30min)),
            "(accepted autumn)");
}

TEST(CheckCode, WindowsInWarsawTimeAcrossTheAutumnChange) {
  // 25 October 2026: at 03:00 CEST the clocks go back to 02:00 CET, i.e. at 01:00 UTC; 02:30
  // happens twice and means the first time (CEST, 00:30 UTC); 03:00 is then CET (02:00 UTC).
  const auto autumn = sys_days{2026y / 10 / 25};
  EXPECT_EQ(reason(check_code(rules(), "LATO50", fridge_cart(), autumn + 30min - 1s)),
            "(accepted summer)");
  EXPECT_EQ(reason(check_code(rules(), "LATO50", fridge_cart(), autumn + 30min)), "expired");
  EXPECT_EQ(reason(check_code(rules(), "JESIEN50", fridge_cart(), autumn + 1h + 59min)),
            "(accepted autumn)")
      << "02:59 CET, the second 02:59 of that night";
  EXPECT_EQ(reason(check_code(rules(), "JESIEN50", fridge_cart(), autumn + 2h)), "expired");
}

TEST(CheckCode, MinimumNotMet) {
  const auto basket = cart({line("f", "FR-BEK-RCSA270K40WN", "fridge", 139900),
                            line("t", "TV-SAM-55Q80C", "tv", 329900)});
  const auto verdict = check_code(rules(), "AGD7", basket, testing::kNow);
  EXPECT_EQ(reason(verdict), "minimum_not_met");
  EXPECT_EQ(message(verdict),
            "Kod „AGD7” działa przy zakupach produktów objętych promocją za co najmniej "
            "1 500,00 zł: brakuje 101,00 zł.");
}

TEST(CheckCode, NotApplicable) {
  const auto no_tv = check_code(rules(), "DRUGI", fridge_cart(), testing::kNow);
  EXPECT_EQ(reason(no_tv), "not_applicable");
  EXPECT_EQ(message(no_tv), "Kod „DRUGI” nie obejmuje żadnego produktu w koszyku.");
  const auto one_tv =
      check_code(rules(), "DRUGI", cart({line("t", "TV-SAM-55Q80C", "tv", 329900)}), testing::kNow);
  EXPECT_EQ(reason(one_tv), "not_applicable");
  EXPECT_EQ(message(one_tv),
            "Kod „DRUGI” nie daje rabatu na produkty w koszyku. Dodaj jeszcze 1 produkt z "
            "kategorii telewizory, aby skorzystać z promocji „Drugi telewizor -50%”.");
  EXPECT_EQ(reason(check_code(rules(), "DRUGI", cart({line("t", "TV-SAM-55Q80C", "tv", 329900, 2)}),
                              testing::kNow)),
            "(accepted pair)");
}

TEST(CheckCode, EvaluateAppliesACodeOnlyInsideItsWindow) {
  const Choices choices{.opt_ins = {}, .codes = {"LATO50"}};
  const auto autumn = sys_days{2026y / 10 / 25};
  const auto inside = evaluate(rules(), fridge_cart(), choices, autumn + 30min - 1s);
  ASSERT_EQ(inside.applied.size(), 1U);
  EXPECT_EQ(inside.applied[0].code, "LATO50");
  EXPECT_EQ(inside.total_discount, platform::pln(5000));
  EXPECT_TRUE(evaluate(rules(), fridge_cart(), choices, autumn + 30min).applied.empty());
  // A code applied whose minimum is almost met is a near miss; one not applied is not shown.
  const auto basket = cart({line("f", "FR-BEK-RCSA270K40WN", "fridge", 139900)});
  EXPECT_TRUE(evaluate(rules(), basket, {}, testing::kNow).near_misses.empty());
  const auto applied =
      evaluate(rules(), basket, Choices{.opt_ins = {}, .codes = {"AGD7"}}, testing::kNow);
  ASSERT_EQ(applied.near_misses.size(), 1U);
  EXPECT_EQ(applied.near_misses[0].message, "Brakuje 101,00 zł do promocji „Kod AGD -7,5%”.");
}

}  // namespace
}  // namespace promotion
