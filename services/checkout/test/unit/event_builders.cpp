#include "event_builders.hpp"

namespace checkout::testing {
namespace {

json::object header(std::int64_t version) {
  return json::object{{"session_id", kSession},
                      {"user_id", kUser},
                      {"version", version},
                      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                      {"occurred_at", "2026-12-01T10:00:00Z"}};
}

json::array allocations_json(const std::vector<std::pair<std::string, std::int64_t>>& allocations) {
  json::array out;
  for (const auto& [item_id, amount] : allocations) {
    out.push_back(json::object{{"item_id", item_id},
                               {"sku", "SKU-" + item_id},
                               {"amount", money(amount)},
                               {"lowest_price_30d", nullptr}});
  }
  return out;
}

}  // namespace

json::object money(std::int64_t grosze) {
  return json::object{{"amount", grosze}, {"currency", "PLN"}};
}

Event cart_event(std::int64_t version, const std::string& type, const Line& line,
                 std::optional<std::int64_t> old_unit_price) {
  auto data = header(version);
  data["cart_hash"] = "h-" + std::to_string(version);
  const bool goods = line.type != "service";
  data["line"] = json::object{
      {"item_id", line.item_id},
      {"type", line.type},
      {"sku", "SKU-" + line.item_id},
      {"name", "Produkt " + line.item_id},
      {"category", line.category},
      {"unit_price", money(line.unit_price)},
      {"quantity", line.quantity},
      {"parent_item_id", line.parent ? json::value(*line.parent) : json::value(nullptr)},
      {"weight_g", goods ? 1000 : 0},
      {"dimensions_mm", json::object{{"width", 1}, {"height", 1}, {"depth", 1}}},
      {"flags", json::array{}},
      {"validation", line.validated ? "validated" : "not_yet_validated"}};
  if (type == "CartItemPriceChanged") data["old_unit_price"] = money(old_unit_price.value_or(0));
  if (type == "CartItemQuantityChanged") data["old_quantity"] = 1;
  if (type == "CartItemRemoved") data["removed_with_parent"] = false;
  return Event{"cart-events", type, std::move(data)};
}

Event warranty_selected(std::int64_t version, const std::string& item_id, std::int64_t price,
                        const std::string& kind) {
  auto data = header(version);
  data["item_id"] = item_id;
  data["sku"] = "SKU-" + item_id;
  data["plan_id"] = kind + "_24m";
  data["kind"] = kind;
  data["plan_name"] = "Plan " + kind;
  data["duration_months"] = 24;
  data["price"] = money(price);
  data["unit_price"] = money(price);
  data["quantity"] = 1;
  return Event{"warranty-events", "WarrantySelected", std::move(data)};
}

Event warranty_removed(std::int64_t version, const std::string& item_id, const std::string& kind) {
  auto data = header(version);
  data["item_id"] = item_id;
  data["plan_id"] = kind + "_24m";
  data["kind"] = kind;
  data["reason"] = "customer";
  return Event{"warranty-events", "WarrantyRemoved", std::move(data)};
}

Event method_selected(std::int64_t version, const std::string& method_id, std::int64_t price,
                      bool needs_day, const std::string& destination) {
  auto data = header(version);
  data["cart_hash"] = "h";
  data["method_id"] = method_id;
  data["method_name"] = "Metoda " + method_id;
  data["price"] = money(price);
  data["cash_on_delivery_allowed"] = true;
  data["destination"] = destination;
  data["delivery_date_required"] = needs_day;
  return Event{"shipping-events", "ShippingMethodSelected", std::move(data)};
}

Event method_cleared(std::int64_t version, const std::string& method_id) {
  auto data = header(version);
  data["cart_hash"] = "h";
  data["method_id"] = method_id;
  data["reason"] = json::object{{"code", "too_heavy"}, {"message", "Za ciężki koszyk."}};
  return Event{"shipping-events", "ShippingMethodCleared", std::move(data)};
}

Event address_provided(std::int64_t version) {
  auto data = header(version);
  data["address"] = json::object{{"first_name", "Anna"},
                                 {"last_name", "Kowalska"},
                                 {"company_name", nullptr},
                                 {"street", "ul. Prosta"},
                                 {"building_number", "20"},
                                 {"apartment_number", nullptr},
                                 {"postal_code", "00-850"},
                                 {"city", "Warszawa"},
                                 {"country_code", "PL"},
                                 {"phone", "+48 600 100 200"},
                                 {"floor", 1},
                                 {"has_elevator", true}};
  data["parcel_locker"] = nullptr;
  return Event{"shipping-events", "ShippingAddressProvided", std::move(data)};
}

Event date_selected(std::int64_t version, const std::string& method_id, std::int64_t surcharge) {
  auto data = header(version);
  data["method_id"] = method_id;
  data["postal_code"] = "00-850";
  data["delivery_date"] = "2026-12-07";
  data["time_window"] = nullptr;
  data["surcharge"] = money(surcharge);
  return Event{"shipping-events", "DeliveryDateSelected", std::move(data)};
}

Event addons_selected(std::int64_t version, const std::vector<std::int64_t>& prices) {
  auto data = header(version);
  json::array addons;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < prices.size(); ++i) {
    addons.push_back(json::object{{"addon_id", "addon_" + std::to_string(i)},
                                  {"name", "Dodatek " + std::to_string(i)},
                                  {"price", money(prices[i])}});
    total += prices[i];
  }
  data["addons"] = std::move(addons);
  data["addons_total"] = money(total);
  return Event{"shipping-events", "ShippingAddonsSelected", std::move(data)};
}

