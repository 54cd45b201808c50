// The customer-data body (customer_data.hpp): NIP, e-mail, phone and postal code checks, every
// field at fault reported at once, and the data as CustomerDataProvided and its stored copy.
#include "customer_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <regex>
#include <set>

namespace checkout {
namespace {
namespace json = boost::json;

// The event's patterns (contracts/events/common.schema.json).
const std::regex kPhonePattern(R"(^\+?[0-9 ]{9,20}$)");
const std::regex kPostalCodePattern(R"(^\d{2}-\d{3}$)");
const std::regex kNipPattern(R"(^[0-9]{10}$)");

constexpr std::string_view kCompanyBody = R"({
  "customer": {"email": " anna.kowalska@Example.PL ", "phone": "600 100 200",
               "first_name": " Anna ", "last_name": "Kowalska"},
  "invoice": {"type": "company", "company_name": "Kowalska Design Sp. z o.o.",
              "nip": "PL 526-025-02-74", "street": "ul. Prosta", "building_number": "20",
              "apartment_number": null, "postal_code": "00-850", "city": "Warszawa",
              "country_code": "PL"}})";

// contracts/events/examples/CustomerDataProvided.json, its customer and invoice.
constexpr std::string_view kExampleMembers = R"({
  "customer": {"email": "anna.kowalska@example.pl", "phone": "+48 600 100 200",
               "first_name": "Anna", "last_name": "Kowalska"},
  "invoice": {"type": "company", "company_name": "Kowalska Design Sp. z o.o.",
              "nip": "5260250274", "street": "ul. Prosta", "building_number": "20",
              "apartment_number": null, "postal_code": "00-850", "city": "Warszawa",
              "country_code": "PL"}})";

constexpr std::string_view kCustomer =
    R"("customer": {"email": "jan@example.pl", "phone": "+48 600 100 200",
                    "first_name": "Jan", "last_name": "Nowak"})";

std::string with_invoice(std::string_view invoice) {
  return "{" + std::string(kCustomer) + ", \"invoice\": " + std::string(invoice) + "}";
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string text;
  for (const auto& e : errors) text += "[" + e.field + " " + e.code + ": " + e.message + "] ";
  return text;
}

CustomerData parsed(std::string_view body) {
  auto result = parse_customer_data(body);
  if (const auto* errors = std::get_if<std::vector<FieldError>>(&result)) {
    ADD_FAILURE() << "unexpected errors: " << describe(*errors);
    return {};
  }
  return std::get<CustomerData>(std::move(result));
}

std::vector<FieldError> errors_of(std::string_view body) {
  auto result = parse_customer_data(body);
  if (std::holds_alternative<CustomerData>(result)) {
    ADD_FAILURE() << "expected errors for " << body;
    return {};
  }
  return std::get<std::vector<FieldError>>(std::move(result));
}

// The (field, code) pairs of the errors, for comparing as a set.
std::set<std::pair<std::string, std::string>> faults(const std::vector<FieldError>& errors) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& e : errors) out.emplace(e.field, e.code);
  return out;
}

const FieldError* find_error(const std::vector<FieldError>& errors, std::string_view field) {
  const auto it = std::find_if(errors.begin(), errors.end(),
                               [&](const FieldError& e) { return e.field == field; });
  return it == errors.end() ? nullptr : &*it;
}

std::set<std::string> keys_of(const json::object& object) {
  std::set<std::string> keys;
  for (const auto& member : object) keys.emplace(member.key());
  return keys;
}

// --- NIP ---

TEST(Nip, ValidNumbers) {
  EXPECT_TRUE(valid_nip("5260250274"));
  EXPECT_TRUE(valid_nip("1234563218"));
  EXPECT_TRUE(valid_nip("7740001454"));
}

TEST(Nip, BadChecksum) {
  EXPECT_FALSE(valid_nip("5260250275"));
  EXPECT_FALSE(valid_nip("1234563217"));
  EXPECT_EQ(normalize_nip("7740001455"), std::nullopt);
}

TEST(Nip, ChecksumTenIsNeverValid) {
  // 1,2,...,9 weighted sum 230, mod 11 = 10: no last digit makes it valid.
  for (char last = '0'; last <= '9'; ++last) {
    EXPECT_FALSE(valid_nip(std::string("123456789") + last)) << last;
  }
}

