#include "summary.hpp"

#include <boost/json.hpp>

#include "json_fields.hpp"
#include "readiness.hpp"

namespace checkout {
namespace json = boost::json;
using fields::money_json;

namespace {

json::value parsed_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  json::error_code ec;
  auto value = json::parse(text, ec);
  return ec ? json::value(nullptr) : value;
}

json::value reason_json(const std::optional<Reason>& reason) {
  if (!reason) return nullptr;
  return json::object{{"code", reason->code}, {"message", reason->message}};
}

json::object line_json(const CheckoutView& view, const contracts::CartLine& line) {
  json::object out = contracts::cart_line_to_json(line);
  out["line_total"] = money_json(line.line_total());
  json::array warranties;
  for (const auto& w : view.warranty.choices) {
    if (w.item_id != line.item_id) continue;
    warranties.push_back(json::object{{"plan_id", w.plan_id},
                                      {"kind", w.kind},
                                      {"name", w.name},
                                      {"price", money_json(w.price)}});
  }
  out["warranties"] = std::move(warranties);
  json::array services;
  for (const auto& other : view.cart.lines) {
    if (other.is_service() && other.parent_item_id == line.item_id) {
      services.push_back(json::value(other.item_id));
    }
  }
  out["service_item_ids"] = std::move(services);
  out["price_change"] = nullptr;
  for (const auto& change : view.price_changes) {
    if (change.item_id != line.item_id) continue;
    out["price_change"] = json::object{{"old_unit_price", money_json(change.old_unit_price)},
                                       {"new_unit_price", money_json(change.new_unit_price)}};
  }
  return out;
}

json::object delivery_json(const CheckoutView& view) {
  const auto& shipping = view.shipping;
  json::object out{{"method", nullptr},
                   {"cleared", reason_json(shipping.cleared)},
                   {"address", parsed_or_null(shipping.address)},
                   {"parcel_locker", parsed_or_null(shipping.parcel_locker)},
                   {"day", nullptr},
                   {"free_delivery", free_delivery(view.promotion)}};
  if (shipping.method) {
    const auto& m = *shipping.method;
    out["method"] = json::object{
        {"method_id", m.method_id},     {"name", m.name},
        {"price", money_json(m.price)}, {"cash_on_delivery_allowed", m.cash_on_delivery_allowed},
        {"destination", m.destination}, {"delivery_date_required", m.needs_day}};
  }
  if (day_counts(shipping)) {
    const auto& d = *shipping.day;
    out["day"] = json::object{
        {"date", d.date},
        {"time_window", d.window_from.empty() ? json::value(nullptr)
                                              : json::value(json::object{{"from", d.window_from},
                                                                         {"to", d.window_to}})},
        {"surcharge", money_json(d.surcharge)}};
  }
  json::array addons;
  if (shipping.method) {
    for (const auto& a : shipping.addons) {
      addons.push_back(
          json::object{{"addon_id", a.addon_id}, {"name", a.name}, {"price", money_json(a.price)}});
    }
  }
  out["addons"] = std::move(addons);
  return out;
}

json::object payment_json(const CheckoutView& view) {
  json::object out{{"method", nullptr}, {"cleared", reason_json(view.payment.cleared)}};
  if (view.payment.method) {
    out["method"] = json::object{
        {"method_id", view.payment.method->method_id},
        {"gateway", view.payment.method->gateway ? json::value(*view.payment.method->gateway)
                                                 : json::value(nullptr)},
        {"fee", money_json(view.payment.method->fee)}};
  }
  return out;
}

json::object promotions_json(const CheckoutView& view) {
  json::array applied = applied_promotions_json(view.promotion.applied);
  json::value refused = nullptr;
  if (view.promotion.refused) {
    refused = json::object{{"code", view.promotion.refused->code},
                           {"reason", view.promotion.refused->reason},
                           {"message", view.promotion.refused->message}};
  }
  return json::object{{"applied", std::move(applied)}, {"refused_code", std::move(refused)}};
}

json::array consents_json(const SummaryInput& input) {
  json::array out;
  for (const auto& text : input.rules->consents) {
    json::object entry{
        {"consent_id", text.id}, {"required", text.required}, {"text_version", text.version},
        {"title", text.title},   {"text", text.text},         {"granted", false},
        {"given_at", nullptr}};
    for (const auto& given : input.consents) {
      if (given.consent_id != text.id || given.text_version != text.version) continue;
      entry["granted"] = given.granted;
      entry["given_at"] = given.given_at;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

json::array readiness_json(const std::vector<Blocker>& blockers) {
  json::array out;
  for (const auto& b : blockers) {
    json::object entry{{"code", b.code}, {"message", b.message}};
    if (b.item_id) entry["item_id"] = *b.item_id;
    if (b.consent_id) entry["consent_id"] = *b.consent_id;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

json::object versions_json(const CheckoutView& view, std::int64_t checkout_version) {
  return json::object{{"cart", view.cart.version},           {"warranty", view.warranty.version},
                      {"shipping", view.shipping.version},   {"payment", view.payment.version},
                      {"promotion", view.promotion.version}, {"checkout", checkout_version}};
}

json::object totals_json(const Totals& totals) {
  json::array vat;
  for (const auto& group : totals.vat) {
    vat.push_back(json::object{{"rate", group.rate.label()},
                               {"net", money_json(group.net)},
                               {"vat", money_json(group.vat)},
                               {"gross", money_json(group.gross)}});
  }
  return json::object{{"lines_total", money_json(totals.lines_total)},
                      {"warranties_total", money_json(totals.warranties_total)},
                      {"shipping_total", money_json(totals.shipping_total)},
                      {"payment_fee", money_json(totals.payment_fee)},
                      {"discount_total", money_json(totals.discount_total)},
                      {"grand_total", money_json(totals.grand_total)},
                      {"vat", std::move(vat)}};
}

json::object summary_json(const SummaryInput& input) {
  static const CheckoutView empty_view;
  static const Totals no_totals;
  const auto& view = input.view != nullptr ? *input.view : empty_view;
  const auto& totals = input.totals != nullptr ? *input.totals : no_totals;
  json::array lines;
  for (const auto& line : view.cart.lines) lines.push_back(line_json(view, line));
  const auto blockers = readiness(view, !input.customer_json.empty(), input.consents, *input.rules);
  json::object out{
      {"session_id", input.view != nullptr               ? json::value(view.session_id)
                     : !input.ordered_session_id.empty() ? json::value(input.ordered_session_id)
                                                         : nullptr},
      {"state", input.view != nullptr       ? input.state
                : !input.order_json.empty() ? std::string("ordered")
                                            : std::string("empty")},
      {"opened_at", input.opened_at.empty() ? json::value(nullptr) : json::value(input.opened_at)},
      {"updated_at",
       input.updated_at.empty() ? json::value(nullptr) : json::value(input.updated_at)},
      {"versions", versions_json(view, input.checkout_version)},
      {"lines", std::move(lines)},
      {"delivery", delivery_json(view)},
      {"payment", payment_json(view)},
      {"promotions", promotions_json(view)},
      {"customer_data", parsed_or_null(input.customer_json)},
      {"consents", consents_json(input)},
      {"totals", totals_json(totals)},
      {"readiness", readiness_json(blockers)},
      {"ready", blockers.empty()},
      {"order", parsed_or_null(input.order_json)},
  };
  return out;
}

}  // namespace checkout
