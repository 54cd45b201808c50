#include "gateway_sim/page_action.hpp"

namespace gateway_sim {

std::optional<PageAction> page_action_from(std::string_view name) {
  if (name == "pay") return PageAction::pay;
  if (name == "fail") return PageAction::fail;
  if (name == "abandon") return PageAction::abandon;
  return std::nullopt;
}

}  // namespace gateway_sim
