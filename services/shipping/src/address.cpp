#include "address.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdint>

#include "platform/polish_format.hpp"

namespace shipping {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

constexpr std::array kAddressFields = {
    "first_name",  "last_name", "company_name", "street", "building_number", "apartment_number",
    "postal_code", "city",      "country_code", "phone",  "floor",           "has_elevator"};
constexpr std::array kLockerFields = {"locker_id", "first_name", "last_name", "phone"};

constexpr int kMinFloor = -5;
constexpr int kMaxFloor = 200;
constexpr std::size_t kPhoneDigits = 9;
constexpr std::size_t kMaxBuildingDigits = 5;
// Lengths in characters (common.schema.json#/$defs/address).
constexpr std::size_t kMaxName = 100;  // first and last name, city
constexpr std::size_t kMaxCompany = 300;
constexpr std::size_t kMaxStreet = 200;
constexpr std::size_t kMaxNumber = 20;  // building and apartment number
// Fields with a shape of their own (postal code, phone, ...): anything up to this length gets
// the message about the shape rather than one about the length.
constexpr std::size_t kMaxChecked = 100;

// A field as the messages name it: "podaj ulicę", "ulica może mieć najwyżej 200 znaków".
struct FieldName {
  std::string_view key;
  std::string_view nominative;
  std::string_view accusative;
};
constexpr std::array kFieldNames = {
    FieldName{"first_name", "imię", "imię"},
    FieldName{"last_name", "nazwisko", "nazwisko"},
    FieldName{"company_name", "nazwa firmy", "nazwę firmy"},
    FieldName{"street", "ulica", "ulicę"},
    FieldName{"building_number", "numer budynku", "numer budynku"},
    FieldName{"apartment_number", "numer lokalu", "numer lokalu"},
    FieldName{"postal_code", "kod pocztowy", "kod pocztowy"},
    FieldName{"city", "miejscowość", "miejscowość"},
    FieldName{"country_code", "kraj", "kraj"},
    FieldName{"phone", "numer telefonu", "numer telefonu"},
    FieldName{"floor", "piętro", "piętro"},
    FieldName{"has_elevator", "informacja o windzie", "informację o windzie"},
    FieldName{"locker_id", "kod paczkomatu", "kod paczkomatu"},
};

FieldName name_of(std::string_view field) {
  for (const auto& name : kFieldNames) {
    if (name.key == field) return name;
  }
  return {field, field, field};  // not reached: every field read has its name above
}

// A message next to its field: "podaj ulicę" → "Podaj ulicę.". Every message starts with an ASCII
// letter (the field names above and the texts of this file do).
std::string sentence(std::string text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') {
    text.front() = static_cast<char>(text.front() - 'a' + 'A');
  }
  return text + ".";
}

// Back into the problem's detail: "Podaj ulicę." → "podaj ulicę".
std::string clause(std::string_view message) {
  std::string text(message);
  if (text.ends_with('.')) text.pop_back();
  if (!text.empty() && text.front() >= 'A' && text.front() <= 'Z') {
    text.front() = static_cast<char>(text.front() - 'A' + 'a');
  }
  return text;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The number of characters of `text` if it is valid UTF-8 without control characters (C0, DEL,
// C1); else a message. A hand-built json::value can carry any bytes, so this does not rely on
// the JSON parser's UTF-8 check.
enum class TextProblem { none, not_utf8, control_character };
struct TextCheck {
  std::size_t chars = 0;
  TextProblem problem = TextProblem::none;
};

TextCheck check_text(std::string_view text) {
  TextCheck check;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (byte < 0x80) {
      length = 1;
      code = byte;
    } else if ((byte & 0xE0U) == 0xC0) {
      length = 2;
      code = byte & 0x1FU;
    } else if ((byte & 0xF0U) == 0xE0) {
      length = 3;
      code = byte & 0x0FU;
    } else if ((byte & 0xF8U) == 0xF0) {
      length = 4;
      code = byte & 0x07U;
    } else {
      check.problem = TextProblem::not_utf8;
      return check;
    }
    if (i + length > text.size()) {
      check.problem = TextProblem::not_utf8;
      return check;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80) {
        check.problem = TextProblem::not_utf8;
        return check;
      }
      code = (code << 6U) | (next & 0x3FU);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    constexpr std::array<std::uint32_t, 5> kMinCode = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinCode.at(length) || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      check.problem = TextProblem::not_utf8;
      return check;
    }
    if (code < 0x20 || (code >= 0x7F && code <= 0x9F)) {
      check.problem = TextProblem::control_character;
      return check;
    }
    ++check.chars;
    i += length;
  }
  return check;
}

