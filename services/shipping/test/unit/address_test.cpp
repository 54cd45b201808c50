#include "address.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>

using platform::Errc;
using shipping::Address;
using shipping::FieldError;
using shipping::LockerDelivery;
namespace json = boost::json;

namespace {

// The address of the event example (contracts/events/examples/ShippingAddressProvided.json).
constexpr std::string_view kAddress = R"({
  "first_name": "Anna",
  "last_name": "Kowalska",
  "company_name": null,
  "street": "ul. Marszałkowska",
  "building_number": "84/92",
  "apartment_number": "12",
  "postal_code": "00-514",
  "city": "Warszawa",
  "country_code": "PL",
  "phone": "+48 600 100 200",
  "floor": 4,
  "has_elevator": false
})";

constexpr std::string_view kLocker = R"({
  "locker_id": "WAW01M",
  "first_name": "Jan",
  "last_name": "Nowak",
  "phone": "600100200"
})";

json::object address_with(std::string_view field, json::value value) {
  auto object = json::parse(kAddress).as_object();
  object[field] = std::move(value);
  return object;
}

json::object address_without(std::string_view field) {
  auto object = json::parse(kAddress).as_object();
  object.erase(field);
  return object;
}

json::object locker_with(std::string_view field, json::value value) {
  auto object = json::parse(kLocker).as_object();
  object[field] = std::move(value);
  return object;
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string text;
  for (const auto& error : errors) text += error.field + ": " + error.message + "\n";
  return text;
}

// The one error reading `object` gives, as "field: message".
std::string address_error(const json::object& object) {
  const auto reading = shipping::read_address(object);
  EXPECT_FALSE(reading.address);
  EXPECT_EQ(reading.errors.size(), 1U) << describe(reading.errors);
  return reading.errors.empty() ? "" : reading.errors[0].field + ": " + reading.errors[0].message;
}

std::string locker_error(const json::object& object) {
  const auto reading = shipping::read_locker(object);
  EXPECT_FALSE(reading.locker);
  EXPECT_EQ(reading.errors.size(), 1U) << describe(reading.errors);
  return reading.errors.empty() ? "" : reading.errors[0].field + ": " + reading.errors[0].message;
}

std::string phone_as(std::string_view written) {
  const auto reading = shipping::read_address(address_with("phone", json::string(written)));
  EXPECT_TRUE(reading.address) << written << "\n" << describe(reading.errors);
  return reading.address ? reading.address->phone : "";
}

}  // namespace

TEST(Address, ReadsTheEventExample) {
  const auto reading = shipping::read_address(json::parse(kAddress));
  ASSERT_TRUE(reading.address) << describe(reading.errors);
  EXPECT_TRUE(reading.errors.empty());
  const Address& address = *reading.address;
  EXPECT_EQ(address.first_name, "Anna");
  EXPECT_EQ(address.last_name, "Kowalska");
  EXPECT_FALSE(address.company_name);
  EXPECT_EQ(address.street, "ul. Marszałkowska");
  EXPECT_EQ(address.building_number, "84/92");
  EXPECT_EQ(address.apartment_number, "12");
  EXPECT_EQ(address.postal_code, "00-514");
  EXPECT_EQ(address.city, "Warszawa");
  EXPECT_EQ(address.country_code, "PL");
  EXPECT_EQ(address.phone, "+48600100200");
  EXPECT_EQ(address.floor, 4);
  EXPECT_EQ(address.has_elevator, false);
}