TEST(Nip, WrongLengthLettersAndZeros) {
  EXPECT_FALSE(valid_nip("526025027"));
  EXPECT_FALSE(valid_nip("52602502744"));
  EXPECT_FALSE(valid_nip(""));
  EXPECT_FALSE(valid_nip("526025027A"));
  EXPECT_FALSE(valid_nip("0000000000"));
  EXPECT_FALSE(valid_nip("526-025-02-74"));  // valid_nip takes digits only
  EXPECT_EQ(normalize_nip("526025027"), std::nullopt);
  EXPECT_EQ(normalize_nip("52602502744"), std::nullopt);
  EXPECT_EQ(normalize_nip("52602S0274"), std::nullopt);
  EXPECT_EQ(normalize_nip("DE5260250274"), std::nullopt);
  EXPECT_EQ(normalize_nip("526/025/02/74"), std::nullopt);
  EXPECT_EQ(normalize_nip("000-000-00-00"), std::nullopt);
}

TEST(Nip, PrefixAndSeparatorsAccepted) {
  EXPECT_EQ(normalize_nip("5260250274"), "5260250274");
  EXPECT_EQ(normalize_nip("PL5260250274"), "5260250274");
  EXPECT_EQ(normalize_nip("pl 526-025-02-74"), "5260250274");
  EXPECT_EQ(normalize_nip("526-02-50-274"), "5260250274");
  EXPECT_EQ(normalize_nip(" 774 000 14 54 "), "7740001454");
}

// --- e-mail ---

TEST(Email, GoodAddresses) {
  EXPECT_EQ(normalize_email("jan@example.pl"), "jan@example.pl");
  EXPECT_EQ(normalize_email("a.b+tag@sub.example.com"), "a.b+tag@sub.example.com");
  EXPECT_EQ(normalize_email("o'brien_1@my-shop.com.pl"), "o'brien_1@my-shop.com.pl");
  EXPECT_EQ(normalize_email("  Jan.Kowalski@EXAMPLE.PL\t"), "Jan.Kowalski@example.pl");
}

TEST(Email, BadAddresses) {
  for (const std::string_view bad : {"",
                                     "   ",
                                     "janexample.pl",
                                     "jan@@example.pl",
                                     "a@b@example.pl",
                                     "jan@example",
                                     "@example.pl",
                                     "jan@",
                                     ".jan@example.pl",
                                     "jan.@example.pl",
                                     "ja..n@example.pl",
                                     "jan kowalski@example.pl",
                                     "jan@exa mple.pl",
                                     "jan@-example.pl",
                                     "jan@example-.pl",
                                     "jan@example..pl",
                                     "jan@.example.pl",
                                     "jan@example.p",
                                     "jan@example.p1",
                                     "jan@exam_ple.pl",
                                     "jan(x)@example.pl",
                                     "jan@example.pl.",
                                     "żaneta@example.pl"}) {
    EXPECT_EQ(normalize_email(bad), std::nullopt) << bad;
  }
}

TEST(Email, TooLong) {
  EXPECT_TRUE(normalize_email(std::string(64, 'a') + "@example.pl"));
  EXPECT_EQ(normalize_email(std::string(65, 'a') + "@example.pl"), std::nullopt);
  EXPECT_EQ(normalize_email("jan@" + std::string(64, 'a') + ".pl"), std::nullopt);
  // 254 characters pass, 255 do not.
  const std::string domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                             std::string(63, 'c') + ".pl";  // 194
  const std::string at_limit = std::string(59, 'x') + "@" + domain;
  ASSERT_EQ(at_limit.size(), 254U);
  EXPECT_TRUE(normalize_email(at_limit));
  EXPECT_EQ(normalize_email("x" + at_limit), std::nullopt);
}

// --- phone ---

TEST(Phone, PolishNumbersNormalized) {
  for (const std::string_view input :
       {"+48 600 100 200", "600100200", "+48600100200", "0048 600-100-200", " 600 100 200 "}) {
    const auto phone = normalize_phone(input);
    ASSERT_TRUE(phone) << input;
    EXPECT_EQ(*phone, "+48 600 100 200") << input;
    EXPECT_TRUE(std::regex_match(*phone, kPhonePattern));
  }
  EXPECT_EQ(normalize_phone("22 (123) 45-67"), "+48 221 234 567");
  EXPECT_EQ(normalize_phone("+48 22 123 45 67"), "+48 221 234 567");
}

