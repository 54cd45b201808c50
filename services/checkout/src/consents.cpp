#include "consents.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "json_fields.hpp"
#include "platform/http/json.hpp"

namespace checkout {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

namespace {
constexpr std::size_t kMaxAnswers = 20;

platform::Error malformed(std::string message) {
  return make_error(Errc::malformed, std::move(message), "malformed_consents");
}

platform::Result<GivenConsent> answer_from(const json::value& item, const CheckoutRules& rules,
                                           std::string_view now) {
  if (!item.is_object()) return malformed("each consent must be an object");
  const auto& object = item.as_object();
  PLATFORM_CHECK(platform::http::only_fields(object, {"consent_id", "granted", "text_version"}));
  const auto* id = object.if_contains("consent_id");
  const auto* granted = object.if_contains("granted");
  const auto* version = object.if_contains("text_version");
  if (id == nullptr || !id->is_string()) return malformed("'consent_id' must be a string");
  if (granted == nullptr || !granted->is_bool())
    return malformed("'granted' must be true or false");
  if (version == nullptr || !version->is_string()) {
    return malformed("'text_version' must be a string");
  }
  const std::string consent_id(id->as_string().subview().substr(0, 64));
  const auto* text = rules.consent(consent_id);
  if (text == nullptr) {
    return make_error(Errc::invalid, "Nie znamy zgody \"" + consent_id + "\".", "unknown_consent");
  }
  if (version->as_string() != text->version) {
    return make_error(Errc::invalid,
                      "Treść zgody \"" + text->title + "\" zmieniła się (obowiązuje wersja " +
                          text->version + "); zapoznaj się z nią ponownie.",
                      "stale_consent_text");
  }
  return GivenConsent{consent_id, granted->as_bool(), text->version, std::string(now)};
}
}  // namespace

platform::Result<std::vector<GivenConsent>> parse_consents(std::string_view body,
                                                           const CheckoutRules& rules,
                                                           std::string_view now) {
  PLATFORM_TRY(const auto root, platform::http::parse_json_object(body));
  PLATFORM_CHECK(platform::http::only_fields(root, {"consents"}));
  const auto* list = root.if_contains("consents");
  if (list == nullptr || !list->is_array()) return malformed("'consents' must be an array");
  const auto& items = list->as_array();
  if (items.empty() || items.size() > kMaxAnswers) {
    return make_error(Errc::invalid, "'consents' must list 1 to 20 answers", "invalid_consents");
  }
  std::vector<GivenConsent> answers;
  for (const auto& item : items) {
    PLATFORM_TRY(auto answer, answer_from(item, rules, now));
    const auto twice = std::any_of(answers.begin(), answers.end(), [&](const GivenConsent& c) {
      return c.consent_id == answer.consent_id;
    });
    if (twice) {
      return make_error(Errc::invalid, "Zgoda \"" + answer.consent_id + "\" podana dwa razy.",
                        "duplicate_consent");
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

std::vector<GivenConsent> merge_consents(std::vector<GivenConsent> held,
                                         const std::vector<GivenConsent>& answers) {
  for (const auto& answer : answers) {
    std::erase_if(held, [&](const GivenConsent& c) { return c.consent_id == answer.consent_id; });
    held.push_back(answer);
  }
  return held;
}

std::vector<const ConsentText*> missing_consents(const std::vector<GivenConsent>& held,
                                                 const CheckoutRules& rules) {
  std::vector<const ConsentText*> missing;
  for (const auto& text : rules.consents) {
    if (!text.required) continue;
    const auto given = std::any_of(held.begin(), held.end(), [&](const GivenConsent& c) {
      return c.consent_id == text.id && c.granted && c.text_version == text.version;
    });
    if (!given) missing.push_back(&text);
  }
  return missing;
}

std::string consents_to_json(const std::vector<GivenConsent>& consents) {
  json::array out;
  for (const auto& c : consents) {
    out.push_back(json::object{{"consent_id", c.consent_id},
                               {"granted", c.granted},
                               {"text_version", c.text_version},
                               {"given_at", c.given_at}});
  }
  return json::serialize(out);
}

platform::Result<std::vector<GivenConsent>> consents_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) {
    return make_error(Errc::internal, "stored consents are not a JSON array");
  }
  std::vector<GivenConsent> consents;
  for (const auto& item : parsed.as_array()) {
    PLATFORM_TRY(const auto* o, fields::object(item, "consent"));
    GivenConsent consent;
    PLATFORM_TRY(consent.consent_id, fields::text(*o, "consent_id"));
    PLATFORM_TRY(consent.granted, fields::boolean(*o, "granted"));
    PLATFORM_TRY(consent.text_version, fields::text(*o, "text_version"));
    PLATFORM_TRY(consent.given_at, fields::text(*o, "given_at"));
    consents.push_back(std::move(consent));
  }
  return consents;
}

}  // namespace checkout
