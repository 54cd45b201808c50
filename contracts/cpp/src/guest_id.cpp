#include "contracts/guest_id.hpp"

namespace contracts {

bool is_guest_id(std::string_view user_id) {
  // The bare prefix names no one: an issuer always puts an id after it.
  return user_id.size() > kGuestPrefix.size() && user_id.starts_with(kGuestPrefix);
}

}  // namespace contracts
