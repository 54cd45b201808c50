#include "gateway.hpp"

#include <array>
#include <utility>

namespace payment {
namespace {
constexpr std::array<std::pair<Gateway, std::string_view>, 3> kNames{{
    {Gateway::przelewy24, "przelewy24"},
    {Gateway::payu, "payu"},
    {Gateway::stripe, "stripe"},
}};
}  // namespace

std::string_view gateway_name(Gateway gateway) {
  for (const auto& [value, name] : kNames) {
    if (value == gateway) return name;
  }
  return "unknown";
}

std::optional<Gateway> gateway_from_name(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view gateway_state_name(GatewayState state) {
  switch (state) {
    case GatewayState::pending:
      return "pending";
    case GatewayState::succeeded:
      return "succeeded";
    case GatewayState::failed:
      return "failed";
    case GatewayState::refund_pending:
      return "refund_pending";
    case GatewayState::refund_succeeded:
      return "refund_succeeded";
    case GatewayState::refund_failed:
      return "refund_failed";
  }
  return "pending";
}

std::optional<std::string_view> WebhookRequest::header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace payment