TEST(Phone, ForeignNumbersKeptAsDigits) {
  const auto german = normalize_phone("+49 151 2345 6789");
  ASSERT_TRUE(german);
  EXPECT_EQ(*german, "+4915123456789");
  EXPECT_TRUE(std::regex_match(*german, kPhonePattern));
  EXPECT_EQ(normalize_phone("00420 601 123 456"), "+420601123456");
  EXPECT_EQ(normalize_phone("+1234"), std::nullopt);
  EXPECT_EQ(normalize_phone("+1234567890123456"), std::nullopt);  // over E.164's 15
}

TEST(Phone, BadNumbers) {
  for (const std::string_view bad :
       {"", "+", "60010020", "6001002000", "+48 60010020", "+48 6001002000", "060010020", "abc",
        "600 100 20a", "600+100200", "(+48)600100200", "600/100/200", "+0 600 100 200"}) {
    EXPECT_EQ(normalize_phone(bad), std::nullopt) << bad;
  }
}

// --- postal code ---

TEST(PostalCode, Format) {
  EXPECT_TRUE(valid_postal_code("00-950"));
  EXPECT_TRUE(valid_postal_code("31-072"));
  for (const std::string_view bad :
       {"", "00950", "0-0950", "00-95", "00-9500", "ab-cde", "00 950"}) {
    EXPECT_FALSE(valid_postal_code(bad)) << bad;
  }
}

// --- the body ---

TEST(ParseCustomerData, CompanyBodyNormalizedAndRoundTrips) {
  const auto data = parsed(kCompanyBody);
  EXPECT_EQ(data.customer.email, "anna.kowalska@example.pl");
  EXPECT_EQ(data.customer.phone, "+48 600 100 200");
  EXPECT_EQ(data.customer.first_name, "Anna");
  EXPECT_EQ(data.invoice.type, InvoiceType::company);
  EXPECT_EQ(data.invoice.nip, "5260250274");
  ASSERT_TRUE(data.invoice.address);
  EXPECT_EQ(data.invoice.address->apartment_number, std::nullopt);
  EXPECT_EQ(data.invoice.address->country_code, "PL");

  const auto text = customer_data_to_json(data);
  EXPECT_EQ(json::parse(text), json::parse(kExampleMembers));
  const auto back = customer_data_from_json(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, data);
}

TEST(ParseCustomerData, ApartmentNumberKept) {
  const auto data = parsed(with_invoice(R"({"type": "company", "company_name": "ACME",
      "nip": "1234563218", "street": "Długa", "building_number": "5a",
      "apartment_number": " 12 ", "postal_code": "31-072", "city": "Kraków",
      "country_code": "pl"})"));
  ASSERT_TRUE(data.invoice.address);
  EXPECT_EQ(data.invoice.address->apartment_number, "12");
  EXPECT_EQ(data.invoice.address->country_code, "PL");
  const auto back = customer_data_from_json(customer_data_to_json(data));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, data);
}

TEST(ParseCustomerData, NoInvoiceWhenAbsentOrNull) {
  for (const auto& body : {"{" + std::string(kCustomer) + "}", with_invoice("null")}) {
    const auto data = parsed(body);
    EXPECT_EQ(data.invoice.type, InvoiceType::none);
    EXPECT_EQ(data.invoice.address, std::nullopt);
    const auto text = customer_data_to_json(data);
    EXPECT_TRUE(json::parse(text).as_object().at("invoice").is_null());
    const auto back = customer_data_from_json(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, data);
  }
}

TEST(ParseCustomerData, PrivateInvoiceWrittenAsPersonal) {
  const auto data = parsed(with_invoice(R"({"type": "private", "street": "Polna",
      "building_number": "3", "postal_code": "60-001", "city": "Poznań"})"));
  EXPECT_EQ(data.invoice.type, InvoiceType::private_person);
  EXPECT_EQ(data.invoice.company_name, "");
  EXPECT_EQ(data.invoice.nip, "");
  ASSERT_TRUE(data.invoice.address);
  EXPECT_EQ(data.invoice.address->country_code, "PL");

  const auto text = customer_data_to_json(data);
  const auto invoice = json::parse(text).as_object().at("invoice").as_object();
  EXPECT_EQ(invoice.at("type"), "personal");
  EXPECT_TRUE(invoice.at("company_name").is_null());
  EXPECT_TRUE(invoice.at("nip").is_null());
  EXPECT_EQ(invoice.at("city"), "Poznań");
  const auto back = customer_data_from_json(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, data);
}

