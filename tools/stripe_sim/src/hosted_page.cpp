#include "hosted_page.hpp"

#include <boost/json/value.hpp>
#include <cstdint>
#include <string_view>

#include "gateway_sim/html_escape.hpp"

namespace stripe_sim {
namespace {

std::string money(std::int64_t minor, std::string_view currency) {
  auto cents = std::to_string(minor % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  std::string out = std::to_string(minor / 100) + "," + cents + " ";
  for (const char c : currency) out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return out;
}

std::string text_of(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::string page(std::string_view body) {
  return "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">"
         "<title>Stripe (symulator) – płatność</title></head><body>\n" +
         std::string(body) + "</body></html>\n";
}
}  // namespace

std::string render_page(const boost::json::object& session) {
  const auto id = gateway_sim::html_escape(text_of(session, "id"));
  const auto* amount = session.if_contains("amount_total");
  const auto total = amount != nullptr && amount->is_int64() ? amount->as_int64() : 0;
  std::string body = "<h1>Płatność (symulator Stripe)</h1>\n<p>Do zapłaty: <strong>" +
                     gateway_sim::html_escape(money(total, text_of(session, "currency"))) +
                     "</strong></p>\n";
  if (const auto email = text_of(session, "customer_email"); !email.empty()) {
    body += "<p>E-mail: " + gateway_sim::html_escape(email) + "</p>\n";
  }
  body += "<p>Sesja: <code>" + id + "</code></p>\n";
  const auto button = [&id](std::string_view action, std::string_view label) {
    return R"(<form method="post" action="/c/pay/)" + id +
           R"("><input type="hidden" name="action" value=")" + std::string(action) +
           R"("><button type="submit" name="button" value=")" + std::string(action) + R"(">)" +
           std::string(label) + "</button></form>\n";
  };
  body += button("pay", "Zapłać");
  body += button("fail", "Odrzuć płatność");
  body += button("abandon", "Anuluj");
  return page(body);
}

std::string render_notice(std::string_view message) {
  return page("<h1>Płatność (symulator Stripe)</h1>\n<p>" + gateway_sim::html_escape(message) +
              "</p>\n");
}

}  // namespace stripe_sim