TEST(Address, OptionalFieldsMayBeNullAbsentOrBlank) {
  auto object = json::parse(kAddress).as_object();
  for (const auto* field : {"company_name", "apartment_number", "floor", "has_elevator"}) {
    object.erase(field);
  }
  auto reading = shipping::read_address(object);
  ASSERT_TRUE(reading.address) << describe(reading.errors);
  EXPECT_FALSE(reading.address->company_name);
  EXPECT_FALSE(reading.address->apartment_number);
  EXPECT_FALSE(reading.address->floor);
  EXPECT_FALSE(reading.address->has_elevator);

  object["company_name"] = "  ";
  object["apartment_number"] = nullptr;
  object["floor"] = nullptr;
  object["has_elevator"] = nullptr;
  reading = shipping::read_address(object);
  ASSERT_TRUE(reading.address) << describe(reading.errors);
  EXPECT_FALSE(reading.address->company_name);
  EXPECT_FALSE(reading.address->floor);

  reading = shipping::read_address(address_with("company_name", "Sklep RTV „Żuraw” Sp. z o.o."));
  ASSERT_TRUE(reading.address) << describe(reading.errors);
  EXPECT_EQ(reading.address->company_name, "Sklep RTV „Żuraw” Sp. z o.o.");
}

TEST(Address, TrimsAndKeepsPolishLetters) {
  auto object = json::parse(kAddress).as_object();
  object["first_name"] = "  Łucja ";
  object["last_name"] = "\tGrzegorczyk-Świątek\n";
  object["city"] = "Żółkiewka";
  object["building_number"] = " 12a ";
  object["postal_code"] = " 22-335";
  const auto reading = shipping::read_address(object);
  ASSERT_TRUE(reading.address) << describe(reading.errors);
  EXPECT_EQ(reading.address->first_name, "Łucja");
  EXPECT_EQ(reading.address->last_name, "Grzegorczyk-Świątek");
  EXPECT_EQ(reading.address->city, "Żółkiewka");
  EXPECT_EQ(reading.address->building_number, "12A");
  EXPECT_EQ(reading.address->postal_code, "22-335");
}

TEST(Address, NamesCountCharactersNotBytes) {
  // 100 two-byte letters are 100 characters.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "ł";
  EXPECT_TRUE(shipping::read_address(address_with("first_name", json::string(hundred))).address);
  EXPECT_EQ(address_error(address_with("first_name", json::string(hundred + "a"))),
            "first_name: Imię może mieć najwyżej 100 znaków.");
  EXPECT_EQ(address_error(address_with("last_name", "")), "last_name: Podaj nazwisko.");
  EXPECT_EQ(address_error(address_with("last_name", "   ")), "last_name: Podaj nazwisko.");
  EXPECT_EQ(address_error(address_with("street", json::string(std::string(201, 'x')))),
            "street: Ulica może mieć najwyżej 200 znaków.");
  EXPECT_EQ(address_error(address_with("company_name", json::string(std::string(301, 'x')))),
            "company_name: Nazwa firmy może mieć najwyżej 300 znaków.");
  EXPECT_EQ(address_error(address_with("city", json::string(std::string(101, 'x')))),
            "city: Miejscowość może mieć najwyżej 100 znaków.");
  EXPECT_EQ(address_error(address_with("apartment_number", json::string(std::string(21, '1')))),
            "apartment_number: Numer lokalu może mieć najwyżej 20 znaków.");
}

TEST(Address, RejectsControlCharactersAndBrokenUtf8) {
  EXPECT_EQ(address_error(address_with("first_name", "An\nna")),
            "first_name: Imię zawiera niedozwolone znaki.");
  EXPECT_EQ(address_error(address_with("street", "ul.\x7f Polna")),
            "street: Ulica zawiera niedozwolone znaki.");
  EXPECT_EQ(address_error(address_with("city", "Krak\xc2\x85w")),
            "city: Miejscowość zawiera niedozwolone znaki.");
  EXPECT_EQ(address_error(address_with("city", "Krak\xc3w")),
            "city: Miejscowość zawiera nieprawidłowe znaki.");
  EXPECT_EQ(address_error(address_with("city", "\xc0\xafKrak")),
            "city: Miejscowość zawiera nieprawidłowe znaki.");
  EXPECT_EQ(address_error(address_with("city", "\xed\xa0\x80")),
            "city: Miejscowość zawiera nieprawidłowe znaki.");
  EXPECT_EQ(address_error(address_with("city", "\xf8\x88\x80\x80\x80")),
            "city: Miejscowość zawiera nieprawidłowe znaki.");
}

