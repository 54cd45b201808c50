#include "readiness.hpp"

#include "platform/polish_format.hpp"

namespace checkout {
namespace {

void add(std::vector<Blocker>& out, std::string code, std::string message) {
  out.push_back(Blocker{std::move(code), std::move(message), std::nullopt, std::nullopt});
}

void lines(const CheckoutView& view, std::vector<Blocker>& out) {
  if (view.cart.empty()) {
    add(out, "empty_cart", "Koszyk jest pusty.");
    return;
  }
  for (const auto& line : view.cart.lines) {
    if (line.validated) continue;
    out.push_back(Blocker{"line_not_validated",
                          "Sprawdzamy jeszcze, czy usługa \"" + line.name + "\" jest dostępna.",
                          line.item_id, std::nullopt});
  }
  for (const auto& change : view.price_changes) {
    const auto* line = view.cart.find(change.item_id);
    if (line == nullptr) continue;
    out.push_back(Blocker{"price_change_not_seen",
                          "Cena \"" + line->name + "\" zmieniła się z " +
                              platform::polish_price(change.old_unit_price) + " na " +
                              platform::polish_price(change.new_unit_price) +
                              "; potwierdź nową cenę.",
                          change.item_id, std::nullopt});
  }
}

void delivery(const CheckoutView& view, std::vector<Blocker>& out) {
  const auto& shipping = view.shipping;
  if (!shipping.method) {
    add(out, "no_delivery_method",
        shipping.cleared ? "Wybierz sposób dostawy: " + shipping.cleared->message
                         : "Wybierz sposób dostawy.");
    return;
  }
  const auto& method = *shipping.method;
  if (method.destination == "parcel_locker") {
    if (shipping.parcel_locker.empty()) add(out, "no_parcel_locker", "Wybierz paczkomat.");
  } else if (method.destination == "address" && shipping.address.empty()) {
    add(out, "no_address", "Podaj adres dostawy.");
  }
  if (method.needs_day && !(shipping.day && shipping.day->method_id == method.method_id)) {
    add(out, "no_delivery_day", "Wybierz dzień dostawy.");
  }
}

}  // namespace

std::vector<Blocker> readiness(const CheckoutView& view, bool has_customer_data,
                               const std::vector<GivenConsent>& consents,
                               const CheckoutRules& rules) {
  std::vector<Blocker> out;
  lines(view, out);
  delivery(view, out);
  if (!view.payment.method) {
    add(out, "no_payment_method",
        view.payment.cleared ? "Wybierz sposób płatności: " + view.payment.cleared->message
                             : "Wybierz sposób płatności.");
  }
  if (!has_customer_data) add(out, "no_customer_data", "Podaj dane kontaktowe.");
  for (const auto* text : missing_consents(consents, rules)) {
    out.push_back(
        Blocker{"consent_missing", "Zaakceptuj: " + text->title + ".", std::nullopt, text->id});
  }
  return out;
}

}  // namespace checkout
