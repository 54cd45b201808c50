// The payment rules document (payment_rules.hpp): the shipped file, every validation error at its
// line and column, and fees.
#include "payment_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "platform/rules/load.hpp"
#include "platform/rules/testing.hpp"

namespace payment {
namespace {
using platform::pln;
using platform::rules::testing::expect_rules_error;
using platform::rules::testing::replace_once;

// The smallest useful document; the error tests change one thing in it, so the line and column
// each expects can be read off here (line 1 is `methods:`).
constexpr std::string_view kMinimal = R"(methods:
  - id: payu_instalments
    name: Raty PayU
    kind: online
    gateway: payu
    channel: instalments
    fee: { share: "1.5%", min: 100, max: 2000 }
    min_cart_value: 30000
    max_cart_value: 5000000
  - id: cash_on_delivery
    name: Płatność przy odbiorze (pobranie)
    kind: cash_on_delivery
    gateway: none
    fee: { fixed: 500 }
    max_cart_value: 500000
    excluded_categories: [phone]
    excluded_shipping_methods: [parcel_locker]
)";

platform::Result<PaymentRules> parse(std::string_view text) {
  return platform::rules::parse_rules<PaymentRules>(text, "payment_rules.yaml",
                                                    parse_payment_rules);
}

void expect_error(std::string_view from, std::string_view to, std::string_view position,
                  std::string_view what) {
  SCOPED_TRACE(std::string(from) + " -> " + std::string(to));
  expect_rules_error(parse(replace_once(kMinimal, from, to)), position, what);
}

TEST(PaymentRules, TheShippedFileLoads) {
  auto rules = platform::rules::load_rules<PaymentRules>(
      std::string(PAYMENT_CONFIG_DIR) + "/payment_rules.yaml", parse_payment_rules);
  ASSERT_TRUE(rules) << rules.error().message;
  std::vector<std::string> ids;
  for (const auto& method : rules->methods) ids.push_back(method.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"przelewy24", "blik", "blik_code", "card",
                                           "payu_transfer", "payu_card", "payu_instalments",
                                           "stripe_card", "cash_on_delivery"}));
  const auto* blik = rules->method("blik_code");
  ASSERT_NE(blik, nullptr);
  EXPECT_EQ(blik->gateway, Gateway::przelewy24);
  EXPECT_EQ(blik->channel, "blik");
  EXPECT_TRUE(blik->blik_code);
  const auto* instalments = rules->method("payu_instalments");
  ASSERT_NE(instalments, nullptr);
  EXPECT_EQ(instalments->min_cart_value, 30000);
  EXPECT_EQ(instalments->max_cart_value, 5000000);
  const auto* cod = rules->method("cash_on_delivery");
  ASSERT_NE(cod, nullptr);
  EXPECT_EQ(cod->kind, MethodKind::cash_on_delivery);
  EXPECT_EQ(cod->gateway, std::nullopt);
  EXPECT_TRUE(cod->requires_shipping_method);
  EXPECT_EQ(cod->max_cart_value, 500000);
  EXPECT_EQ(cod->excluded_shipping_methods, std::vector<std::string>{"parcel_locker"});
  EXPECT_EQ(rules->method("paypal"), nullptr);
}

TEST(PaymentRules, TheMinimalDocumentReadsAsWritten) {
  auto rules = parse(kMinimal);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->methods.size(), 2U);
  const auto& instalments = rules->methods[0];
  EXPECT_EQ(instalments.name, "Raty PayU");
  EXPECT_EQ(instalments.kind, MethodKind::online);
  EXPECT_EQ(instalments.gateway, Gateway::payu);
  EXPECT_EQ(instalments.fee,
            (Fee{.fixed = 0, .share_bp = 150, .min_price = 100, .max_price = 2000}));
  EXPECT_FALSE(instalments.requires_shipping_method);
  const auto& cod = rules->methods[1];
  EXPECT_EQ(cod.channel, "");
  EXPECT_TRUE(cod.requires_shipping_method);  // implied for cash on delivery
  EXPECT_EQ(cod.fee.fixed, 500);
  EXPECT_EQ(cod.excluded_categories, std::vector<std::string>{"phone"});
}