TEST(Address, EveryFieldsErrors) {
  EXPECT_EQ(address_error(address_without("first_name")), "first_name: Podaj imię.");
  EXPECT_EQ(address_error(address_with("first_name", nullptr)), "first_name: Podaj imię.");
  EXPECT_EQ(address_error(address_with("last_name", 7)), "last_name: Nazwisko musi być tekstem.");
  EXPECT_EQ(address_error(address_with("company_name", false)),
            "company_name: Nazwa firmy musi być tekstem.");
  EXPECT_EQ(address_error(address_without("street")), "street: Podaj ulicę.");
  EXPECT_EQ(address_error(address_with("building_number", "12B/")),
            "building_number: Numer budynku musi mieć postać 12, 12A lub 12/14.");
  EXPECT_EQ(address_error(address_with("building_number", "A12")),
            "building_number: Numer budynku musi mieć postać 12, 12A lub 12/14.");
  EXPECT_EQ(address_error(address_with("building_number", "12 A")),
            "building_number: Numer budynku musi mieć postać 12, 12A lub 12/14.");
  EXPECT_EQ(address_error(address_with("building_number", "12AB")),
            "building_number: Numer budynku musi mieć postać 12, 12A lub 12/14.");
  EXPECT_EQ(address_error(address_with("apartment_number", 12)),
            "apartment_number: Numer lokalu musi być tekstem.");
  EXPECT_EQ(address_error(address_with("postal_code", "00950")),
            "postal_code: Kod pocztowy musi mieć postać 00-950.");
  EXPECT_EQ(address_error(address_with("postal_code", "00-9500")),
            "postal_code: Kod pocztowy musi mieć postać 00-950.");
  EXPECT_EQ(address_error(address_with("postal_code", "AB-CDE")),
            "postal_code: Kod pocztowy musi mieć postać 00-950.");
  EXPECT_EQ(address_error(address_without("city")), "city: Podaj miejscowość.");
  EXPECT_EQ(address_error(address_with("country_code", "DE")),
            "country_code: Kraj musi być PL: dostarczamy tylko w Polsce.");
  EXPECT_EQ(address_error(address_with("country_code", "pl")),
            "country_code: Kraj musi być PL: dostarczamy tylko w Polsce.");
  EXPECT_EQ(address_error(address_without("country_code")), "country_code: Podaj kraj.");
  EXPECT_EQ(address_error(address_with("phone", "600 100 20")),
            "phone: Podaj polski numer telefonu: 9 cyfr, np. 600 700 800 lub +48 600 700 800.");
  EXPECT_EQ(address_error(address_with("floor", -6)),
            "floor: Piętro musi być liczbą od -5 do 200.");
  EXPECT_EQ(address_error(address_with("floor", 201)),
            "floor: Piętro musi być liczbą od -5 do 200.");
  EXPECT_EQ(address_error(address_with("floor", 2.5)),
            "floor: Piętro musi być liczbą od -5 do 200.");
  EXPECT_EQ(address_error(address_with("floor", "3")),
            "floor: Piętro musi być liczbą od -5 do 200.");
  EXPECT_EQ(address_error(address_with("has_elevator", "yes")),
            "has_elevator: Informacja o windzie musi mieć wartość tak lub nie.");
  EXPECT_EQ(address_error(address_with("zip", "00-950")), "zip: Nieznane pole „zip”.");
  EXPECT_TRUE(shipping::read_address(address_with("floor", -5)).address);
  EXPECT_TRUE(shipping::read_address(address_with("floor", 200)).address);
  EXPECT_TRUE(shipping::read_address(address_with("building_number", "12/14B")).address);
}

TEST(Address, AllErrorsAtOnceInFieldOrder) {
  auto object = json::parse(R"({"nickname": "ania", "phone": "12", "postal_code": "0-950",
                                "first_name": "", "floor": 500, "country_code": "CZ"})")
                    .as_object();
  const auto reading = shipping::read_address(object);
  EXPECT_FALSE(reading.address);
  std::vector<std::string> fields;
  for (const auto& error : reading.errors) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"first_name", "last_name", "street",
                                              "building_number", "postal_code", "city",
                                              "country_code", "phone", "floor", "nickname"}))
      << describe(reading.errors);
  EXPECT_EQ(shipping::read_address(json::array{}).errors.at(0).message,
            "Podaj adres dostawy jako obiekt JSON.");
}