TEST(ParseCustomerData, PrivateInvoiceNeedsTheAddress) {
  // An invoice names the buyer's address, and the event's invoice requires it.
  const auto errors = errors_of(with_invoice(R"({"type": "private"})"));
  EXPECT_EQ(faults(errors),
            (std::set<std::pair<std::string, std::string>>{{"invoice.street", "required"},
                                                           {"invoice.building_number", "required"},
                                                           {"invoice.postal_code", "required"},
                                                           {"invoice.city", "required"}}))
      << describe(errors);
}

TEST(ParseCustomerData, PrivateInvoiceHasNoCompanyNameOrNip) {
  const auto errors = errors_of(with_invoice(R"({"type": "private", "company_name": "X",
      "nip": "5260250274", "street": "Polna", "building_number": "3", "postal_code": "60-001",
      "city": "Poznań"})"));
  EXPECT_EQ(faults(errors),
            (std::set<std::pair<std::string, std::string>>{{"invoice.company_name", "not_allowed"},
                                                           {"invoice.nip", "not_allowed"}}))
      << describe(errors);
  // null counts as absent
  parsed(with_invoice(R"({"type": "private", "company_name": null, "nip": null,
      "street": "Polna", "building_number": "3", "postal_code": "60-001", "city": "Poznań"})"));
}

TEST(ParseCustomerData, CompanyInvoiceNeedsEverythingButTheApartment) {
  const auto errors = errors_of(with_invoice(R"({"type": "company", "apartment_number": null})"));
  EXPECT_EQ(faults(errors),
            (std::set<std::pair<std::string, std::string>>{{"invoice.company_name", "required"},
                                                           {"invoice.nip", "required"},
                                                           {"invoice.street", "required"},
                                                           {"invoice.building_number", "required"},
                                                           {"invoice.postal_code", "required"},
                                                           {"invoice.city", "required"},
                                                           {"invoice.country_code", "required"}}))
      << describe(errors);
}

TEST(ParseCustomerData, ReportsEveryBadFieldAtOnce) {
  const auto errors = errors_of(R"({
    "customer": {"email": "anna@example", "phone": "12345", "first_name": "   ",
                 "last_name": ")" +
                                std::string(101, 'k') + R"("},
    "invoice": {"type": "company", "company_name": "ACME", "nip": "526-025-02-75",
                "street": "Prosta", "building_number": "20", "postal_code": "00850",
                "city": "Warszawa", "country_code": "DE"}})");
  EXPECT_EQ(faults(errors), (std::set<std::pair<std::string, std::string>>{
                                {"customer.email", "invalid_email"},
                                {"customer.phone", "invalid_phone"},
                                {"customer.first_name", "required"},
                                {"customer.last_name", "too_long"},
                                {"invoice.nip", "invalid_nip_checksum"},
                                {"invoice.postal_code", "invalid_postal_code"},
                                {"invoice.country_code", "unsupported_country"}}))
      << describe(errors);
  EXPECT_EQ(errors.size(), 7U);
  EXPECT_EQ(find_error(errors, "invoice.nip")->message,
            "Numer NIP ma błędną sumę kontrolną. Sprawdź, czy nie ma w nim literówki.");
  EXPECT_EQ(find_error(errors, "customer.last_name")->message,
            "Pole „Nazwisko” może mieć najwyżej 100 znaków.");
  EXPECT_NE(find_error(errors, "invoice.country_code")->message.find("PL"), std::string::npos);
  for (const auto& e : errors) EXPECT_FALSE(e.message.empty()) << e.field;
}

