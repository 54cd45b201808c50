#include "customer_data.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <initializer_list>

#include "json_fields.hpp"
#include "platform/polish_format.hpp"

namespace checkout {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

namespace {
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxEmailLocalPart = 64;
constexpr std::size_t kMaxDomainLabel = 63;
constexpr std::size_t kMaxPhoneInput = 32;
constexpr std::size_t kPolishPhoneDigits = 9;
constexpr std::size_t kMinForeignPhoneDigits = 9;   // the event's phone pattern wants 9+
constexpr std::size_t kMaxForeignPhoneDigits = 15;  // E.164
constexpr std::size_t kNipDigits = 10;
constexpr std::size_t kMaxFormattedInput = 64;  // NIP, phone, postal code, country: before checks

constexpr std::string_view kRequestPrivate = "private";
constexpr std::string_view kEventPersonal = "personal";
constexpr std::string_view kCompany = "company";
constexpr std::string_view kPoland = "PL";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
char to_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_digit);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// The parser has checked the UTF-8, so every byte but a continuation byte starts a character.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

bool has_control_characters(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20U || c == '\x7F'; });
}

bool is_atext(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-";
  return is_digit(c) || is_letter(c) || kSpecials.find(c) != std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > kMaxEmailLocalPart) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  return std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || is_atext(c); });
}

bool valid_domain_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxDomainLabel) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return is_digit(c) || is_letter(c) || c == '-'; });
}