TEST(Address, TheProblemNamesEveryFieldInPolish) {
  auto object = address_without("street");
  object["postal_code"] = "00950";
  const auto reading = shipping::read_address(object);
  const auto error = shipping::address_problem(reading.errors, "invalid_address");
  EXPECT_EQ(error.code, Errc::invalid);
  EXPECT_EQ(error.reason, "invalid_address");
  EXPECT_EQ(error.message, "Adres dostawy: podaj ulicę; kod pocztowy musi mieć postać 00-950.");
  ASSERT_EQ(error.fields.size(), 2U);
  EXPECT_EQ(error.fields[0].field, "street");
  EXPECT_EQ(error.fields[0].detail, "Podaj ulicę.");
  EXPECT_EQ(error.fields[1].field, "postal_code");
  EXPECT_EQ(error.fields[1].detail, "Kod pocztowy musi mieć postać 00-950.");

  const auto locker =
      shipping::read_locker(json::parse(R"({"locker_id": "X1", "first_name": "Jan"})"));
  const auto refused_locker = shipping::locker_problem(locker.errors, "invalid_address");
  EXPECT_EQ(refused_locker.reason, "invalid_address");
  EXPECT_EQ(refused_locker.message,
            "Odbiór w paczkomacie: nieprawidłowy kod paczkomatu (np. WAW01M); podaj nazwisko; "
            "podaj numer telefonu.");
  ASSERT_EQ(refused_locker.fields.size(), 3U);
  EXPECT_EQ(refused_locker.fields[2].detail, "Podaj numer telefonu.");
}

TEST(Address, PhoneNormalizations) {
  EXPECT_EQ(phone_as("600700800"), "+48600700800");
  EXPECT_EQ(phone_as("600 700 800"), "+48600700800");
  EXPECT_EQ(phone_as("600-700-800"), "+48600700800");
  EXPECT_EQ(phone_as("+48 600-700-800"), "+48600700800");
  EXPECT_EQ(phone_as("+48600700800"), "+48600700800");
  EXPECT_EQ(phone_as("0048600700800"), "+48600700800");
  EXPECT_EQ(phone_as("0048 22 123 45 67"), "+48221234567");
  EXPECT_EQ(phone_as(" 600 700 800 "), "+48600700800");
  for (const auto* bad :
       {"60070080", "6007008000", "+49600700800", "48600700800", "+48 060070080", "060 070 080",
        "600.700.800", "+48", "++48600700800", "600 700 80a", "+48 (0) 600 700 800"}) {
    const auto reading = shipping::read_address(address_with("phone", bad));
    EXPECT_FALSE(reading.address) << bad;
    ASSERT_EQ(reading.errors.size(), 1U) << bad;
    EXPECT_EQ(reading.errors[0].field, "phone");
  }
}

TEST(Address, PostalCodes) {
  EXPECT_TRUE(shipping::is_postal_code("00-950"));
  EXPECT_TRUE(shipping::is_postal_code("99-999"));
  EXPECT_FALSE(shipping::is_postal_code("00950"));
  EXPECT_FALSE(shipping::is_postal_code("00-95"));
  EXPECT_FALSE(shipping::is_postal_code("00 950"));
  EXPECT_FALSE(shipping::is_postal_code("0O-950"));
  EXPECT_FALSE(shipping::is_postal_code(""));
}

