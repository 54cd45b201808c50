#pragma once
// The hosted payment pages' text and attribute values made safe for HTML: & < > " ' become
// entities. Pure; no errors.
#include <string>
#include <string_view>

namespace gateway_sim {

[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace gateway_sim
