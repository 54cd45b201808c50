#pragma once
// What a payer does on a simulator's hosted page, or a test does through POST
// /control/payments/{id}/{action}: pay, fail (the gateway declines) or abandon (back to the shop
// without paying). Pure; no errors (an unknown name is std::nullopt).
#include <optional>
#include <string_view>

namespace gateway_sim {

enum class PageAction { pay, fail, abandon };

// "pay", "fail" or "abandon"; std::nullopt for anything else.
[[nodiscard]] std::optional<PageAction> page_action_from(std::string_view name);

}  // namespace gateway_sim