TEST(ParseCustomerData, NipOfWrongLength) {
  const auto errors = errors_of(with_invoice(R"({"type": "company", "company_name": "ACME",
      "nip": "52602502", "street": "Prosta", "building_number": "20", "postal_code": "00-850",
      "city": "Warszawa", "country_code": "PL"})"));
  EXPECT_EQ(faults(errors),
            (std::set<std::pair<std::string, std::string>>{{"invoice.nip", "invalid_nip"}}));
}

TEST(ParseCustomerData, UnknownFieldsRefused) {
  const auto errors = errors_of(R"({"customer": {"email": "jan@example.pl",
      "phone": "600100200", "first_name": "Jan", "last_name": "Nowak", "nickname": "J"},
      "invoice": null, "coupon": "X"})");
  EXPECT_EQ(faults(errors),
            (std::set<std::pair<std::string, std::string>>{{"customer.nickname", "unknown_field"},
                                                           {"coupon", "unknown_field"}}))
      << describe(errors);
  const auto invoice_errors = errors_of(with_invoice(R"({"type": "company",
      "company_name": "ACME", "nip": "5260250274", "regon": "123", "street": "Prosta",
      "building_number": "20", "postal_code": "00-850", "city": "Warszawa",
      "country_code": "PL"})"));
  EXPECT_EQ(faults(invoice_errors),
            (std::set<std::pair<std::string, std::string>>{{"invoice.regon", "unknown_field"}}));
}

TEST(ParseCustomerData, BodyThatIsNoObjectIsMalformed) {
  for (const std::string_view body : {"", "not json", "[]", "\"text\"", "{\"customer\": "}) {
    const auto errors = errors_of(body);
    ASSERT_EQ(errors.size(), 1U) << body;
    EXPECT_EQ(errors[0].field, "");
    EXPECT_EQ(errors[0].code, "malformed");
  }
}

TEST(ParseCustomerData, WrongTypesAreMalformedFields) {
  EXPECT_EQ(faults(errors_of(R"({"customer": 5})")),
            (std::set<std::pair<std::string, std::string>>{{"customer", "malformed"}}));
  const auto errors = errors_of(R"({"customer": {"email": 5, "phone": ["600100200"],
      "first_name": "Jan", "last_name": true}, "invoice": "yes"})");
  EXPECT_EQ(faults(errors),
            (std::set<std::pair<std::string, std::string>>{{"customer.email", "malformed"},
                                                           {"customer.phone", "malformed"},
                                                           {"customer.last_name", "malformed"},
                                                           {"invoice", "malformed"}}))
      << describe(errors);
}

TEST(ParseCustomerData, MissingCustomer) {
  EXPECT_EQ(faults(errors_of("{}")),
            (std::set<std::pair<std::string, std::string>>{{"customer", "required"}}));
  EXPECT_EQ(faults(errors_of(R"({"customer": {}})")),
            (std::set<std::pair<std::string, std::string>>{{"customer.email", "required"},
                                                           {"customer.phone", "required"},
                                                           {"customer.first_name", "required"},
                                                           {"customer.last_name", "required"}}));
}

TEST(ParseCustomerData, InvoiceType) {
  EXPECT_EQ(
      faults(errors_of(with_invoice(R"({"type": "corporate"})"))),
      (std::set<std::pair<std::string, std::string>>{{"invoice.type", "invalid_invoice_type"}}));
  EXPECT_EQ(faults(errors_of(with_invoice("{}"))),
            (std::set<std::pair<std::string, std::string>>{{"invoice.type", "required"}}));
}

TEST(ParseCustomerData, NamesCountedInCharacters) {
  std::string name;
  for (int i = 0; i < 100; ++i) name += "ż";  // 2 bytes each
  const auto body = [](const std::string& first_name) {
    return R"({"customer": {"email": "jan@example.pl", "phone": "600100200", "first_name": ")" +
           first_name + R"(", "last_name": "Żółć"}})";
  };
  EXPECT_EQ(parsed(body(name)).customer.first_name, name);
  EXPECT_EQ(faults(errors_of(body(name + "ż"))),
            (std::set<std::pair<std::string, std::string>>{{"customer.first_name", "too_long"}}));
  EXPECT_EQ(faults(errors_of(body("Jan\\u0007"))),
            (std::set<std::pair<std::string, std::string>>{
                {"customer.first_name", "invalid_characters"}}));
}

