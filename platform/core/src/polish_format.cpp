#include "platform/polish_format.hpp"

namespace platform {
namespace {
constexpr std::uint64_t kGramsPerTenthKg = 100;
constexpr std::uint64_t kGroszePerZloty = 100;

// 1234567 -> "1 234 567".
std::string grouped(std::uint64_t number) {
  std::string digits = std::to_string(number);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ' ';
    text += digits[i];
  }
  return text;
}

std::uint64_t magnitude(std::int64_t value) {
  // Through unsigned arithmetic: -INT64_MIN does not fit an int64.
  return value < 0 ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
}
}  // namespace

std::string polish_price(const Money& money) {
  const std::uint64_t grosze = magnitude(money.amount);
  std::string text = money.amount < 0 ? "-" : "";
  text += grouped(grosze / kGroszePerZloty);
  text += ',';
  if (grosze % kGroszePerZloty < 10) text += '0';
  text += std::to_string(grosze % kGroszePerZloty);
  text += ' ';
  text += money.currency == "PLN" ? std::string("zł") : money.currency;
  return text;
}

std::string polish_weight(std::int64_t grams) {
  const std::uint64_t tenths = (magnitude(grams) + kGramsPerTenthKg - 1) / kGramsPerTenthKg;
  std::string text = grams < 0 ? "-" : "";
  text += grouped(tenths / 10);
  if (tenths % 10 != 0) text += "," + std::to_string(tenths % 10);
  return text + " kg";
}

std::string polish_characters(std::size_t n) {
  const auto last = n % 10;
  const auto tens = n % 100 / 10;
  const char* word = n == 1 ? "znak" : (last >= 2 && last <= 4 && tens != 1) ? "znaki" : "znaków";
  return std::to_string(n) + " " + word;
}

}  // namespace platform
