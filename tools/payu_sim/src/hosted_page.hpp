#pragma once
// PayU's hosted payment page as the simulator draws it: a small page in Polish with the order and
// three buttons (Zapłać, Odrzuć płatność, Anuluj) that post action=pay|fail|abandon, form-encoded,
// back to the same address. Pure functions, thread-safe; everything shown is HTML-escaped.
#include <string>
#include <string_view>

#include "simulator.hpp"

namespace payu_sim {

std::string render_page(const PageView& view);
// A page with a heading and one line, for an order that is gone or already final.
std::string render_notice(std::string_view heading, std::string_view text);

}  // namespace payu_sim