TEST(ParseCustomerData, LimitsOfCompanyAndAddressFields) {
  const auto body = [](std::size_t company, std::size_t street, std::size_t building) {
    return with_invoice(R"({"type": "company", "company_name": ")" + std::string(company, 'c') +
                        R"(", "nip": "5260250274", "street": ")" + std::string(street, 's') +
                        R"(", "building_number": ")" + std::string(building, '1') +
                        R"(", "postal_code": "00-850", "city": "Warszawa", "country_code": "PL"})");
  };
  parsed(body(200, 100, 20));
  EXPECT_EQ(faults(errors_of(body(201, 101, 21))), (std::set<std::pair<std::string, std::string>>{
                                                       {"invoice.company_name", "too_long"},
                                                       {"invoice.street", "too_long"},
                                                       {"invoice.building_number", "too_long"}}));
}

// --- the event and the stored copy ---

TEST(WriteCustomerData, EventHasTheSchemasStructure) {
  const auto company = parsed(kCompanyBody);
  const auto personal = parsed(with_invoice(R"({"type": "private", "street": "Polna",
      "building_number": "3", "apartment_number": "7", "postal_code": "60-001",
      "city": "Poznań"})"));
  const auto receipt = parsed(with_invoice("null"));
  for (const auto* data : {&company, &personal, &receipt}) {
    platform::JsonWriter out;
    out.begin_object()
        .key("session_id")
        .value("cs_1")
        .key("user_id")
        .value("user_1")
        .key("version")
        .value(std::int64_t{2})
        .key("traceparent")
        .value("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .key("occurred_at")
        .value("2025-03-14T10:31:00Z");
    write_customer_data(out, *data);
    out.end_object();

    json::error_code ec;
    const auto event = json::parse(out.text(), ec);
    ASSERT_FALSE(ec) << out.text();
    const auto& root = event.as_object();
    EXPECT_EQ(keys_of(root),
              (std::set<std::string>{"session_id", "user_id", "version", "traceparent",
                                     "occurred_at", "customer", "invoice"}));
    const auto& customer = root.at("customer").as_object();
    EXPECT_EQ(keys_of(customer),
              (std::set<std::string>{"email", "phone", "first_name", "last_name"}));
    EXPECT_TRUE(std::regex_match(std::string(customer.at("phone").as_string()), kPhonePattern));

    const auto& invoice = root.at("invoice");
    if (data->invoice.type == InvoiceType::none) {
      EXPECT_TRUE(invoice.is_null());
      continue;
    }
    ASSERT_TRUE(invoice.is_object());
    const auto& object = invoice.as_object();
    EXPECT_EQ(keys_of(object),
              (std::set<std::string>{"type", "company_name", "nip", "street", "building_number",
                                     "apartment_number", "postal_code", "city", "country_code"}));
    const std::string type(object.at("type").as_string());
    EXPECT_TRUE(type == "personal" || type == "company") << type;
    for (const auto* key : {"company_name", "nip"}) {
      EXPECT_EQ(object.at(key).is_null(), type == "personal") << key;
    }
    if (type == "company") {
      EXPECT_TRUE(std::regex_match(std::string(object.at("nip").as_string()), kNipPattern));
    }
    for (const auto* key : {"street", "building_number", "city"}) {
      EXPECT_FALSE(object.at(key).as_string().empty()) << key;
    }
    EXPECT_TRUE(object.at("apartment_number").is_null() ||
                !object.at("apartment_number").as_string().empty());
    EXPECT_TRUE(
        std::regex_match(std::string(object.at("postal_code").as_string()), kPostalCodePattern));
    EXPECT_EQ(object.at("country_code"), "PL");
  }
}

TEST(CustomerDataFromJson, RefusesWhatItDidNotWrite) {
  EXPECT_FALSE(customer_data_from_json("not json"));
  EXPECT_FALSE(customer_data_from_json("[]"));
  EXPECT_FALSE(customer_data_from_json("{}"));
  EXPECT_FALSE(customer_data_from_json(R"({"customer": {"email": "a@b.pl"}, "invoice": null})"));
  auto text = customer_data_to_json(parsed(kCompanyBody));
  const auto at = text.find("\"company\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 9, "\"private\"");
  EXPECT_FALSE(customer_data_from_json(text));
}

}  // namespace
}  // namespace checkout
