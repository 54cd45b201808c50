#include "user_name.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "contracts/guest_id.hpp"

namespace dev_auth {
namespace {
constexpr std::size_t kMaxNameLength = 64;

bool lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool name_character(char c) {
  return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
}

platform::Error invalid_name(std::string message) {
  auto error = platform::make_error(platform::Errc::invalid, message, "invalid_user_name");
  error.fields.push_back({"user", std::move(message)});
  return error;
}
}  // namespace

platform::Status check_user_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || !lower_or_digit(name.front()) ||
      !std::all_of(name.begin(), name.end(), name_character)) {
    return invalid_name(
        "Nazwa użytkownika: 1–64 znaki: małe litery, cyfry, kropka, myślnik, podkreślenie; "
        "na początku litera lub cyfra");
  }
  if (name.starts_with(contracts::kGuestPrefix)) {
    return invalid_name(
        "Nazwa użytkownika nie może zaczynać się od „guest-” (tak nazywają się goście)");
  }
  return {};
}

std::string new_guest_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no random bytes for a guest id (RAND_bytes failed)");
  }
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string id(contracts::kGuestPrefix);
  for (const unsigned char byte : bytes) {
    id.push_back(kDigits[byte >> 4U]);
    id.push_back(kDigits[byte & 0xfU]);
  }
  return id;
}

}  // namespace dev_auth
