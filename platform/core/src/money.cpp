#include "platform/money.hpp"

#include <cstdlib>
#include <stdexcept>

namespace platform {
namespace {
void require_same_currency(const Money& a, const Money& b) {
  if (a.currency != b.currency) {
    throw std::logic_error("money currency mismatch: " + a.currency + " vs " + b.currency);
  }
}
}  // namespace

Money operator+(const Money& a, const Money& b) {
  require_same_currency(a, b);
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a.amount, b.amount, &sum)) throw std::overflow_error("money overflow");
  return Money{sum, a.currency};
}

Money operator-(const Money& a, const Money& b) {
  require_same_currency(a, b);
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(a.amount, b.amount, &diff))
    throw std::overflow_error("money overflow");
  return Money{diff, a.currency};
}

Money operator*(const Money& a, std::int64_t count) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a.amount, count, &product)) {
    throw std::overflow_error("money overflow");
  }
  return Money{product, a.currency};
}

std::string to_string(const Money& m) {
  const auto whole = m.amount / 100;
  const auto cents = std::llabs(m.amount % 100);
  const char* sign = (m.amount < 0 && whole == 0) ? "-" : "";
  return std::string(sign) + std::to_string(whole) + "." + (cents < 10 ? "0" : "") +
         std::to_string(cents) + " " + m.currency;
}

}  // namespace platform