class ObjectReader {
 public:
  ObjectReader(const json::object& object, std::vector<FieldError>& errors)
      : object_(object), errors_(errors) {}

  // `text` names the field, in lower case without a full stop: "podaj ulicę".
  void error(std::string_view field, std::string text) {
    errors_.push_back(FieldError{std::string(field), sentence(std::move(text))});
  }

  void required(std::string_view field) {
    error(field, "podaj " + std::string(name_of(field).accusative));
  }

  // A required text of 1..max_chars characters after trimming; nullopt after an error.
  std::optional<std::string> text(std::string_view field, std::size_t max_chars) {
    const auto* value = object_.if_contains(field);
    if (value == nullptr || value->is_null()) {
      required(field);
      return std::nullopt;
    }
    return checked_text(field, *value, max_chars);
  }

  // An optional text: absent, null or blank is "not given".
  std::optional<std::string> optional_text(std::string_view field, std::size_t max_chars) {
    const auto* value = object_.if_contains(field);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (value->is_string() && trim(value->as_string()).empty()) return std::nullopt;
    return checked_text(field, *value, max_chars);
  }

  [[nodiscard]] const json::value* get(std::string_view field) const {
    return object_.if_contains(field);
  }

  template <std::size_t N>
  void unknown_fields(const std::array<const char*, N>& known) {
    for (const auto& entry : object_) {
      const auto key = entry.key();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        error(key, "nieznane pole „" + std::string(key) + "”");
      }
    }
  }

 private:
  std::optional<std::string> checked_text(std::string_view field, const json::value& value,
                                          std::size_t max_chars) {
    const std::string name(name_of(field).nominative);
    if (!value.is_string()) {
      error(field, name + " musi być tekstem");
      return std::nullopt;
    }
    const auto text = trim(value.as_string());
    const auto check = check_text(text);
    if (check.problem == TextProblem::not_utf8) {
      error(field, name + " zawiera nieprawidłowe znaki");
      return std::nullopt;
    }
    if (check.problem == TextProblem::control_character) {
      error(field, name + " zawiera niedozwolone znaki");
      return std::nullopt;
    }
    if (check.chars == 0) {
      required(field);
      return std::nullopt;
    }
    if (check.chars > max_chars) {
      error(field, name + " może mieć najwyżej " + platform::polish_characters(max_chars));
      return std::nullopt;
    }
    return std::string(text);
  }

  const json::object& object_;
  std::vector<FieldError>& errors_;
};

// "12", "12A", "12/14", "84/92", "2a/4": digits and an optional letter, once or twice with a
// slash between; the letter is upper-cased.
std::optional<std::string> building_number(std::string_view text) {
  std::string out;
  const auto part = [&](std::string_view piece) {
    std::size_t digits = 0;
    while (digits < piece.size() && is_digit(piece[digits])) ++digits;
    if (digits == 0 || digits > kMaxBuildingDigits || piece.size() > digits + 1) return false;
    out.append(piece.substr(0, digits));
    if (piece.size() == digits + 1) {
      const char letter = piece.back();
      if (letter >= 'a' && letter <= 'z') {
        out.push_back(static_cast<char>(letter - 'a' + 'A'));
      } else if (is_upper(letter)) {
        out.push_back(letter);
      } else {
        return false;
      }
    }
    return true;
  };
  const auto slash = text.find('/');
  if (!part(text.substr(0, slash))) return std::nullopt;
  if (slash != std::string_view::npos) {
    out.push_back('/');
    if (!part(text.substr(slash + 1))) return std::nullopt;
  }
  return out;
}

