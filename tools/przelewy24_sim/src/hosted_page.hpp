#pragma once
// The hosted payment page (GET /trnRequest/{token}): a small Polish HTML page with three
// buttons, Zapłać / Odrzuć płatność / Anuluj, each posting to /trnRequest/{token}. Pure
// functions, thread-safe.
//
// The kit's HTTP server answers 415 to a request body that is not application/json, so the
// buttons carry their action in the query (formaction="/trnRequest/{token}?action=pay") and the
// form sends an empty body; a form body `action=pay` is read as well, for servers that let it
// through.
#include <optional>
#include <string>
#include <string_view>

#include "ledger.hpp"

namespace p24_sim {

std::string payment_page(const Transaction& transaction);
std::string unknown_token_page();

// The value of `name` in an application/x-www-form-urlencoded body or query ('+' and %XX
// decoded); std::nullopt when absent or badly encoded.
std::optional<std::string> form_value(std::string_view form, std::string_view name);

}  // namespace p24_sim
