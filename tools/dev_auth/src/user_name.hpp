#pragma once
// Who a dev token may be for. A named user picks a name by the rule below; a guest gets a random
// id with the prefix no name may take (contracts::kGuestPrefix), so a guest's cart is never
// reachable by signing in with its id. Pure and thread-safe.
#include <string>
#include <string_view>

#include "platform/error.hpp"

namespace dev_auth {

// A name is `^[a-z0-9][a-z0-9._-]{0,63}$` and does not start with "guest-". Otherwise
// Errc::invalid (422, reason "invalid_user_name") with a Polish message for the form, also
// given as the field error of `user`.
[[nodiscard]] platform::Status check_user_name(std::string_view name);

// "guest-" and 32 lowercase hex digits from the operating system's CSPRNG (OpenSSL RAND_bytes):
// an id contracts::is_guest_id accepts. Throws std::runtime_error if no random bytes can be had.
[[nodiscard]] std::string new_guest_id();

}  // namespace dev_auth
