#pragma once
// Configuration comes from environment variables. Each getter takes the documented default;
// a value that is present but cannot be parsed or is out of range throws std::invalid_argument
// at startup with the variable's name (startup failures are exceptions, see STYLE.md).
#include <chrono>
#include <cstdint>
#include <string>

namespace platform::config {

std::string get_string(const char* name, const std::string& fallback);
std::int64_t get_int(const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max);
bool get_bool(const char* name, bool fallback);
std::chrono::milliseconds get_millis(const char* name, std::chrono::milliseconds fallback);

}  // namespace platform::config
