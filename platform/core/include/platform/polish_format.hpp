#pragma once
// Amounts as Polish customers read them in messages: "1 234,50 zł" and "62,4 kg" (thousands
// grouped with a plain space, a decimal comma). A plain space, not a non-breaking one: messages
// go into JSON and logs, where a non-breaking space is easy to miss and hard to type in a test.
// Pure, thread-safe.
#include <cstddef>
#include <cstdint>
#include <string>

#include "platform/money.hpp"

namespace platform {

// "1 234,50 zł"; another currency by its code ("10,00 EUR").
std::string polish_price(const Money& money);
// In tenths of a kilogram, rounded up: 25 001 g reads "25,1 kg", never "25 kg" next to a 25 kg
// limit it exceeds; whole kilograms without a decimal ("25 kg").
std::string polish_weight(std::int64_t grams);
// A length limit in a message: "1 znak", "2 znaki", "5 znaków", "22 znaki", "112 znaków".
std::string polish_characters(std::size_t n);

}  // namespace platform