TEST(PaymentRules, EachMistakeIsReportedAtItsLine) {
  expect_error("    channel: instalments\n", "    channel: instalments\n    colour: red\n", "7:5",
               "colour");
  expect_error("id: payu_instalments", "id: PayU-Raty", "2:9", "must be an id");
  expect_error("id: cash_on_delivery", "id: payu_instalments", "10:9",
               "\"payu_instalments\" is used twice");
  expect_error("kind: online", "kind: prepaid", "4:11", "one of");
  expect_error("gateway: payu", "gateway: paypal", "5:14", "one of");
  expect_error("    gateway: payu\n", "", "2:5", "'gateway' is required");
  expect_error("gateway: payu", "gateway: none", "5:14", "an online method is paid through");
  expect_error("gateway: none", "gateway: payu", "13:14",
               "cash on delivery is paid to the courier");
  expect_error("channel: instalments", "channel: raty", "6:14", "one of");
  expect_error("    gateway: none\n", "    gateway: none\n    channel: card\n", "14:14",
               "no gateway channel");
  expect_error("    gateway: none\n", "    gateway: none\n    blik_code: true\n", "14:16",
               "no BLIK code");
  expect_error("    channel: instalments\n", "    channel: instalments\n    blik_code: true\n",
               "7:16", "needs 'channel: blik'");
  expect_error("fee: { fixed: 500 }", "fee: { fixed: -500 }", "14:19", "non-negative integer");
  expect_error("fee: { fixed: 500 }", "fee: { fixed: 5.00 }", "14:19", "grosze");
  expect_error("fee: { fixed: 500 }", "fee: { fixed: 500, min: 100 }", "14:29",
               "goes only with 'share'");
  expect_error("\"1.5%\"", "\"1.555%\"", "7:19", "'share' must be a percentage");
  expect_error("\"1.5%\"", "\"101%\"", "7:19", "'share' must be a percentage");
  expect_error("max: 2000 }", "max: 50 }", "7:42", "'max' must not be below 'min' (100)");
  expect_error("fee: { share", "fee: { rate", "7:12", "rate");
  expect_error("min_cart_value: 30000", "min_cart_value: -1", "8:21", "non-negative");
  expect_error("max_cart_value: 5000000", "max_cart_value: 20000", "9:21",
               "'max_cart_value' must not be below 'min_cart_value' (30000)");
  expect_error("[phone]", "[phones]", "16:27", "one of");
  expect_error("[phone]", "[phone, phone]", "16:34", "listed twice");
  expect_error("[parcel_locker]", "[parcel_locker, parcel_locker]", "17:48", "listed twice");
  expect_error("[parcel_locker]", "[Paczkomat]", "17:33", "must be an id");
  expect_error("    excluded_shipping_methods: [parcel_locker]\n",
               "    excluded_shipping_methods: [parcel_locker]\n"
               "    requires_shipping_method: false\n",
               "18:31", "cannot be false");
  expect_error("    excluded_shipping_methods: [parcel_locker]\n",
               "    allowed_shipping_methods: [courier, parcel_locker]\n"
               "    excluded_shipping_methods: [parcel_locker]\n",
               "18:33", "\"parcel_locker\" is both allowed and excluded");
  expect_error("name: Raty PayU", "name: " + std::string(201, 'x'), "3:11", "at most 200");
}

TEST(PaymentRules, TheDocumentNeedsMethods) {
  expect_rules_error(parse("methods: []\n"), "1:10", "at least one payment method");
  expect_rules_error(parse("methods:\n  - id: a\n"), "2:5", "'name' is required");
  expect_rules_error(parse("currency: PLN\nmethods: []\n"), "1:1", "currency");
  std::string many = "methods:\n";
  for (int i = 0; i <= 30; ++i) {
    many += "  - { id: m" + std::to_string(i) + ", name: M, kind: online, gateway: payu }\n";
  }
  expect_rules_error(parse(many), "32:5", "at most 30 methods");
}

Fee fee(std::int64_t fixed, std::int64_t share_bp, std::optional<std::int64_t> min_price = {},
        std::optional<std::int64_t> max_price = {}) {
  return Fee{.fixed = fixed, .share_bp = share_bp, .min_price = min_price, .max_price = max_price};
}

TEST(Fee, FixedOnly) {
  EXPECT_EQ(fee_for(fee(500, 0), pln(123456)), pln(500));
  EXPECT_EQ(fee_for(fee(0, 0), pln(123456)), pln(0));
}

TEST(Fee, ShareRoundsHalfUpToTheGrosz) {
  const Fee share = fee(0, 150);  // 1.5%
  EXPECT_EQ(fee_for(share, pln(10000)), pln(150));
  EXPECT_EQ(fee_for(share, pln(100)), pln(2));       // 1.5 gr -> 2 gr
  EXPECT_EQ(fee_for(share, pln(99)), pln(1));        // 1.485 gr -> 1 gr
  EXPECT_EQ(fee_for(share, pln(33)), pln(0));        // 0.495 gr -> 0 gr
  EXPECT_EQ(fee_for(share, pln(34)), pln(1));        // 0.51 gr -> 1 gr
  EXPECT_EQ(fee_for(fee(0, 1), pln(5000)), pln(1));  // 0.5 gr -> 1 gr
  EXPECT_EQ(fee_for(fee(0, 1), pln(4999)), pln(0));
  EXPECT_EQ(fee_for(fee(100, 100), pln(12345)), pln(223));  // 1 zł + 1%
  EXPECT_EQ(fee_for(fee(0, 10000), pln(9'223'372'036'854'775'807)),
            pln(9'223'372'036'854'775'807));  // no overflow at the extreme
}

TEST(Fee, MinAndMaxHoldTheFee) {
  const Fee held = fee(0, 100, 500, 2500);
  EXPECT_EQ(fee_for(held, pln(10000)), pln(500));     // 1,00 zł -> at least 5 zł
  EXPECT_EQ(fee_for(held, pln(100000)), pln(1000));   // 10,00 zł
  EXPECT_EQ(fee_for(held, pln(1000000)), pln(2500));  // 100,00 zł -> at most 25 zł
  EXPECT_EQ(fee_for(held, pln(0)), pln(500));
}

}  // namespace
}  // namespace payment