TEST(Address, JsonRoundTrip) {
  const auto address = shipping::read_address(json::parse(kAddress)).address.value();
  const auto object = shipping::address_to_json(address);
  EXPECT_EQ(object.size(), 12U);
  EXPECT_TRUE(object.at("company_name").is_null());
  EXPECT_EQ(object.at("phone"), "+48600100200");
  EXPECT_EQ(object.at("floor"), 4);
  auto back = shipping::address_from_json(object);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, address);

  Address bare = address;
  bare.floor.reset();
  bare.has_elevator.reset();
  bare.apartment_number.reset();
  const auto bare_object = shipping::address_to_json(bare);
  EXPECT_TRUE(bare_object.at("floor").is_null());
  EXPECT_TRUE(bare_object.at("has_elevator").is_null());
  EXPECT_EQ(shipping::address_from_json(bare_object).value(), bare);

  auto bad = shipping::address_from_json(address_with("postal_code", "1"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid);
  EXPECT_EQ(bad.error().reason, "invalid_address");
  EXPECT_EQ(bad.error().message, "Adres dostawy: kod pocztowy musi mieć postać 00-950.");
  ASSERT_EQ(bad.error().fields.size(), 1U);
  EXPECT_EQ(bad.error().fields[0].field, "postal_code");
  EXPECT_EQ(bad.error().fields[0].detail, "Kod pocztowy musi mieć postać 00-950.");
}

TEST(Locker, ReadsAndNormalizes) {
  const auto reading = shipping::read_locker(json::parse(kLocker));
  ASSERT_TRUE(reading.locker) << describe(reading.errors);
  EXPECT_EQ(*reading.locker, (LockerDelivery{"WAW01M", "Jan", "Nowak", "+48600100200"}));
  const auto lower = shipping::read_locker(locker_with("locker_id", " kra010m "));
  ASSERT_TRUE(lower.locker) << describe(lower.errors);
  EXPECT_EQ(lower.locker->locker_id, "KRA010M");
}

TEST(Locker, Ids) {
  for (const auto* good : {"WAW01M", "KRA010M", "GDA12", "POZ123ABC", "WRO01"}) {
    EXPECT_TRUE(shipping::read_locker(locker_with("locker_id", good)).locker) << good;
  }
  for (const auto* bad : {"WA01M", "WAWA01M", "WAW1M", "WAW0123M", "WAW01MMMM", "WAW-01M", "01WAWM",
                          "WAW01M1", "WAŁ01M"}) {
    EXPECT_EQ(locker_error(locker_with("locker_id", bad)),
              "locker_id: Nieprawidłowy kod paczkomatu (np. WAW01M).")
        << bad;
  }
}

TEST(Locker, EveryFieldsErrors) {
  auto object = json::parse(kLocker).as_object();
  object.erase("locker_id");
  EXPECT_EQ(locker_error(object), "locker_id: Podaj kod paczkomatu.");
  EXPECT_EQ(locker_error(locker_with("first_name", "")), "first_name: Podaj imię.");
  EXPECT_EQ(locker_error(locker_with("last_name", 1)), "last_name: Nazwisko musi być tekstem.");
  EXPECT_EQ(locker_error(locker_with("phone", "+44 20 7946 0958")),
            "phone: Podaj polski numer telefonu: 9 cyfr, np. 600 700 800 lub +48 600 700 800.");
  EXPECT_EQ(locker_error(locker_with("street", "Polna")), "street: Nieznane pole „street”.");
  const auto all = shipping::read_locker(json::parse(R"({"city": "Kraków"})"));
  std::vector<std::string> fields;
  for (const auto& error : all.errors) fields.push_back(error.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"locker_id", "first_name", "last_name", "phone", "city"}));
  EXPECT_EQ(shipping::read_locker(json::value("WAW01M")).errors.at(0).message,
            "Podaj dane odbioru w paczkomacie jako obiekt JSON.");
}

TEST(Locker, JsonRoundTrip) {
  const LockerDelivery locker{"KRA010M", "Zofia", "Wójcik", "+48501222333"};
  const auto object = shipping::locker_to_json(locker);
  EXPECT_EQ(object.size(), 4U);
  EXPECT_EQ(object.at("locker_id"), "KRA010M");
  EXPECT_EQ(shipping::locker_from_json(object).value(), locker);
  auto bad = shipping::locker_from_json(locker_with("locker_id", "X"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, "invalid_parcel_locker");
  EXPECT_EQ(bad.error().message,
            "Odbiór w paczkomacie: nieprawidłowy kod paczkomatu (np. WAW01M).");
}
