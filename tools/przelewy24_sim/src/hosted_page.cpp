#include "hosted_page.hpp"

#include "gateway_sim/html_escape.hpp"

namespace p24_sim {
namespace {

std::string format_amount(std::int64_t grosze, std::string_view currency) {
  const bool negative = grosze < 0;
  const auto magnitude = negative ? -grosze : grosze;
  const auto cents = magnitude % 100;
  return std::string(negative ? "-" : "") + std::to_string(magnitude / 100) + "," +
         (cents < 10 ? "0" : "") + std::to_string(cents) + " " + std::string(currency);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}
}  // namespace

std::optional<std::string> form_value(std::string_view form, std::string_view name) {
  while (!form.empty()) {
    const auto end = form.find('&');
    const auto pair = form.substr(0, end);
    form = end == std::string_view::npos ? std::string_view{} : form.substr(end + 1);
    const auto equals = pair.find('=');
    const auto key = form_decode(pair.substr(0, equals));
    if (!key || *key != name) continue;
    if (equals == std::string_view::npos) return std::string();
    return form_decode(pair.substr(equals + 1));
  }
  return std::nullopt;
}

std::string payment_page(const Transaction& transaction) {
  const auto token = gateway_sim::html_escape(transaction.token);
  const auto target = "/trnRequest/" + token;
  std::string state;
  if (transaction.outcome == Outcome::paid) {
    state = "<p class=\"state\">Transakcja została już opłacona.</p>";
  } else if (transaction.outcome == Outcome::failed) {
    state = "<p class=\"state\">Płatność została odrzucona.</p>";
  }
  return "<!DOCTYPE html>\n<html lang=\"pl\">\n<head><meta charset=\"utf-8\">"
         "<title>Przelewy24 (symulator) – płatność</title></head>\n<body>\n"
         "<h1>Przelewy24 – symulator płatności</h1>\n"
         "<dl><dt>Opis</dt><dd>" +
         gateway_sim::html_escape(transaction.order.description) + "</dd><dt>Kwota</dt><dd>" +
         gateway_sim::html_escape(
             format_amount(transaction.order.amount, transaction.order.currency)) +
         "</dd><dt>E-mail</dt><dd>" + gateway_sim::html_escape(transaction.order.email) +
         "</dd><dt>Numer transakcji</dt><dd>" + std::to_string(transaction.order_id) +
         "</dd></dl>\n" + state + "\n<form method=\"post\" action=\"" + target +
         "\">\n"
         "<button type=\"submit\" formaction=\"" +
         target +
         "?action=pay\">Zapłać</button>\n"
         "<button type=\"submit\" formaction=\"" +
         target +
         "?action=fail\">Odrzuć płatność</button>\n"
         "<button type=\"submit\" formaction=\"" +
         target +
         "?action=abandon\">Anuluj</button>\n"
         "</form>\n</body>\n</html>\n";
}

std::string unknown_token_page() {
  return "<!DOCTYPE html>\n<html lang=\"pl\">\n<head><meta charset=\"utf-8\">"
         "<title>Przelewy24 (symulator)</title></head>\n<body>\n"
         "<h1>Nieznana transakcja</h1>\n<p>Nie znaleziono transakcji o tym tokenie.</p>\n"
         "</body>\n</html>\n";
}

}  // namespace p24_sim
