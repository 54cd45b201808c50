#pragma once
// Money is an integer number of grosze (1/100 PLN) with a currency. No floating point, ever.
#include <compare>
#include <cstdint>
#include <string>

namespace platform {

struct Money {
  std::int64_t amount = 0;  // minor units (grosze)
  std::string currency = "PLN";

  friend bool operator==(const Money&, const Money&) = default;
  friend auto operator<=>(const Money&, const Money&) = default;
};

inline Money pln(std::int64_t grosze) {
  return Money{grosze, "PLN"};
}

// Arithmetic requires equal currencies; mixing currencies is a bug and throws std::logic_error.
Money operator+(const Money& a, const Money& b);
Money operator-(const Money& a, const Money& b);
// Multiplication by a count; throws std::overflow_error instead of wrapping.
Money operator*(const Money& a, std::int64_t count);

// "1234.56 PLN", for logs and messages only.
std::string to_string(const Money& m);

}  // namespace platform
