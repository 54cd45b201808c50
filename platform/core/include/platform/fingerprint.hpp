#pragma once
// A stable digest of a sequence of fields, for telling "the same as last time" apart from "changed"
// (what a service last published, the choices an answer was cached for): FNV-1a, 64 bits, the
// same across builds and processes (std::hash is not). Not a security digest. Each field ends with
// a separator byte no text can fake at a field's end, so ("ab", "c") and ("a", "bc") differ.
// A value type; pure.
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace platform {

class Fingerprint {
 public:
  void feed(std::string_view text) {
    for (const unsigned char c : text) mix(c);
    mix(0xff);
  }
  void feed(std::int64_t number) { feed(std::string_view(std::to_string(number))); }
  // 16 lowercase hex digits.
  [[nodiscard]] std::string hex() const {
    std::array<char, 17> text{};
    std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(hash_));
    return {text.data(), 16};
  }

 private:
  void mix(unsigned char byte) {
    hash_ ^= byte;
    hash_ *= 1099511628211ULL;
  }
  std::uint64_t hash_ = 14695981039346656037ULL;
};

}  // namespace platform
