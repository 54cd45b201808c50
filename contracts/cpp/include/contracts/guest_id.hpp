#pragma once
// The one rule for a guest's id (a guest token's sub), shared by its issuer (tools/dev_auth, which
// also keeps the prefix out of user names) and the Cart (which merges only a guest's cart and
// lets no guest merge): "guest-" and something after it. Pure, thread-safe.
#include <string_view>

namespace contracts {

inline constexpr std::string_view kGuestPrefix = "guest-";

[[nodiscard]] bool is_guest_id(std::string_view user_id);

}  // namespace contracts
