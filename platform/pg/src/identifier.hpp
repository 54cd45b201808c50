#pragma once
// Internal: schema names are spliced into SQL, so only plain lowercase identifiers are accepted.
#include <string_view>

namespace platform::pg::detail {

inline bool valid_identifier(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  for (char c : name) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace platform::pg::detail