// A Polish number: 9 digits (the first not 0), after an optional +48 or 0048, with any spaces and
// dashes; "+48" and the 9 digits.
std::optional<std::string> normalize_phone(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c == ' ' || c == '-') continue;
    digits.push_back(c);
  }
  std::string_view number = digits;
  if (number.starts_with("+48")) {
    number.remove_prefix(3);
  } else if (number.starts_with("0048")) {
    number.remove_prefix(4);
  }
  if (number.size() != kPhoneDigits || number.front() == '0' ||
      !std::all_of(number.begin(), number.end(), is_digit)) {
    return std::nullopt;
  }
  return "+48" + std::string(number);
}

bool is_locker_id(std::string_view text) {
  // ^[A-Z]{3}[0-9]{2,3}[A-Z]{0,3}$
  if (text.size() < 5 || !std::all_of(text.begin(), text.begin() + 3, is_upper)) return false;
  std::size_t i = 3;
  while (i < text.size() && is_digit(text[i])) ++i;
  const std::size_t digits = i - 3;
  if (digits < 2 || digits > 3) return false;
  const std::size_t letters = text.size() - i;
  return letters <= 3 &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(), is_upper);
}

const char* const kPhoneProblem =
    "podaj polski numer telefonu: 9 cyfr, np. 600 700 800 lub +48 600 700 800";

std::optional<std::string> read_phone(ObjectReader& reader) {
  auto text = reader.text("phone", kMaxChecked);
  if (!text) return std::nullopt;
  auto phone = normalize_phone(*text);
  if (!phone) reader.error("phone", kPhoneProblem);
  return phone;
}

// "Adres dostawy: kod pocztowy musi mieć postać 00-950; podaj ulicę." and every field's message.
platform::Error details_error(std::string_view heading, const std::vector<FieldError>& errors,
                              std::string reason) {
  std::string message = std::string(heading) + ": ";
  std::vector<platform::Error::Field> fields;
  fields.reserve(errors.size());
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) message += "; ";
    message += clause(errors[i].message);
    fields.push_back({errors[i].field, errors[i].message});
  }
  auto error = make_error(Errc::invalid, message + ".", std::move(reason));
  error.fields = std::move(fields);
  return error;
}

json::value optional_to_json(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

}  // namespace

bool is_postal_code(std::string_view text) {
  return text.size() == 6 && text[2] == '-' && is_digit(text[0]) && is_digit(text[1]) &&
         is_digit(text[3]) && is_digit(text[4]) && is_digit(text[5]);
}

