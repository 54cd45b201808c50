#pragma once
// Percentages as a rules file writes them ("10%", "7.5%", "7,25%": up to three whole digits and
// two decimals, a point or a Polish comma) in basis points (1000, 750, 725), so that money is
// never multiplied by a floating-point number. Apart from node.hpp so that an engine need not
// compile yaml-cpp. Pure, thread-safe.
#include <cstdint>
#include <optional>
#include <string_view>

namespace platform::rules {

inline constexpr std::int64_t kWholeBasisPoints = 10'000;  // 100%

// nullopt for any other text (no sign, no exponent, no "%%", no "7.%").
constexpr std::optional<std::int64_t> basis_points(std::string_view text) {
  if (!text.ends_with('%')) return std::nullopt;
  text.remove_suffix(1);
  const auto point = text.find_first_of(".,");
  const auto whole = text.substr(0, point);
  const auto fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  const auto digits = [](std::string_view part) {
    for (const char c : part) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (whole.empty() || whole.size() > 3 || !digits(whole) || fraction.size() > 2 ||
      !digits(fraction) || (point != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  std::int64_t bp = 0;
  for (const char c : whole) bp = bp * 10 + (c - '0');
  bp *= 100;
  if (!fraction.empty()) bp += std::int64_t{fraction[0] - '0'} * 10;
  if (fraction.size() == 2) bp += fraction[1] - '0';
  return bp;
}

static_assert(basis_points("7.5%") == 750 && basis_points("7,25%") == 725 &&
              basis_points("100%") == 10'000 && !basis_points("7.125%") && !basis_points("7.%") &&
              !basis_points("-5%") && !basis_points("5"));

}  // namespace platform::rules
