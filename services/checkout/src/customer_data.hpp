#pragma once
// The customer's contact data and invoice data (POST /checkout/customer-data): the body parsed and
// validated, every field at fault reported at once with a Polish sentence for the form; and the
// same data written as CustomerDataProvided wants it (contracts/events) and read back from the
// stored copy. Pure: no I/O; thread-compatible values and functions without shared state.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/error.hpp"
#include "platform/json_writer.hpp"

namespace checkout {

// One field at fault in the body.
struct FieldError {
  std::string field;    // JSON path, e.g. "customer.email", "invoice.nip"; "" for the whole body
  std::string code;     // malformed, unknown_field, not_allowed, required, too_long,
                        // invalid_characters, invalid_email, invalid_phone, invalid_nip,
                        // invalid_nip_checksum, invalid_postal_code, unsupported_country,
                        // invalid_invoice_type
  std::string message;  // Polish, for the customer
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

struct Customer {
  std::string email;  // normalized: trimmed, domain in lower case
  std::string phone;  // normalized: "+48 600 100 200", or "+<9..15 digits>" outside Poland
  std::string first_name;
  std::string last_name;
  friend bool operator==(const Customer&, const Customer&) = default;
};

struct InvoiceAddress {
  std::string street;
  std::string building_number;
  std::optional<std::string> apartment_number;
  std::string postal_code;  // NN-NNN
  std::string city;
  std::string country_code;  // PL
  friend bool operator==(const InvoiceAddress&, const InvoiceAddress&) = default;
};

enum class InvoiceType { none, private_person, company };

// none: a receipt. private_person: an invoice made out to the customer's name (company_name and
// nip empty). company: an invoice for a company. A parsed invoice of either kind has an address:
// a Polish VAT invoice names the buyer's address, and so does the event.
struct Invoice {
  InvoiceType type = InvoiceType::none;
  std::string company_name;
  std::string nip;  // 10 digits
  std::optional<InvoiceAddress> address;
  friend bool operator==(const Invoice&, const Invoice&) = default;
};

struct CustomerData {
  Customer customer;
  Invoice invoice;
  friend bool operator==(const CustomerData&, const CustomerData&) = default;
};

// NIP: 10 digits, not all zeros, whose weighted sum (6,5,7,2,3,4,5,6,7) mod 11 is the last digit.
[[nodiscard]] bool valid_nip(std::string_view digits_only);
// The 10 digits of a valid NIP given with an optional "PL" prefix and '-' or ' ' separators.
[[nodiscard]] std::optional<std::string> normalize_nip(std::string_view input);
// A practical e-mail check (one '@'; local part 1..64 characters of atext and single inner dots;
// a domain of 2+ labels of [A-Za-z0-9-], 1..63 each, not starting or ending with '-', the last
// all letters and 2+ long; 254 characters at most), trimmed, with the domain in lower case.
[[nodiscard]] std::optional<std::string> normalize_email(std::string_view input);
// Polish numbers ("600100200", "+48600100200", "0048 600-100-200", ...) as "+48 600 100 200";
// other countries ("+49 151 ...", "0049 ...") as "+" and their 9..15 digits. Both match the
// event's phone pattern ^\+?[0-9 ]{9,20}$. Separators ' ', '-', '.', '(' and ')' are ignored.
[[nodiscard]] std::optional<std::string> normalize_phone(std::string_view input);
// "NN-NNN", e.g. "00-950".
[[nodiscard]] bool valid_postal_code(std::string_view code);

// Parses and validates the body:
//   {"customer": {"email", "phone", "first_name", "last_name"},
//    "invoice": absent | null | {"type": "private", <address>}
//             | {"type": "company", "company_name", "nip", <address>}}
// <address>: street, building_number, apartment_number (optional), postal_code, city and
// country_code ("PL"; for a private invoice optional, PL when absent). Strings are trimmed; a
// member that is null counts as absent; unknown members are refused. On error: every field at
// fault, a body that is not a JSON object as the field "" (code malformed).
[[nodiscard]] std::variant<CustomerData, std::vector<FieldError>> parse_customer_data(
    std::string_view body);

// The members "customer" and "invoice" of CustomerDataProvided, written into the object the
// caller opened. A private invoice is written with type "personal" and null company_name and
// nip; an invoice without an address (never the result of parse_customer_data) as null.
void write_customer_data(platform::JsonWriter& out, const CustomerData& data);

// {"customer": ..., "invoice": ...} as in the event, for storage and the summary; and back
// (Errc::invalid naming the field at fault when the text is not such a document).
[[nodiscard]] std::string customer_data_to_json(const CustomerData& data);
[[nodiscard]] platform::Result<CustomerData> customer_data_from_json(std::string_view text);

}  // namespace checkout
