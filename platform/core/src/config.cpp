#include "platform/config.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace platform::config {

std::string get_string(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? std::string(value) : fallback;
}

std::int64_t get_int(const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  std::string_view text(value);
  std::int64_t parsed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw std::invalid_argument(std::string(name) + ": not an integer: '" + value + "'");
  }
  if (parsed < min || parsed > max) {
    throw std::invalid_argument(std::string(name) + ": " + value + " is outside " +
                                std::to_string(min) + ".." + std::to_string(max));
  }
  return parsed;
}

bool get_bool(const char* name, bool fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  std::string_view text(value);
  if (text == "1" || text == "true" || text == "yes") return true;
  if (text == "0" || text == "false" || text == "no") return false;
  throw std::invalid_argument(std::string(name) + ": expected true/false, got '" + value + "'");
}

std::chrono::milliseconds get_millis(const char* name, std::chrono::milliseconds fallback) {
  return std::chrono::milliseconds(get_int(name, fallback.count(), 0, 24LL * 3600 * 1000));
}

}  // namespace platform::config