bool valid_domain(std::string_view domain) {
  const auto last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  const auto tld = domain.substr(last_dot + 1);
  if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_letter)) return false;
  for (std::size_t start = 0;;) {
    const auto dot = domain.find('.', start);
    if (!valid_domain_label(domain.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_phone_separator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

// A phone number as dialled: its digits, and whether they start with a country code ("+" or
// "00" given).
struct DialledNumber {
  bool international = false;
  std::string digits;
};

std::optional<DialledNumber> dialled_number(std::string_view input) {
  const auto text = trim(input);
  if (text.empty() || text.size() > kMaxPhoneInput) return std::nullopt;
  DialledNumber number;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      number.digits += c;
    } else if (c == '+' && i == 0) {
      number.international = true;
    } else if (!is_phone_separator(c)) {
      return std::nullopt;
    }
  }
  if (!number.international && number.digits.starts_with("00")) {
    number.international = true;
    number.digits.erase(0, 2);
  }
  return number;
}

// A Polish number (9 digits, no trunk 0) as "+48 600 100 200".
std::optional<std::string> polish_phone(std::string_view digits) {
  if (digits.size() != kPolishPhoneDigits || digits.front() == '0') return std::nullopt;
  std::string out = "+48";
  for (std::size_t i = 0; i < digits.size(); i += 3) {
    out += ' ';
    out += digits.substr(i, 3);
  }
  return out;
}

std::optional<std::string> foreign_phone(std::string_view digits) {
  if (digits.size() < kMinForeignPhoneDigits || digits.size() > kMaxForeignPhoneDigits) {
    return std::nullopt;
  }
  if (digits.front() == '0') return std::nullopt;
  return "+" + std::string(digits);
}

// The digits of a NIP given with an optional "PL" prefix and '-' or ' ' separators, or nullopt
// when they are not 10 digits (checksum not checked).
std::optional<std::string> nip_digits(std::string_view input) {
  auto text = trim(input);
  if (text.size() >= 2 && to_upper(text[0]) == 'P' && to_upper(text[1]) == 'L') {
    text.remove_prefix(2);
  }
  std::string digits;
  for (const char c : text) {
    if (is_digit(c)) {
      digits += c;
    } else if (c != '-' && c != ' ') {
      return std::nullopt;
    }
  }
  if (digits.size() != kNipDigits) return std::nullopt;
  return digits;
}

std::string quoted(std::string_view text) {
  return "„" + std::string(text) + "”";
}

// One JSON object of the body and where it sits in it; what is wrong with its members goes to
// the errors of the whole body.
class Members {
 public:
  Members(const json::object& object, std::string path, std::vector<FieldError>& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  std::vector<FieldError>& errors() { return errors_; }

  [[nodiscard]] std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  void add(std::string_view key, std::string code, std::string message) {
    errors_.push_back(FieldError{path_of(key), std::move(code), std::move(message)});
  }

  // The member, or nullptr when missing or null.
  [[nodiscard]] const json::value* find(std::string_view key) const {
    return fields::member(object_, key);
  }

  void refuse_unknown(std::initializer_list<std::string_view> known) {
    for (const auto& member : object_) {
      const std::string_view key = member.key();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      add(key, "unknown_field", "Nieznane pole " + quoted(path_of(key)) + ".");
    }
  }

  // The member that must be an object: nullptr when missing or null (an error when
  // `required_message` is not empty) or not an object (an error).
  const json::object* object(std::string_view key, std::string_view required_message) {
    const auto* value = find(key);
    if (value == nullptr) {
      if (!required_message.empty()) add(key, "required", std::string(required_message));
      return nullptr;
    }
    if (!value->is_object()) {
      add(key, "malformed", "Pole " + quoted(path_of(key)) + " musi być obiektem.");
      return nullptr;
    }
    return &value->as_object();
  }

 private:
  const json::object& object_;
  std::string path_;
  std::vector<FieldError>& errors_;
};

// A text member of the body: its key, its name on the form and its limit in characters.
struct TextField {
  std::string_view key;
  std::string_view label;
  std::size_t max_chars;
};

constexpr TextField kEmail{"email", "E-mail", kMaxEmail};
constexpr TextField kPhone{"phone", "Telefon", kMaxFormattedInput};
constexpr TextField kFirstName{"first_name", "Imię", 100};
constexpr TextField kLastName{"last_name", "Nazwisko", 100};
constexpr TextField kInvoiceType{"type", "Rodzaj faktury", kMaxFormattedInput};
constexpr TextField kCompanyName{"company_name", "Nazwa firmy", 200};
constexpr TextField kNip{"nip", "NIP", kMaxFormattedInput};
constexpr TextField kStreet{"street", "Ulica", 100};
constexpr TextField kBuildingNumber{"building_number", "Numer budynku", 20};
constexpr TextField kApartmentNumber{"apartment_number", "Numer lokalu", 20};
constexpr TextField kPostalCode{"postal_code", "Kod pocztowy", kMaxFormattedInput};
constexpr TextField kCity{"city", "Miejscowość", 100};
constexpr TextField kCountryCode{"country_code", "Kraj", kMaxFormattedInput};

// A text member read: its trimmed value, or none when missing, null or blank (faulty false) or
// when its fault was recorded (faulty true).
struct Text {
  std::optional<std::string> value;
  bool faulty = false;
};

Text read_text(Members& members, const TextField& field) {
  const auto* value = members.find(field.key);
  if (value == nullptr) return {};
  if (!value->is_string()) {
    members.add(field.key, "malformed", "Pole " + quoted(field.label) + " musi być tekstem.");
    return {.value = std::nullopt, .faulty = true};
  }
  const auto text = trim(value->as_string().subview());
  if (text.empty()) return {};
  if (code_points(text) > field.max_chars) {
    members.add(field.key, "too_long",
                "Pole " + quoted(field.label) + " może mieć najwyżej " +
                    platform::polish_characters(field.max_chars) + ".");
    return {.value = std::nullopt, .faulty = true};
  }
  if (has_control_characters(text)) {
    members.add(field.key, "invalid_characters",
                "Pole " + quoted(field.label) + " zawiera niedozwolone znaki.");
    return {.value = std::nullopt, .faulty = true};
  }
  return {.value = std::string(text), .faulty = false};
}

void require(Members& members, const TextField& field) {
  members.add(field.key, "required", "Uzupełnij pole " + quoted(field.label) + ".");
}

// The text, or "" when it is missing or at fault (recorded).
std::string required_text(Members& members, const TextField& field) {
  auto text = read_text(members, field);
  if (!text.value && !text.faulty) require(members, field);
  return text.value.value_or("");
}

std::optional<std::string> optional_text(Members& members, const TextField& field) {
  return read_text(members, field).value;
}

std::string read_email(Members& members) {
  const auto text = required_text(members, kEmail);
  if (text.empty()) return {};
  auto email = normalize_email(text);
  if (!email) {
    members.add(kEmail.key, "invalid_email",
                "Podaj poprawny adres e-mail, np. anna.kowalska@example.pl.");
  }
  return email.value_or("");
}

std::string read_phone(Members& members) {
  const auto text = required_text(members, kPhone);
  if (text.empty()) return {};
  auto phone = normalize_phone(text);
  if (!phone) {
    members.add(kPhone.key, "invalid_phone",
                "Podaj poprawny numer telefonu, np. 600 100 200 albo +48 600 100 200.");
  }
  return phone.value_or("");
}

std::string read_nip(Members& members) {
  const auto text = required_text(members, kNip);
  if (text.empty()) return {};
  const auto digits = nip_digits(text);
  if (!digits) {
    members.add(kNip.key, "invalid_nip", "Numer NIP musi mieć 10 cyfr, np. 526-025-02-74.");
    return {};
  }
  if (!valid_nip(*digits)) {
    members.add(kNip.key, "invalid_nip_checksum",
                "Numer NIP ma błędną sumę kontrolną. Sprawdź, czy nie ma w nim literówki.");
    return {};
  }
  return *digits;
}

std::string read_postal_code(Members& members) {
  auto text = required_text(members, kPostalCode);
  if (!text.empty() && !valid_postal_code(text)) {
    members.add(kPostalCode.key, "invalid_postal_code",
                "Podaj kod pocztowy w formacie NN-NNN, np. 00-950.");
  }
  return text;
}

// Only Polish addresses for now. A private invoice may leave the country out: PL.
std::string read_country_code(Members& members, bool required) {
  const auto text = read_text(members, kCountryCode);
  if (!text.value) {
    if (required && !text.faulty) require(members, kCountryCode);
    return std::string(kPoland);
  }
  std::string code;
  for (const char c : *text.value) code += to_upper(c);
  if (code != kPoland) {
    members.add(kCountryCode.key, "unsupported_country",
                "Na razie wystawiamy faktury tylko na adres w Polsce (kod kraju PL).");
  }
  return code;
}

InvoiceAddress read_address(Members& members, bool country_required) {
  InvoiceAddress address;
  address.street = required_text(members, kStreet);
  address.building_number = required_text(members, kBuildingNumber);
  address.apartment_number = optional_text(members, kApartmentNumber);
  address.postal_code = read_postal_code(members);
  address.city = required_text(members, kCity);
  address.country_code = read_country_code(members, country_required);
  return address;
}

std::optional<InvoiceType> read_invoice_type(Members& members) {
  const auto text = read_text(members, kInvoiceType);
  if (!text.value) {
    if (!text.faulty) {
      members.add(kInvoiceType.key, "required",
                  "Wybierz rodzaj faktury: dla osoby prywatnej albo dla firmy.");
    }
    return std::nullopt;
  }
  if (*text.value == kRequestPrivate) return InvoiceType::private_person;
  if (*text.value == kCompany) return InvoiceType::company;
  members.add(kInvoiceType.key, "invalid_invoice_type",
              "Rodzaj faktury to " + quoted(kRequestPrivate) + " (dla osoby prywatnej) albo " +
                  quoted(kCompany) + " (dla firmy).");
  return std::nullopt;
}

void refuse_company_members(Members& members) {
  for (const auto& field : {kCompanyName, kNip}) {
    if (members.find(field.key) == nullptr) continue;
    members.add(field.key, "not_allowed",
                "Nazwę firmy i NIP podaje się tylko na fakturze dla firmy.");
  }
}

Customer read_customer(Members& body) {
  Customer customer;
  const auto* object = body.object("customer", "Podaj dane kontaktowe.");
  if (object == nullptr) return customer;
  Members members(*object, "customer", body.errors());
  members.refuse_unknown({kEmail.key, kPhone.key, kFirstName.key, kLastName.key});
  customer.email = read_email(members);
  customer.phone = read_phone(members);
  customer.first_name = required_text(members, kFirstName);
  customer.last_name = required_text(members, kLastName);
  return customer;
}

Invoice read_invoice(Members& body) {
  const auto* object = body.object("invoice", {});
  if (object == nullptr) return {};
  Members members(*object, "invoice", body.errors());
  members.refuse_unknown({kInvoiceType.key, kCompanyName.key, kNip.key, kStreet.key,
                          kBuildingNumber.key, kApartmentNumber.key, kPostalCode.key, kCity.key,
                          kCountryCode.key});
  const auto type = read_invoice_type(members);
  if (!type) return {};
  Invoice invoice;
  invoice.type = *type;
  const bool company = *type == InvoiceType::company;
  if (company) {
    invoice.company_name = required_text(members, kCompanyName);
    invoice.nip = read_nip(members);
  } else {
    refuse_company_members(members);
  }
  invoice.address = read_address(members, company);
  return invoice;
}

void write_customer(platform::JsonWriter& out, const Customer& customer) {
  out.key("customer").begin_object();
  out.key("email").value(customer.email);
  out.key("phone").value(customer.phone);
  out.key("first_name").value(customer.first_name);
  out.key("last_name").value(customer.last_name);
  out.end_object();
}

void write_invoice(platform::JsonWriter& out, const Invoice& invoice) {
  out.key("invoice");
  if (invoice.type == InvoiceType::none || !invoice.address) {
    out.null();
    return;
  }
  const bool company = invoice.type == InvoiceType::company;
  const auto& address = *invoice.address;
  out.begin_object();
  out.key("type").value(company ? kCompany : kEventPersonal);
  out.key("company_name")
      .value_or_null(company ? std::optional(invoice.company_name) : std::nullopt);
  out.key("nip").value_or_null(company ? std::optional(invoice.nip) : std::nullopt);
  out.key("street").value(address.street);
  out.key("building_number").value(address.building_number);
  out.key("apartment_number").value_or_null(address.apartment_number);
  out.key("postal_code").value(address.postal_code);
  out.key("city").value(address.city);
  out.key("country_code").value(address.country_code);
  out.end_object();
}

platform::Error stored_error(std::string message) {
  return make_error(Errc::invalid, "customer data: " + std::move(message), "invalid_customer_data");
}

platform::Result<Customer> customer_from(const json::object& root) {
  const auto* value = root.if_contains("customer");
  if (value == nullptr) return stored_error("'customer' is missing");
  PLATFORM_TRY(const auto* object, fields::object(*value, "customer"));
  Customer customer;
  PLATFORM_TRY(customer.email, fields::text(*object, "email"));
  PLATFORM_TRY(customer.phone, fields::text(*object, "phone"));
  PLATFORM_TRY(customer.first_name, fields::text(*object, "first_name"));
  PLATFORM_TRY(customer.last_name, fields::text(*object, "last_name"));
  return customer;
}

platform::Result<InvoiceAddress> address_from(const json::object& object) {
  InvoiceAddress address;
  PLATFORM_TRY(address.street, fields::text(object, "street"));
  PLATFORM_TRY(address.building_number, fields::text(object, "building_number"));
  PLATFORM_TRY(address.apartment_number, fields::optional_text(object, "apartment_number"));
  PLATFORM_TRY(address.postal_code, fields::text(object, "postal_code"));
  PLATFORM_TRY(address.city, fields::text(object, "city"));
  PLATFORM_TRY(address.country_code, fields::text(object, "country_code"));
  return address;
}

platform::Result<Invoice> invoice_from(const json::object& root) {
  const auto* value = fields::member(root, "invoice");
  if (value == nullptr) return Invoice{};
  PLATFORM_TRY(const auto* object, fields::object(*value, "invoice"));
  PLATFORM_TRY(const auto type, fields::text(*object, "type"));
  Invoice invoice;
  if (type == kCompany) {
    invoice.type = InvoiceType::company;
  } else if (type == kEventPersonal) {
    invoice.type = InvoiceType::private_person;
  } else {
    return stored_error("unknown invoice type '" + type + "'");
  }
  PLATFORM_TRY(const auto company_name, fields::optional_text(*object, "company_name"));
  PLATFORM_TRY(const auto nip, fields::optional_text(*object, "nip"));
  invoice.company_name = company_name.value_or("");
  invoice.nip = nip.value_or("");
  PLATFORM_TRY(invoice.address, address_from(*object));
  return invoice;
}
}  // namespace

bool valid_nip(std::string_view digits) {
  static constexpr std::array<int, kNipDigits - 1> kWeights{6, 5, 7, 2, 3, 4, 5, 6, 7};
  if (digits.size() != kNipDigits || !all_digits(digits)) return false;
  if (digits.find_first_not_of('0') == std::string_view::npos) return false;
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (digits[i] - '0') * kWeights[i];
  const int check = sum % 11;  // 10 can be no digit: such a number is never issued
  return check == digits.back() - '0';
}

std::optional<std::string> normalize_nip(std::string_view input) {
  auto digits = nip_digits(input);
  if (!digits || !valid_nip(*digits)) return std::nullopt;
  return digits;
}

std::optional<std::string> normalize_email(std::string_view input) {
  const auto email = trim(input);
  if (email.size() > kMaxEmail) return std::nullopt;
  const auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  if (!valid_local_part(local) || !valid_domain(domain)) return std::nullopt;
  std::string out(local);
  out += '@';
  for (const char c : domain) out += to_lower(c);
  return out;
}

std::optional<std::string> normalize_phone(std::string_view input) {
  const auto number = dialled_number(input);
  if (!number) return std::nullopt;
  const std::string_view digits = number->digits;
  if (!number->international) return polish_phone(digits);
  if (digits.starts_with("48")) return polish_phone(digits.substr(2));
  return foreign_phone(digits);
}

bool valid_postal_code(std::string_view code) {
  return code.size() == 6 && code[2] == '-' && all_digits(code.substr(0, 2)) &&
         all_digits(code.substr(3));
}

std::variant<CustomerData, std::vector<FieldError>> parse_customer_data(std::string_view body) {
  json::error_code ec;
  const auto root = json::parse(body, ec);
  if (ec || !root.is_object()) {
    return std::vector<FieldError>{
        FieldError{"", "malformed", "Treść żądania musi być obiektem JSON."}};
  }
  std::vector<FieldError> errors;
  Members members(root.as_object(), "", errors);
  members.refuse_unknown({"customer", "invoice"});
  CustomerData data{.customer = read_customer(members), .invoice = read_invoice(members)};
  if (!errors.empty()) return errors;
  return data;
}

void write_customer_data(platform::JsonWriter& out, const CustomerData& data) {
  write_customer(out, data.customer);
  write_invoice(out, data.invoice);
}

std::string customer_data_to_json(const CustomerData& data) {
  platform::JsonWriter out;
  out.begin_object();
  write_customer_data(out, data);
  out.end_object();
  return std::move(out).take();
}

platform::Result<CustomerData> customer_data_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec) return stored_error("not JSON");
  PLATFORM_TRY(const auto* root, fields::object(parsed, "customer data"));
  CustomerData data;
  PLATFORM_TRY(data.customer, customer_from(*root));
  PLATFORM_TRY(data.invoice, invoice_from(*root));
  return data;
}

}  // namespace checkout
