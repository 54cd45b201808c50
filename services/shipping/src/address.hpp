#pragma once
// The delivery address (common.schema.json#/$defs/address: a Polish address) and the parcel
// locker a customer gives instead for locker delivery, read from a request body with an error per
// field. Pure: no I/O.
#include <boost/json/fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "platform/error.hpp"

namespace shipping {

struct Address {
  std::string first_name;
  std::string last_name;
  std::optional<std::string> company_name;
  std::string street;
  std::string building_number;
  std::optional<std::string> apartment_number;
  std::string postal_code;  // NN-NNN
  std::string city;
  std::string country_code = "PL";
  std::string phone;  // normalized: "+48" and 9 digits
  std::optional<int> floor;
  std::optional<bool> has_elevator;
  friend bool operator==(const Address&, const Address&) = default;
};

// A parcel locker (paczkomat) and who collects the parcel there.
struct LockerDelivery {
  std::string locker_id;  // e.g. "WAW01M": 3 letters, 2-3 digits, up to 3 letters
  std::string first_name;
  std::string last_name;
  std::string phone;  // normalized as above
  friend bool operator==(const LockerDelivery&, const LockerDelivery&) = default;
};

struct FieldError {
  std::string field;  // the JSON field: "postal_code", "phone"
  // In Polish, shown next to the field as it comes: one sentence naming the field,
  // "Kod pocztowy musi mieć postać 00-950.", "Podaj ulicę."
  std::string message;
};

// Reads an address object. Errors: every field's problem at once (unknown fields too), in field
// order; empty when valid. Trims surrounding spaces; rejects control characters; the phone may
// be written "600 700 800", "+48 600-700-800" or "0048600700800" (Polish numbers, 9 digits).
// Required: first_name, last_name, street, building_number ("12", "12A", "12/14"; a letter is
// upper-cased), postal_code, city, country_code ("PL"), phone. Optional (absent or null):
// company_name and apartment_number (blank counts as absent), floor (-5..200), has_elevator.
// Lengths are in characters (UTF-8), as in the schema.
struct AddressReading {
  std::optional<Address> address;
  std::vector<FieldError> errors;
};
AddressReading read_address(const boost::json::value& json);

struct LockerReading {
  std::optional<LockerDelivery> locker;
  std::vector<FieldError> errors;
};
// Reads {locker_id, first_name, last_name, phone}, all required; the id is upper-cased.
LockerReading read_locker(const boost::json::value& json);

// NN-NNN, digits only.
bool is_postal_code(std::string_view text);

// The problem for the customer: Errc::invalid with `reason`, every field's message in
// Error::fields and all of them in one Polish detail headed by what they are about,
// "Adres dostawy: kod pocztowy musi mieć postać 00-950; podaj ulicę." /
// "Odbiór w paczkomacie: nieprawidłowy kod paczkomatu (np. WAW01M)."
[[nodiscard]] platform::Error address_problem(const std::vector<FieldError>& errors,
                                              std::string reason);
[[nodiscard]] platform::Error locker_problem(const std::vector<FieldError>& errors,
                                             std::string reason);

boost::json::object address_to_json(const Address& address);  // the schema's shape
boost::json::object locker_to_json(const LockerDelivery& locker);
// As read_address / read_locker: address_problem / locker_problem ("invalid_address" /
// "invalid_parcel_locker").
[[nodiscard]] platform::Result<Address> address_from_json(const boost::json::value& json);
[[nodiscard]] platform::Result<LockerDelivery> locker_from_json(const boost::json::value& json);

}  // namespace shipping