AddressReading read_address(const json::value& json) {
  AddressReading reading;
  if (!json.is_object()) {
    reading.errors.push_back({"address", sentence("podaj adres dostawy jako obiekt JSON")});
    return reading;
  }
  // Every problem adds an error, so a field left empty here is never returned.
  ObjectReader reader(json.as_object(), reading.errors);
  Address address;
  address.first_name = reader.text("first_name", kMaxName).value_or("");
  address.last_name = reader.text("last_name", kMaxName).value_or("");
  address.company_name = reader.optional_text("company_name", kMaxCompany);
  address.street = reader.text("street", kMaxStreet).value_or("");
  if (const auto text = reader.text("building_number", kMaxNumber)) {
    auto number = building_number(*text);
    if (!number)
      reader.error("building_number", "numer budynku musi mieć postać 12, 12A lub 12/14");
    address.building_number = number.value_or("");
  }
  address.apartment_number = reader.optional_text("apartment_number", kMaxNumber);
  if (auto text = reader.text("postal_code", kMaxChecked)) {
    if (!is_postal_code(*text)) reader.error("postal_code", "kod pocztowy musi mieć postać 00-950");
    address.postal_code = std::move(*text);
  }
  address.city = reader.text("city", kMaxName).value_or("");
  if (auto text = reader.text("country_code", kMaxChecked)) {
    if (*text != "PL") reader.error("country_code", "kraj musi być PL: dostarczamy tylko w Polsce");
    address.country_code = std::move(*text);
  }
  address.phone = read_phone(reader).value_or("");
  if (const auto* floor = reader.get("floor"); floor != nullptr && !floor->is_null()) {
    const auto* number = floor->if_int64();
    if (number == nullptr || *number < kMinFloor || *number > kMaxFloor) {
      reader.error("floor", "piętro musi być liczbą od -5 do 200");
    } else {
      address.floor = static_cast<int>(*number);
    }
  }
  if (const auto* elevator = reader.get("has_elevator");
      elevator != nullptr && !elevator->is_null()) {
    if (elevator->is_bool()) {
      address.has_elevator = elevator->as_bool();
    } else {
      reader.error("has_elevator", "informacja o windzie musi mieć wartość tak lub nie");
    }
  }
  reader.unknown_fields(kAddressFields);
  if (reading.errors.empty()) reading.address = std::move(address);
  return reading;
}

LockerReading read_locker(const json::value& json) {
  LockerReading reading;
  if (!json.is_object()) {
    reading.errors.push_back(
        {"parcel_locker", sentence("podaj dane odbioru w paczkomacie jako obiekt JSON")});
    return reading;
  }
  ObjectReader reader(json.as_object(), reading.errors);
  LockerDelivery locker;
  if (auto text = reader.text("locker_id", kMaxChecked)) {
    std::transform(text->begin(), text->end(), text->begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    if (!is_locker_id(*text))
      reader.error("locker_id", "nieprawidłowy kod paczkomatu (np. WAW01M)");
    locker.locker_id = std::move(*text);
  }
  locker.first_name = reader.text("first_name", kMaxName).value_or("");
  locker.last_name = reader.text("last_name", kMaxName).value_or("");
  locker.phone = read_phone(reader).value_or("");
  reader.unknown_fields(kLockerFields);
  if (reading.errors.empty()) reading.locker = std::move(locker);
  return reading;
}

json::object address_to_json(const Address& address) {
  json::object out;
  out["first_name"] = address.first_name;
  out["last_name"] = address.last_name;
  out["company_name"] = optional_to_json(address.company_name);
  out["street"] = address.street;
  out["building_number"] = address.building_number;
  out["apartment_number"] = optional_to_json(address.apartment_number);
  out["postal_code"] = address.postal_code;
  out["city"] = address.city;
  out["country_code"] = address.country_code;
  out["phone"] = address.phone;
  out["floor"] = address.floor ? json::value(*address.floor) : json::value(nullptr);
  out["has_elevator"] =
      address.has_elevator ? json::value(*address.has_elevator) : json::value(nullptr);
  return out;
}

json::object locker_to_json(const LockerDelivery& locker) {
  json::object out;
  out["locker_id"] = locker.locker_id;
  out["first_name"] = locker.first_name;
  out["last_name"] = locker.last_name;
  out["phone"] = locker.phone;
  return out;
}

platform::Error address_problem(const std::vector<FieldError>& errors, std::string reason) {
  return details_error("Adres dostawy", errors, std::move(reason));
}

platform::Error locker_problem(const std::vector<FieldError>& errors, std::string reason) {
  return details_error("Odbiór w paczkomacie", errors, std::move(reason));
}

platform::Result<Address> address_from_json(const json::value& json) {
  auto reading = read_address(json);
  if (!reading.address) return address_problem(reading.errors, "invalid_address");
  return std::move(*reading.address);
}

platform::Result<LockerDelivery> locker_from_json(const json::value& json) {
  auto reading = read_locker(json);
  if (!reading.locker) return locker_problem(reading.errors, "invalid_parcel_locker");
  return std::move(*reading.locker);
}

}  // namespace shipping
