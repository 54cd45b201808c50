// The view as stored in checkout:totals:{session_id} (beside its totals) and back.
#include <boost/json.hpp>

#include "json_fields.hpp"
#include "view.hpp"

namespace checkout {
namespace json = boost::json;
using fields::money_json;

namespace {

json::value reason_json(const std::optional<Reason>& reason) {
  if (!reason) return nullptr;
  return json::object{{"code", reason->code}, {"message", reason->message}};
}

platform::Result<std::optional<Reason>> reason_from(const json::object& o, std::string_view key) {
  const auto* value = fields::member(o, key);
  if (value == nullptr) return std::optional<Reason>();
  PLATFORM_TRY(const auto* object, fields::object(*value, key));
  Reason reason;
  PLATFORM_TRY(reason.code, fields::text(*object, "code"));
  PLATFORM_TRY(reason.message, fields::text(*object, "message"));
  return std::optional(std::move(reason));
}

json::object cart_json(const contracts::CartCopy& cart) {
  json::array lines;
  for (const auto& line : cart.lines) lines.push_back(contracts::cart_line_to_json(line));
  return json::object{{"version", cart.version},
                      {"cart_hash", cart.cart_hash},
                      {"occurred_at", cart.occurred_at},
                      {"lines", std::move(lines)}};
}

json::object shipping_json(const ShippingPart& part) {
  json::object out{{"version", part.version},
                   {"cleared", reason_json(part.cleared)},
                   {"address", part.address},
                   {"parcel_locker", part.parcel_locker}};
  if (part.method) {
    out["method"] = json::object{
        {"method_id", part.method->method_id},     {"name", part.method->name},
        {"price", money_json(part.method->price)}, {"cod", part.method->cash_on_delivery_allowed},
        {"destination", part.method->destination}, {"needs_day", part.method->needs_day}};
  }
  if (part.day) {
    out["day"] = json::object{{"method_id", part.day->method_id},
                              {"date", part.day->date},
                              {"from", part.day->window_from},
                              {"to", part.day->window_to},
                              {"surcharge", money_json(part.day->surcharge)}};
  }
  json::array addons;
  for (const auto& addon : part.addons) {
    addons.push_back(json::object{
        {"addon_id", addon.addon_id}, {"name", addon.name}, {"price", money_json(addon.price)}});
  }
  out["addons"] = std::move(addons);
  return out;
}

json::object promotion_json(const PromotionPart& part) {
  json::array applied = applied_promotions_json(part.applied);
  json::object out{{"version", part.version}, {"applied", std::move(applied)}};
  out["refused"] = part.refused ? json::value(json::object{{"code", part.refused->code},
                                                           {"reason", part.refused->reason},
                                                           {"message", part.refused->message}})
                                : json::value(nullptr);
  return out;
}

platform::Result<contracts::CartCopy> cart_from(const json::object& o, const CheckoutView& view) {
  contracts::CartCopy cart;
  cart.session_id = view.session_id;
  cart.user_id = view.user_id;
  PLATFORM_TRY(cart.version, fields::integer(o, "version"));
  PLATFORM_TRY(cart.cart_hash, fields::text(o, "cart_hash"));
  PLATFORM_TRY(cart.occurred_at, fields::text(o, "occurred_at"));
  PLATFORM_TRY(const auto* lines, fields::array(o, "lines"));
  for (const auto& line : *lines) {
    PLATFORM_TRY(auto parsed, contracts::cart_line_from_json(line));
    cart.lines.push_back(std::move(parsed));
  }
  return cart;
}

platform::Result<ShippingPart> shipping_from(const json::object& o) {
  ShippingPart part;
  PLATFORM_TRY(part.version, fields::integer(o, "version"));
  PLATFORM_TRY(part.cleared, reason_from(o, "cleared"));
  PLATFORM_TRY(part.address, fields::text(o, "address"));
  PLATFORM_TRY(part.parcel_locker, fields::text(o, "parcel_locker"));
  if (const auto* method = fields::member(o, "method")) {
    PLATFORM_TRY(const auto* m, fields::object(*method, "method"));
    DeliveryMethod out;
    PLATFORM_TRY(out.method_id, fields::text(*m, "method_id"));
    PLATFORM_TRY(out.name, fields::text(*m, "name"));
    PLATFORM_TRY(out.price, fields::money(*m, "price"));
    PLATFORM_TRY(out.cash_on_delivery_allowed, fields::boolean(*m, "cod"));
    PLATFORM_TRY(out.destination, fields::text(*m, "destination"));
    PLATFORM_TRY(out.needs_day, fields::boolean(*m, "needs_day"));
    part.method = std::move(out);
  }
  if (const auto* day = fields::member(o, "day")) {
    PLATFORM_TRY(const auto* d, fields::object(*day, "day"));
    DeliveryDay out;
    PLATFORM_TRY(out.method_id, fields::text(*d, "method_id"));
    PLATFORM_TRY(out.date, fields::text(*d, "date"));
    PLATFORM_TRY(out.window_from, fields::text(*d, "from"));
    PLATFORM_TRY(out.window_to, fields::text(*d, "to"));
    PLATFORM_TRY(out.surcharge, fields::money(*d, "surcharge"));
    part.day = std::move(out);
  }
  PLATFORM_TRY(const auto* addons, fields::array(o, "addons"));
  for (const auto& item : *addons) {
    PLATFORM_TRY(const auto* a, fields::object(item, "addons[]"));
    Addon addon;
    PLATFORM_TRY(addon.addon_id, fields::text(*a, "addon_id"));
    PLATFORM_TRY(addon.name, fields::text(*a, "name"));
    PLATFORM_TRY(addon.price, fields::money(*a, "price"));
    part.addons.push_back(std::move(addon));
  }
  return part;
}

platform::Result<PromotionPart> promotion_from(const json::object& o) {
  PromotionPart part;
  PLATFORM_TRY(part.version, fields::integer(o, "version"));
  PLATFORM_TRY(const auto* applied, fields::array(o, "applied"));
  for (const auto& item : *applied) {
    PLATFORM_TRY(const auto* p, fields::object(item, "applied[]"));
    AppliedPromotion promotion;
    PLATFORM_TRY(promotion.promotion_id, fields::text(*p, "promotion_id"));
    PLATFORM_TRY(promotion.name, fields::text(*p, "name"));
    PLATFORM_TRY(promotion.code, fields::optional_text(*p, "code"));
    PLATFORM_TRY(promotion.discount, fields::money(*p, "discount"));
    PLATFORM_TRY(promotion.free_delivery, fields::boolean(*p, "free_delivery"));
    PLATFORM_TRY(const auto* allocations, fields::array(*p, "allocations"));
    for (const auto& entry : *allocations) {
      PLATFORM_TRY(const auto* a, fields::object(entry, "allocations[]"));
      Allocation allocation;
      PLATFORM_TRY(allocation.item_id, fields::text(*a, "item_id"));
      PLATFORM_TRY(allocation.amount, fields::money(*a, "amount"));
      PLATFORM_TRY(allocation.lowest_price_30d, fields::optional_money(*a, "lowest_price_30d"));
      promotion.allocations.push_back(std::move(allocation));
    }
    part.applied.push_back(std::move(promotion));
  }
  if (const auto* refused = fields::member(o, "refused")) {
    PLATFORM_TRY(const auto* r, fields::object(*refused, "refused"));
    RefusedCode code;
    PLATFORM_TRY(code.code, fields::text(*r, "code"));
    PLATFORM_TRY(code.reason, fields::text(*r, "reason"));
    PLATFORM_TRY(code.message, fields::text(*r, "message"));
    part.refused = std::move(code);
  }
  return part;
}

}  // namespace

boost::json::array applied_promotions_json(const std::vector<AppliedPromotion>& applied) {
  json::array out;
  for (const auto& p : applied) {
    json::array allocations;
    for (const auto& a : p.allocations) {
      allocations.push_back(json::object{
          {"item_id", a.item_id},
          {"amount", money_json(a.amount)},
          {"lowest_price_30d",
           a.lowest_price_30d ? json::value(money_json(*a.lowest_price_30d)) : nullptr}});
    }
    out.push_back(json::object{{"promotion_id", p.promotion_id},
                               {"name", p.name},
                               {"code", p.code ? json::value(*p.code) : nullptr},
                               {"discount", money_json(p.discount)},
                               {"allocations", std::move(allocations)},
                               {"free_delivery", p.free_delivery}});
  }
  return out;
}

std::string view_to_json(const CheckoutView& view) {
  json::array warranties;
  for (const auto& c : view.warranty.choices) {
    warranties.push_back(json::object{{"item_id", c.item_id},
                                      {"plan_id", c.plan_id},
                                      {"kind", c.kind},
                                      {"name", c.name},
                                      {"price", money_json(c.price)}});
  }
  json::array changes;
  for (const auto& c : view.price_changes) {
    changes.push_back(json::object{{"item_id", c.item_id},
                                   {"old", money_json(c.old_unit_price)},
                                   {"new", money_json(c.new_unit_price)}});
  }
  json::object payment{{"version", view.payment.version},
                       {"attempt_version", view.payment.attempt_version},
                       {"cleared", reason_json(view.payment.cleared)}};
  if (view.payment.method) {
    payment["method"] = json::object{
        {"method_id", view.payment.method->method_id},
        {"gateway", view.payment.method->gateway ? json::value(*view.payment.method->gateway)
                                                 : json::value(nullptr)},
        {"fee", money_json(view.payment.method->fee)}};
  }
  return json::serialize(json::object{
      {"session_id", view.session_id},
      {"user_id", view.user_id},
      {"cart", cart_json(view.cart)},
      {"price_changes", std::move(changes)},
      {"warranty",
       json::object{{"version", view.warranty.version}, {"choices", std::move(warranties)}}},
      {"shipping", shipping_json(view.shipping)},
      {"payment", std::move(payment)},
      {"promotion", promotion_json(view.promotion)},
  });
}

platform::Result<CheckoutView> view_from_json(std::string_view text) {
  json::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec) return platform::make_error(platform::Errc::internal, "a stored view is not JSON");
  PLATFORM_TRY(const auto* root, fields::object(parsed, "view"));
  CheckoutView view;
  PLATFORM_TRY(view.session_id, fields::text(*root, "session_id"));
  PLATFORM_TRY(view.user_id, fields::text(*root, "user_id"));
  PLATFORM_TRY(const auto* cart, fields::object(root->at("cart"), "cart"));
  PLATFORM_TRY(view.cart, cart_from(*cart, view));
  PLATFORM_TRY(const auto* changes, fields::array(*root, "price_changes"));
  for (const auto& item : *changes) {
    PLATFORM_TRY(const auto* c, fields::object(item, "price_changes[]"));
    PriceChange change;
    PLATFORM_TRY(change.item_id, fields::text(*c, "item_id"));
    PLATFORM_TRY(change.old_unit_price, fields::money(*c, "old"));
    PLATFORM_TRY(change.new_unit_price, fields::money(*c, "new"));
    view.price_changes.push_back(std::move(change));
  }
  PLATFORM_TRY(const auto* warranty, fields::object(root->at("warranty"), "warranty"));
  PLATFORM_TRY(view.warranty.version, fields::integer(*warranty, "version"));
  PLATFORM_TRY(const auto* choices, fields::array(*warranty, "choices"));
  for (const auto& item : *choices) {
    PLATFORM_TRY(const auto* c, fields::object(item, "choices[]"));
    WarrantyChoice choice;
    PLATFORM_TRY(choice.item_id, fields::text(*c, "item_id"));
    PLATFORM_TRY(choice.plan_id, fields::text(*c, "plan_id"));
    PLATFORM_TRY(choice.kind, fields::text(*c, "kind"));
    PLATFORM_TRY(choice.name, fields::text(*c, "name"));
    PLATFORM_TRY(choice.price, fields::money(*c, "price"));
    view.warranty.choices.push_back(std::move(choice));
  }
  PLATFORM_TRY(const auto* shipping, fields::object(root->at("shipping"), "shipping"));
  PLATFORM_TRY(view.shipping, shipping_from(*shipping));
  PLATFORM_TRY(const auto* payment, fields::object(root->at("payment"), "payment"));
  PLATFORM_TRY(view.payment.version, fields::integer(*payment, "version"));
  if (fields::member(*payment, "attempt_version") != nullptr) {  // views stored before it: 0
    PLATFORM_TRY(view.payment.attempt_version, fields::integer(*payment, "attempt_version"));
  }
  PLATFORM_TRY(view.payment.cleared, reason_from(*payment, "cleared"));
  if (const auto* method = fields::member(*payment, "method")) {
    PLATFORM_TRY(const auto* m, fields::object(*method, "method"));
    PaymentChoice choice;
    PLATFORM_TRY(choice.method_id, fields::text(*m, "method_id"));
    PLATFORM_TRY(choice.gateway, fields::optional_text(*m, "gateway"));
    PLATFORM_TRY(choice.fee, fields::money(*m, "fee"));
    view.payment.method = std::move(choice);
  }
  PLATFORM_TRY(const auto* promotion, fields::object(root->at("promotion"), "promotion"));
  PLATFORM_TRY(view.promotion, promotion_from(*promotion));
  return view;
}

}  // namespace checkout
