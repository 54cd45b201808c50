#pragma once
// The shape of the ids a rules file gives what it defines (delivery methods, addons, services):
// ^[a-z][a-z0-9_]{0,63}$. Requests and events name those things by the same ids, so an HTTP API
// can turn away a string of any other shape before looking it up. Apart from node.hpp so that
// such a caller does not compile yaml-cpp. Pure: no I/O, thread-safe.
#include <algorithm>
#include <cstddef>
#include <string_view>

namespace platform::rules {

inline constexpr std::size_t kMaxIdentifierLength = 64;

// Whether `text` is a lowercase ASCII letter, then up to 63 lowercase letters, digits or _.
constexpr bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > kMaxIdentifierLength || text.front() < 'a' ||
      text.front() > 'z') {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace platform::rules
