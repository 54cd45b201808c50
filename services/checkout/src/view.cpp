#include "view.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <utility>

#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "json_fields.hpp"

namespace checkout {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::Errc;
using platform::make_error;

namespace {

constexpr std::array<std::pair<Component, std::string_view>, 6> kComponents{{
    {Component::cart, "cart"},
    {Component::warranty, "warranty"},
    {Component::shipping, "shipping"},
    {Component::payment, "payment"},
    {Component::promotion, "promotion"},
    {Component::checkout, "checkout"},
}};

using Applied = platform::Result<std::optional<CheckoutView>>;

// The header every session event carries: its session and version.
struct Header {
  std::string session_id;
  std::int64_t version = 0;
};

platform::Result<Header> header_of(const CheckoutView& view, const json::object& data) {
  Header header;
  PLATFORM_TRY(header.session_id, fields::text(data, "session_id"));
  PLATFORM_TRY(header.version, fields::integer(data, "version"));
  if (!view.session_id.empty() && header.session_id != view.session_id) {
    return make_error(Errc::invalid, "event data: the event belongs to another session",
                      "invalid_event");
  }
  return header;
}

platform::Result<std::optional<Reason>> reason_of(const json::object& data) {
  const auto* value = fields::member(data, "reason");
  if (value == nullptr) return std::optional<Reason>();
  PLATFORM_TRY(const auto* object, fields::object(*value, "reason"));
  Reason reason;
  PLATFORM_TRY(reason.code, fields::text(*object, "code"));
  PLATFORM_TRY(reason.message, fields::text(*object, "message"));
  return std::optional(std::move(reason));
}

// --- cart-events ---

Applied apply_cart(const CheckoutView& view, std::string_view type, const json::value& data) {
  auto copy = view.cart;
  if (copy.session_id.empty()) copy.session_id = view.session_id;
  PLATFORM_TRY(auto next, contracts::apply_cart_event(copy, type, data));
  if (!next) return std::optional<CheckoutView>();
  CheckoutView out = view;
  out.cart = std::move(*next);
  if (out.session_id.empty()) out.session_id = out.cart.session_id;
  if (out.user_id.empty()) out.user_id = out.cart.user_id;
  if (type != et::kCartItemRemoved && type != et::kCartItemPriceChanged) {
    return std::optional(std::move(out));
  }
  const auto& object = data.as_object();
  const auto* line = fields::member(object, "line");
  if (line == nullptr) return std::optional(std::move(out));
  PLATFORM_TRY(const auto* line_value, fields::object(*line, "line"));
  PLATFORM_TRY(const auto item_id, fields::text(*line_value, "item_id"));
  auto& changes = out.price_changes;
  if (type == et::kCartItemRemoved) {
    std::erase_if(changes, [&](const PriceChange& c) { return c.item_id == item_id; });
  } else if (type == et::kCartItemPriceChanged) {
    PLATFORM_TRY(auto old_price, fields::money(object, "old_unit_price"));
    PLATFORM_TRY(auto new_price, fields::money(*line_value, "unit_price"));
    auto held = std::find_if(changes.begin(), changes.end(),
                             [&](const PriceChange& c) { return c.item_id == item_id; });
    if (held == changes.end()) {
      changes.push_back(PriceChange{item_id, std::move(old_price), std::move(new_price)});
    } else {
      held->new_unit_price = std::move(new_price);  // the first price the customer saw stays
    }
    std::erase_if(changes,
                  [](const PriceChange& c) { return c.old_unit_price == c.new_unit_price; });
  }
  return std::optional(std::move(out));
}

// --- warranty-events ---

Applied apply_warranty(const CheckoutView& view, std::string_view type, const json::object& data) {
  PLATFORM_TRY(const auto header, header_of(view, data));
  if (header.version <= view.warranty.version) return std::optional<CheckoutView>();
  CheckoutView out = view;
  out.warranty.version = header.version;
  auto& choices = out.warranty.choices;
  if (type == et::kWarrantySelected || type == et::kWarrantyRemoved) {
    PLATFORM_TRY(auto item_id, fields::text(data, "item_id"));
    PLATFORM_TRY(auto kind, fields::text(data, "kind"));
    std::erase_if(choices,
                  [&](const WarrantyChoice& c) { return c.item_id == item_id && c.kind == kind; });
    if (type == et::kWarrantySelected) {
      WarrantyChoice choice{std::move(item_id), {}, std::move(kind), {}, {}};
      PLATFORM_TRY(choice.plan_id, fields::text(data, "plan_id"));
      PLATFORM_TRY(choice.name, fields::text(data, "plan_name"));
      PLATFORM_TRY(choice.price, fields::money(data, "price"));
      choices.push_back(std::move(choice));
    }
  }
  return std::optional(std::move(out));
}

// --- shipping-events ---

platform::Result<std::vector<Addon>> addons_of(const json::object& data) {
  PLATFORM_TRY(const auto* items, fields::array(data, "addons"));
  std::vector<Addon> addons;
  for (const auto& item : *items) {
    PLATFORM_TRY(const auto* object, fields::object(item, "addons[]"));
    Addon addon;
    PLATFORM_TRY(addon.addon_id, fields::text(*object, "addon_id"));
    PLATFORM_TRY(addon.name, fields::text(*object, "name"));
    PLATFORM_TRY(addon.price, fields::money(*object, "price"));
    addons.push_back(std::move(addon));
  }
  return addons;
}

platform::Status apply_shipping_type(ShippingPart& part, std::string_view type,
                                     const json::object& data) {
  if (type == et::kShippingMethodSelected) {
    DeliveryMethod method;
    PLATFORM_TRY(method.method_id, fields::text(data, "method_id"));
    PLATFORM_TRY(method.name, fields::text(data, "method_name"));
    PLATFORM_TRY(method.price, fields::money(data, "price"));
    PLATFORM_TRY(method.cash_on_delivery_allowed,
                 fields::boolean(data, "cash_on_delivery_allowed"));
    PLATFORM_TRY(auto destination, fields::optional_text(data, "destination"));
    method.destination = destination.value_or("address");
    if (const auto* needs_day = fields::member(data, "delivery_date_required")) {
      method.needs_day = needs_day->is_bool() && needs_day->as_bool();
    }
    part.method = std::move(method);
    part.cleared.reset();
  } else if (type == et::kShippingMethodCleared) {
    PLATFORM_TRY(part.cleared, reason_of(data));
    part.method.reset();
  } else if (type == et::kShippingAddressProvided) {
    const auto* address = fields::member(data, "address");
    const auto* locker = fields::member(data, "parcel_locker");
    part.address = address == nullptr ? "" : json::serialize(*address);
    part.parcel_locker = locker == nullptr ? "" : json::serialize(*locker);
  } else if (type == et::kDeliveryDateSelected) {
    DeliveryDay day;
    PLATFORM_TRY(day.method_id, fields::text(data, "method_id"));
    PLATFORM_TRY(day.date, fields::text(data, "delivery_date"));
    if (const auto* window = fields::member(data, "time_window")) {
      PLATFORM_TRY(const auto* object, fields::object(*window, "time_window"));
      PLATFORM_TRY(day.window_from, fields::text(*object, "from"));
      PLATFORM_TRY(day.window_to, fields::text(*object, "to"));
    }
    PLATFORM_TRY(day.surcharge, fields::money(data, "surcharge"));
    part.day = std::move(day);
  } else if (type == et::kShippingAddonsSelected) {
    PLATFORM_TRY(part.addons, addons_of(data));
  }
  return platform::Status{};
}

Applied apply_shipping(const CheckoutView& view, std::string_view type, const json::object& data) {
  PLATFORM_TRY(const auto header, header_of(view, data));
  if (header.version <= view.shipping.version) return std::optional<CheckoutView>();
  CheckoutView out = view;
  out.shipping.version = header.version;
  PLATFORM_CHECK(apply_shipping_type(out.shipping, type, data));
  return std::optional(std::move(out));
}

// --- payment-events ---

Applied apply_payment(const CheckoutView& view, std::string_view type, const json::object& data) {
  PLATFORM_TRY(const auto header, header_of(view, data));
  const bool choice = type == et::kPaymentMethodSelected || type == et::kPaymentMethodCleared;
  auto& last = choice ? view.payment.version : view.payment.attempt_version;
  if (header.version <= last) return std::optional<CheckoutView>();
  CheckoutView out = view;
  (choice ? out.payment.version : out.payment.attempt_version) = header.version;
  if (type == et::kPaymentMethodSelected) {
    PaymentChoice choice;
    PLATFORM_TRY(choice.method_id, fields::text(data, "method_id"));
    PLATFORM_TRY(choice.gateway, fields::optional_text(data, "gateway"));
    PLATFORM_TRY(choice.fee, fields::money(data, "fee"));
    out.payment.method = std::move(choice);
    out.payment.cleared.reset();
  } else if (type == et::kPaymentMethodCleared) {
    PLATFORM_TRY(out.payment.cleared, reason_of(data));
    out.payment.method.reset();
  }
  return std::optional(std::move(out));
}

// --- promotion-events ---

platform::Result<AppliedPromotion> promotion_of(std::string_view type, const json::object& data) {
  AppliedPromotion promotion;
  PLATFORM_TRY(promotion.promotion_id, fields::text(data, "promotion_id"));
  if (type == et::kPromoCodeApplied) {
    PLATFORM_TRY(auto code, fields::text(data, "code"));
    promotion.code = std::move(code);
    PLATFORM_TRY(auto name, fields::optional_text(data, "name"));
    promotion.name = name.value_or(*promotion.code);
  } else {
    PLATFORM_TRY(promotion.name, fields::text(data, "name"));
  }
  PLATFORM_TRY(promotion.discount, fields::money(data, "discount"));
  PLATFORM_TRY(const auto* allocations, fields::array(data, "allocations"));
  for (const auto& item : *allocations) {
    PLATFORM_TRY(const auto* object, fields::object(item, "allocations[]"));
    Allocation allocation;
    PLATFORM_TRY(allocation.item_id, fields::text(*object, "item_id"));
    PLATFORM_TRY(allocation.amount, fields::money(*object, "amount"));
    PLATFORM_TRY(allocation.lowest_price_30d, fields::optional_money(*object, "lowest_price_30d"));
    promotion.allocations.push_back(std::move(allocation));
  }
  if (const auto* free = fields::member(data, "free_delivery")) {
    promotion.free_delivery = free->is_bool() && free->as_bool();
  }
  return promotion;
}

Applied apply_promotion(const CheckoutView& view, std::string_view type, const json::object& data) {
  PLATFORM_TRY(const auto header, header_of(view, data));
  if (header.version <= view.promotion.version) return std::optional<CheckoutView>();
  CheckoutView out = view;
  auto& part = out.promotion;
  part.version = header.version;
  if (type == et::kPromotionApplied || type == et::kPromoCodeApplied) {
    PLATFORM_TRY(auto promotion, promotion_of(type, data));
    auto held = std::find_if(part.applied.begin(), part.applied.end(), [&](const auto& p) {
      return p.promotion_id == promotion.promotion_id;
    });
    if (held == part.applied.end()) {
      part.applied.push_back(std::move(promotion));
    } else {
      *held = std::move(promotion);
    }
    if (type == et::kPromoCodeApplied) part.refused.reset();
  } else if (type == et::kPromotionRemoved) {
    PLATFORM_TRY(const auto id, fields::text(data, "promotion_id"));
    std::erase_if(part.applied, [&](const auto& p) { return p.promotion_id == id; });
  } else if (type == et::kPromoCodeInvalid) {
    RefusedCode refused;
    PLATFORM_TRY(refused.code, fields::text(data, "code"));
    PLATFORM_TRY(refused.reason, fields::text(data, "reason"));
    PLATFORM_TRY(refused.message, fields::text(data, "message"));
    part.refused = std::move(refused);
  }
  return std::optional(std::move(out));
}

}  // namespace

std::string_view to_string(Component component) {
  for (const auto& [value, name] : kComponents) {
    if (value == component) return name;
  }
  return "unknown";
}

std::optional<Component> component_from(std::string_view name) {
  for (const auto& [value, known] : kComponents) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::optional<Component> component_of_topic(std::string_view topic) {
  if (topic == contracts::kCartTopic) return Component::cart;
  if (topic == contracts::kWarrantyTopic) return Component::warranty;
  if (topic == contracts::kShippingTopic) return Component::shipping;
  if (topic == contracts::kPaymentTopic) return Component::payment;
  if (topic == contracts::kPromotionTopic) return Component::promotion;
  return std::nullopt;
}

std::int64_t version_of(const CheckoutView& view, Component component) {
  switch (component) {
    case Component::cart:
      return view.cart.version;
    case Component::warranty:
      return view.warranty.version;
    case Component::shipping:
      return view.shipping.version;
    case Component::payment:
      return view.payment.version;
    case Component::promotion:
      return view.promotion.version;
    case Component::checkout:
      return 0;  // the service's own: kept beside the view
  }
  return 0;
}

platform::Result<std::optional<CheckoutView>> apply_event(const CheckoutView& view,
                                                          std::string_view topic,
                                                          std::string_view type,
                                                          const json::value& data) {
  PLATFORM_TRY(const auto* object, fields::object(data, "data"));
  const auto component = component_of_topic(topic);
  if (!component) return std::optional<CheckoutView>();
  switch (*component) {
    case Component::cart:
      return apply_cart(view, type, data);
    case Component::warranty:
      return apply_warranty(view, type, *object);
    case Component::shipping:
      return apply_shipping(view, type, *object);
    case Component::payment:
      return apply_payment(view, type, *object);
    case Component::promotion:
      return apply_promotion(view, type, *object);
    case Component::checkout:
      break;
  }
  return std::optional<CheckoutView>();
}

platform::Result<CheckoutView> acknowledge_price_changes(const CheckoutView& view,
                                                         const std::vector<std::string>& item_ids) {
  CheckoutView out = view;
  for (const auto& item_id : item_ids) {
    const auto erased = std::erase_if(out.price_changes,
                                      [&](const PriceChange& c) { return c.item_id == item_id; });
    if (erased == 0) {
      return make_error(
          Errc::invalid,
          "Pozycja " + item_id.substr(0, 64) + " nie ma zmiany ceny do potwierdzenia.",
          "no_price_change");
    }
  }
  return out;
}

}  // namespace checkout