Event payment_selected(std::int64_t version, const std::string& method_id, std::int64_t fee) {
  auto data = header(version);
  data["method_id"] = method_id;
  data["gateway"] =
      method_id == "cash_on_delivery" ? json::value(nullptr) : json::value("przelewy24");
  data["fee"] = money(fee);
  return Event{"payment-events", "PaymentMethodSelected", std::move(data)};
}

Event payment_cleared(std::int64_t version, const std::string& method_id) {
  auto data = header(version);
  data["method_id"] = method_id;
  data["reason"] = json::object{{"code", "shipping_method_excludes_cash_on_delivery"},
                                {"message", "Nie z paczkomatem."}};
  return Event{"payment-events", "PaymentMethodCleared", std::move(data)};
}

Event promotion_applied(std::int64_t version, const std::string& promotion_id,
                        const std::vector<std::pair<std::string, std::int64_t>>& allocations,
                        std::int64_t unallocated, bool free_delivery) {
  auto data = header(version);
  std::int64_t total = unallocated;
  json::array item_ids;
  for (const auto& [item_id, amount] : allocations) {
    total += amount;
    item_ids.push_back(json::value(item_id));
  }
  data["cart_hash"] = "h";
  data["promotion_id"] = promotion_id;
  data["name"] = "Promocja " + promotion_id;
  data["kind"] = "percentage";
  data["discount"] = money(total);
  data["item_ids"] = std::move(item_ids);
  data["allocations"] = allocations_json(allocations);
  data["free_delivery"] = free_delivery;
  return Event{"promotion-events", "PromotionApplied", std::move(data)};
}

Event code_applied(std::int64_t version, const std::string& code, const std::string& promotion_id,
                   const std::vector<std::pair<std::string, std::int64_t>>& allocations) {
  auto event = promotion_applied(version, promotion_id, allocations);
  auto& data = event.data.as_object();
  data.erase("name");
  data.erase("kind");
  data["code"] = code;
  event.type = "PromoCodeApplied";
  return event;
}

Event promotion_removed(std::int64_t version, const std::string& promotion_id) {
  auto data = header(version);
  data["promotion_id"] = promotion_id;
  data["code"] = nullptr;
  data["reason"] = "no_longer_eligible";
  return Event{"promotion-events", "PromotionRemoved", std::move(data)};
}

Event code_invalid(std::int64_t version, const std::string& code) {
  auto data = header(version);
  data["code"] = code;
  data["reason"] = "expired";
  data["message"] = "Kod rabatowy " + code + " wygasł.";
  return Event{"promotion-events", "PromoCodeInvalid", std::move(data)};
}

}  // namespace checkout::testing
