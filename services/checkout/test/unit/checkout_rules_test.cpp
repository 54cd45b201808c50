// The shipped rules parse; a bad file names its line; consents are judged against the texts.
#include "checkout_rules.hpp"

#include <gtest/gtest.h>

#include "consents.hpp"
#include "platform/rules/testing.hpp"

namespace checkout {
namespace {
namespace rt = platform::rules::testing;

const std::string kFile = std::string(CHECKOUT_CONFIG_DIR) + "/checkout_rules.yaml";

CheckoutRules shipped() {
  auto rules = platform::rules::load_rules<CheckoutRules>(kFile, parse_checkout_rules);
  if (!rules) throw std::runtime_error(rules.error().message);
  return *rules;
}

constexpr std::string_view kSmall = R"(vat:
  goods: 23
  services: 8
  warranties: zw
  delivery: 23
  payment_fee: 23
consents:
  - id: terms_of_sale
    required: true
    version: "1"
    title: Regulamin
    text: Akceptuję.
)";

TEST(CheckoutRules, TheShippedFileParses) {
  const auto rules = shipped();
  EXPECT_EQ(rules.vat.goods.label(), "23%");
  EXPECT_EQ(rules.vat.for_category("books").label(), "5%");
  EXPECT_EQ(rules.vat.for_category("tv").label(), "23%");
  ASSERT_NE(rules.consent("terms_of_sale"), nullptr);
  EXPECT_TRUE(rules.consent("terms_of_sale")->required);
  EXPECT_FALSE(rules.consent("marketing_sms")->required);
}

TEST(CheckoutRules, ExemptAndErrorsWithTheirLine) {
  const auto parsed =
      platform::rules::parse_rules<CheckoutRules>(kSmall, "c.yaml", parse_checkout_rules);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->vat.warranties.exempt);
  rt::expect_rules_error(
      platform::rules::parse_rules<CheckoutRules>(
          rt::replace_once(kSmall, "goods: 23", "goods: 123"), "c.yaml", parse_checkout_rules),
      "2:10", "goods");
  rt::expect_rules_error(
      platform::rules::parse_rules<CheckoutRules>(
          rt::replace_once(kSmall, "services: 8", "servces: 8"), "c.yaml", parse_checkout_rules),
      "3:3", "servces");
  rt::expect_rules_error(
      platform::rules::parse_rules<CheckoutRules>(
          std::string(kSmall) + std::string(kSmall).substr(kSmall.find("  - id")), "c.yaml",
          parse_checkout_rules),
      "13:9", "used twice");
}

TEST(Consents, AnswersAreCheckedAgainstTheTextsInForce) {
  const auto rules = shipped();
  const auto now = "2026-12-01T10:00:00Z";
  auto ok = parse_consents(
      R"({"consents":[{"consent_id":"terms_of_sale","granted":true,"text_version":"2026-01"},)"
      R"({"consent_id":"marketing_sms","granted":false,"text_version":"2025-06"}]})",
      rules, now);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(ok->size(), 2U);
  EXPECT_EQ((*ok)[0].given_at, now);
  auto missing = missing_consents(*ok, rules);
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_EQ(missing[0]->id, "privacy_policy");

  auto unknown = parse_consents(
      R"({"consents":[{"consent_id":"lottery","granted":true,"text_version":"1"}]})", rules, now);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().reason, "unknown_consent");
  auto stale = parse_consents(
      R"({"consents":[{"consent_id":"terms_of_sale","granted":true,"text_version":"2020-01"}]})",
      rules, now);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().reason, "stale_consent_text");
  EXPECT_FALSE(parse_consents(R"({"consents":[]})", rules, now));
  EXPECT_FALSE(parse_consents(R"({"consents":[{"consent_id":"terms_of_sale"}]})", rules, now));
  EXPECT_FALSE(parse_consents(R"({"consents":"yes"})", rules, now));
  EXPECT_FALSE(parse_consents(
      R"({"consents":[{"consent_id":"terms_of_sale","granted":true,"text_version":"2026-01"},)"
      R"({"consent_id":"terms_of_sale","granted":false,"text_version":"2026-01"}]})",
      rules, now));
}

TEST(Consents, ALaterAnswerReplacesTheEarlierAndTheStoredFormRoundTrips) {
  std::vector<GivenConsent> held{{"terms_of_sale", true, "2026-01", "t1"},
                                 {"marketing_email", true, "2025-06", "t1"}};
  held = merge_consents(held, {{"marketing_email", false, "2025-06", "t2"}});
  ASSERT_EQ(held.size(), 2U);
  EXPECT_FALSE(held[1].granted);
  EXPECT_EQ(held[1].given_at, "t2");
  const auto back = consents_from_json(consents_to_json(held));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, held);
}

}  // namespace
}  // namespace checkout
