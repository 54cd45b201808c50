#include "hosted_page.hpp"

#include <array>
#include <utility>

#include "gateway_sim/html_escape.hpp"
#include "platform/polish_format.hpp"

namespace payu_sim {
namespace {
constexpr std::string_view kHead =
    "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">"
    "<title>PayU (symulator) – płatność</title></head><body>\n";
constexpr std::string_view kTail = "</body></html>\n";

std::string amount_text(const PageView& view) {
  if (view.currency == "PLN") return platform::polish_price(platform::pln(view.amount));
  return std::to_string(view.amount / 100) + "," + std::to_string(view.amount % 100 / 10) +
         std::to_string(view.amount % 10) + " " + view.currency;
}
}  // namespace

std::string render_page(const PageView& view) {
  const auto action =
      gateway_sim::html_escape("/pay/?orderId=" + view.order_id + "&token=" + view.token);
  std::string out(kHead);
  out += "<h1>PayU – symulator płatności</h1>\n";
  out += "<p>Zamówienie: <strong>" + gateway_sim::html_escape(view.description) + "</strong></p>\n";
  out += "<p>Kwota do zapłaty: <strong>" + gateway_sim::html_escape(amount_text(view)) +
         "</strong></p>\n";
  out += "<p>Status: " + gateway_sim::html_escape(view.status) + "</p>\n";
  constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kButtons{
      {{"pay", "Zapłać"}, {"fail", "Odrzuć płatność"}, {"abandon", "Anuluj"}}};
  for (const auto& [name, label] : kButtons) {
    out += R"(<form method="post" action=")" + action +
           R"("><input type="hidden" name="action" value=")" + std::string(name) +
           R"("><button type="submit">)" + std::string(label) + "</button></form>\n";
  }
  out += kTail;
  return out;
}

std::string render_notice(std::string_view heading, std::string_view text) {
  std::string out(kHead);
  out += "<h1>" + gateway_sim::html_escape(heading) + "</h1>\n<p>" +
         gateway_sim::html_escape(text) + "</p>\n";
  out += kTail;
  return out;
}

}  // namespace payu_sim
