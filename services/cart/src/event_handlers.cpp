#include "event_handlers.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <initializer_list>
#include <limits>

#include "contracts/event_types.hpp"

namespace cart {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Result<json::object> data_of(const platform::CloudEvent& event) {
  json::error_code ec;
  auto doc = json::parse(event.data, ec);
  if (ec || !doc.is_object()) {
    return make_error(Errc::malformed, event.type + " " + event.id + ": data is not a JSON object");
  }
  return std::move(doc.as_object());
}

platform::Result<std::string> string_field(const json::object& obj, std::string_view name,
                                           const platform::CloudEvent& event) {
  const auto* value = obj.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return make_error(Errc::malformed,
                      event.type + " " + event.id + ": missing '" + std::string(name) + "'");
  }
  return std::string(value->as_string());
}
platform::Error malformed(std::string_view what) {
  return make_error(Errc::malformed,
                    "ServiceAvailabilityCalculated: bad '" + std::string(what) + "'");
}

platform::Result<std::string> text(const json::object& obj, std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_string()) return malformed(field);
  return std::string(value->as_string());
}

platform::Result<const json::array*> array(const json::object& obj, std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_array()) return malformed(field);
  return &value->as_array();
}

platform::Result<std::optional<Reason>> reason(const json::object& obj) {
  const auto* value = obj.if_contains("reason");
  if (value == nullptr || value->is_null()) return std::optional<Reason>();
  if (!value->is_object()) return malformed("reason");
  PLATFORM_TRY(auto code, text(value->as_object(), "code"));
  PLATFORM_TRY(auto message, text(value->as_object(), "message"));
  return std::optional(Reason{std::move(code), std::move(message)});
}

platform::Result<ServiceVerdict> verdict_from(const json::value& value) {
  if (!value.is_object()) return malformed("service_lines");
  const auto& obj = value.as_object();
  ServiceVerdict verdict;
  PLATFORM_TRY(verdict.item_id, text(obj, "item_id"));
  PLATFORM_TRY(verdict.sku, text(obj, "sku"));
  const auto* allowed = obj.if_contains("allowed");
  const auto* quantity = obj.if_contains("quantity");
  const auto* price = obj.if_contains("unit_price");
  if (allowed == nullptr || !allowed->is_bool()) return malformed("allowed");
  if (quantity == nullptr || !quantity->is_int64() || quantity->as_int64() < 0) {
    return malformed("quantity");
  }
  if (price == nullptr || !price->is_object()) return malformed("unit_price");
  const auto* amount = price->as_object().if_contains("amount");
  if (amount == nullptr || !amount->is_int64() || amount->as_int64() < 0) {
    return malformed("unit_price");
  }
  PLATFORM_TRY(auto currency, text(price->as_object(), "currency"));
  verdict.allowed = allowed->as_bool();
  verdict.quantity = quantity->as_int64();
  verdict.unit_price = platform::Money{amount->as_int64(), std::move(currency)};
  PLATFORM_TRY(verdict.reason, reason(obj));
  return verdict;
}

// The unavailable services of one list (a line's, or the standalone ones: no parent).
platform::Status add_refusals(const json::array& unavailable,
                              const std::optional<std::string>& parent,
                              std::vector<ServiceRefusal>& refusals) {
  for (const auto& value : unavailable) {
    if (!value.is_object()) return malformed("unavailable");
    PLATFORM_TRY(auto sku, text(value.as_object(), "sku"));
    PLATFORM_TRY(auto why, reason(value.as_object()));
    if (!why) return malformed("unavailable.reason");
    refusals.push_back(ServiceRefusal{parent, std::move(sku), std::move(*why)});
  }
  return {};
}

// Checks of warranty-events data against its contract: the first fault, named.
platform::Error contract_broken(std::string_view type, std::string_view field) {
  return make_error(Errc::invalid, std::string(type) + ": '" + std::string(field) +
                                       "' missing or out of contract");
}

// JSON Schema's minLength and maxLength count characters (code points), not UTF-8 bytes.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

platform::Result<std::string> bounded_text(const json::object& obj, std::string_view type,
                                           std::string_view field, std::size_t max_length) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_string() || value->as_string().empty() ||
      characters(value->as_string()) > max_length) {
    return contract_broken(type, field);
  }
  return std::string(value->as_string());
}

// A string of `min`..`max` ASCII characters, each one `allowed` (a pattern such as
// ^[A-Z0-9-]{3,40}$).
template <typename Allowed>
platform::Result<std::string> patterned_text(const json::object& obj, std::string_view type,
                                             std::string_view field, std::size_t min,
                                             std::size_t max, Allowed allowed) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_string()) return contract_broken(type, field);
  const std::string_view text = value->as_string();
  if (text.size() < min || text.size() > max || !std::all_of(text.begin(), text.end(), allowed)) {
    return contract_broken(type, field);
  }
  return std::string(text);
}

bool upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// common.schema.json#/$defs/sku: ^[A-Z0-9-]{3,40}$
platform::Result<std::string> sku_text(const json::object& obj, std::string_view type) {
  return patterned_text(obj, type, "sku", 3, 40,
                        [](char c) { return upper_or_digit(c) || c == '-'; });
}

platform::Status check_sku(const json::object& obj, std::string_view type) {
  PLATFORM_TRY(auto sku, sku_text(obj, type));
  (void)sku;
  return {};
}

platform::Result<std::int64_t> bounded_integer(const json::object& obj, std::string_view type,
                                               std::string_view field, std::int64_t min,
                                               std::int64_t max) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_int64() || value->as_int64() < min ||
      value->as_int64() > max) {
    return contract_broken(type, field);
  }
  return value->as_int64();
}

platform::Result<platform::Money> money(const json::object& obj, std::string_view type,
                                        std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_object()) return contract_broken(type, field);
  const auto& fields = value->as_object();
  const auto* amount = fields.if_contains("amount");
  const auto* currency = fields.if_contains("currency");
  if (fields.size() != 2 || amount == nullptr || !amount->is_int64() || amount->as_int64() < 0 ||
      currency == nullptr || !currency->is_string() || currency->as_string().size() != 3 ||
      !std::all_of(currency->as_string().begin(), currency->as_string().end(),
                   [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return contract_broken(type, field);
  }
  return platform::Money{amount->as_int64(), std::string(currency->as_string())};
}

platform::Status check_enum(const json::object& obj, std::string_view type, std::string_view field,
                            std::initializer_list<std::string_view> allowed) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_string() ||
      std::find(allowed.begin(), allowed.end(), std::string_view(value->as_string())) ==
          allowed.end()) {
    return contract_broken(type, field);
  }
  return {};
}

// WarrantySelected's plan: price must be unit_price × quantity.
platform::Status read_selected_plan(const json::object& data, std::string_view type,
                                    Warranty& plan) {
  PLATFORM_CHECK(check_sku(data, type));
  PLATFORM_TRY(plan.name, bounded_text(data, type, "plan_name", 200));
  PLATFORM_TRY(plan.duration_months, bounded_integer(data, type, "duration_months", 1, 120));
  PLATFORM_TRY(plan.unit_price, money(data, type, "unit_price"));
  PLATFORM_TRY(plan.quantity, bounded_integer(data, type, "quantity", 1, 999));
  PLATFORM_TRY(plan.price, money(data, type, "price"));
  const auto most = std::numeric_limits<std::int64_t>::max() / plan.quantity;
  if (plan.price.currency != plan.unit_price.currency || plan.unit_price.amount > most ||
      plan.price.amount != plan.unit_price.amount * plan.quantity) {
    return contract_broken(type, "price");
  }
  return {};
}

// Checks of promotion-events data against its contract (contracts/events/Promo*.schema.json).
constexpr std::size_t kMaxLinesOfAPromotion = 500;

// common.schema.json#/$defs/promo_code: ^[A-Z0-9_-]{3,32}$
platform::Result<std::string> promo_code(const json::object& obj, std::string_view type) {
  return patterned_text(obj, type, "code", 3, 32,
                        [](char c) { return upper_or_digit(c) || c == '_' || c == '-'; });
}

// PromotionApplied's kind: ^[a-z][a-z0-9_]{0,63}$
platform::Status check_kind(const json::object& obj, std::string_view type) {
  PLATFORM_TRY(auto kind, patterned_text(obj, type, "kind", 1, 64, [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
               }));
  if (kind.front() < 'a' || kind.front() > 'z') return contract_broken(type, "kind");
  return {};
}

platform::Status check_bool(const json::object& obj, std::string_view type,
                            std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_bool()) return contract_broken(type, field);
  return {};
}

// item_ids: distinct cart line ids, at most 500.
platform::Status check_item_ids(const json::object& obj, std::string_view type) {
  const auto* value = obj.if_contains("item_ids");
  if (value == nullptr || !value->is_array() || value->as_array().size() > kMaxLinesOfAPromotion) {
    return contract_broken(type, "item_ids");
  }
  std::vector<std::string_view> seen;
  for (const auto& id : value->as_array()) {
    if (!id.is_string() || id.as_string().empty() || characters(id.as_string()) > 128 ||
        std::find(seen.begin(), seen.end(), std::string_view(id.as_string())) != seen.end()) {
      return contract_broken(type, "item_ids");
    }
    seen.emplace_back(id.as_string());
  }
  return {};
}

// One allocations entry (common.schema.json#/$defs/discount_allocation); `where` names it.
platform::Result<PromotionPart> read_part(const json::value& value, const std::string& where) {
  if (!value.is_object()) return contract_broken(where, "allocation");
  const auto& fields = value.as_object();
  PromotionPart part;
  PLATFORM_TRY(part.item_id, bounded_text(fields, where, "item_id", 128));
  PLATFORM_TRY(part.sku, sku_text(fields, where));
  PLATFORM_TRY(part.discount, money(fields, where, "amount"));
  const auto* lowest = fields.if_contains("lowest_price_30d");
  if (lowest == nullptr) return contract_broken(where, "lowest_price_30d");
  if (!lowest->is_null()) {
    PLATFORM_TRY(part.lowest_price_30d, money(fields, where, "lowest_price_30d"));
  }
  return part;
}

// The allocations: one per line, in the discount's currency, adding up to it exactly.
platform::Result<std::vector<PromotionPart>> read_parts(const json::object& data,
                                                        std::string_view type,
                                                        const platform::Money& discount) {
  const auto* value = data.if_contains("allocations");
  if (value == nullptr || !value->is_array() || value->as_array().size() > kMaxLinesOfAPromotion) {
    return contract_broken(type, "allocations");
  }
  std::vector<PromotionPart> parts;
  parts.reserve(value->as_array().size());
  std::int64_t left = discount.amount;
  for (const auto& entry : value->as_array()) {
    const auto where = std::string(type) + " allocations[" + std::to_string(parts.size()) + "]";
    PLATFORM_TRY(auto part, read_part(entry, where));
    const auto twice = std::any_of(parts.begin(), parts.end(), [&](const PromotionPart& held) {
      return held.item_id == part.item_id;
    });
    if (twice) return contract_broken(where, "item_id");
    if (part.discount.currency != discount.currency || part.discount.amount > left) {
      return contract_broken(where, "amount");
    }
    left -= part.discount.amount;
    parts.push_back(std::move(part));
  }
  // The parts add up to the discount exactly.
  if (left != 0) return contract_broken(type, "allocations");
  return parts;
}

platform::Status read_applied(const json::object& data, std::string_view type,
                              PromotionEvent& event) {
  PLATFORM_CHECK(bounded_text(data, type, "cart_hash", 128));
  PLATFORM_TRY(event.promotion_id, bounded_text(data, type, "promotion_id", 128));
  if (type == contracts::event_type::kPromoCodeApplied) {
    PLATFORM_TRY(event.code, promo_code(data, type));
    // The contract gives a code's promotion no name: its code stands for it.
    event.name = *event.code;
    if (data.contains("name")) {
      PLATFORM_TRY(event.name, bounded_text(data, type, "name", 200));
    }
  } else {
    PLATFORM_TRY(event.name, bounded_text(data, type, "name", 200));
    PLATFORM_CHECK(check_kind(data, type));
  }
  PLATFORM_TRY(const auto discount, money(data, type, "discount"));
  PLATFORM_CHECK(check_item_ids(data, type));
  PLATFORM_TRY(event.parts, read_parts(data, type, discount));
  PLATFORM_CHECK(check_bool(data, type, "free_delivery"));
  return {};
}

platform::Status read_removed(const json::object& data, std::string_view type,
                              PromotionEvent& event) {
  PLATFORM_TRY(event.promotion_id, bounded_text(data, type, "promotion_id", 128));
  const auto* code = data.if_contains("code");
  if (code == nullptr) return contract_broken(type, "code");
  if (!code->is_null()) {
    PLATFORM_TRY(event.code, promo_code(data, type));
  }
  return check_enum(data, type, "reason",
                    {"removed_by_customer", "no_longer_eligible", "code_expired"});
}

platform::Status read_code_invalid(const json::object& data, std::string_view type) {
  const auto* code = data.if_contains("code");
  if (code == nullptr || !code->is_string() || characters(code->as_string()) > 64) {
    return contract_broken(type, "code");
  }
  PLATFORM_CHECK(check_enum(data, type, "reason",
                            {"unknown", "expired", "not_yet_active", "usage_limit_reached",
                             "minimum_not_met", "not_applicable"}));
  PLATFORM_CHECK(bounded_text(data, type, "message", 500));
  return {};
}
}  // namespace

platform::Result<UserPromotionEvent> promotion_event_from_json(std::string_view type,
                                                               const json::object& data) {
  namespace et = contracts::event_type;
  UserPromotionEvent out;
  auto& event = out.event;
  if (type == et::kPromotionApplied || type == et::kPromoCodeApplied) {
    event.action = PromotionEvent::Action::applied;
  } else if (type == et::kPromotionRemoved) {
    event.action = PromotionEvent::Action::removed;
  } else if (type == et::kPromoCodeInvalid) {
    event.action = PromotionEvent::Action::other;
  } else {
    return make_error(Errc::invalid, "not a promotion event: " + std::string(type));
  }
  PLATFORM_TRY(event.session_id, bounded_text(data, type, "session_id", 128));
  PLATFORM_TRY(out.user_id, bounded_text(data, type, "user_id", 128));
  PLATFORM_TRY(event.version,
               bounded_integer(data, type, "version", 1, std::numeric_limits<std::int64_t>::max()));
  switch (event.action) {
    case PromotionEvent::Action::applied:
      PLATFORM_CHECK(read_applied(data, type, event));
      break;
    case PromotionEvent::Action::removed:
      PLATFORM_CHECK(read_removed(data, type, event));
      break;
    case PromotionEvent::Action::other:
      PLATFORM_CHECK(read_code_invalid(data, type));
      break;
  }
  return out;
}

platform::Result<UserWarrantyEvent> warranty_event_from_json(std::string_view type,
                                                             const json::object& data) {
  UserWarrantyEvent out;
  auto& event = out.event;
  if (type == contracts::event_type::kWarrantySelected) {
    event.action = WarrantyEvent::Action::selected;
  } else if (type == contracts::event_type::kWarrantyRemoved) {
    event.action = WarrantyEvent::Action::removed;
  } else {
    return make_error(Errc::invalid, "not a warranty event: " + std::string(type));
  }
  PLATFORM_TRY(event.session_id, bounded_text(data, type, "session_id", 128));
  PLATFORM_TRY(out.user_id, bounded_text(data, type, "user_id", 128));
  PLATFORM_TRY(event.version,
               bounded_integer(data, type, "version", 1, std::numeric_limits<std::int64_t>::max()));
  PLATFORM_TRY(event.item_id, bounded_text(data, type, "item_id", 128));
  PLATFORM_TRY(event.plan.plan_id, bounded_text(data, type, "plan_id", 64));
  const auto* kind_value = data.if_contains("kind");
  const auto kind = kind_value != nullptr && kind_value->is_string()
                        ? warranty_kind_from(kind_value->as_string())
                        : std::nullopt;
  if (!kind) return contract_broken(type, "kind");
  event.plan.kind = *kind;
  if (event.action == WarrantyEvent::Action::selected) {
    PLATFORM_CHECK(read_selected_plan(data, type, event.plan));
  } else {
    PLATFORM_CHECK(check_enum(data, type, "reason",
                              {"removed_by_customer", "parent_removed", "no_longer_eligible"}));
  }
  return out;
}

platform::Result<ServicesVerdict> services_verdict_from_json(const json::object& data) {
  ServicesVerdict verdict;
  PLATFORM_TRY(verdict.session_id, text(data, "session_id"));
  const auto* version = data.if_contains("version");
  const auto* cart_version = data.if_contains("cart_version");
  if (version == nullptr || !version->is_int64()) return malformed("version");
  if (cart_version == nullptr || !cart_version->is_int64()) return malformed("cart_version");
  verdict.services_version = version->as_int64();
  verdict.cart_version = cart_version->as_int64();
  PLATFORM_TRY(const auto* lines, array(data, "service_lines"));
  for (const auto& line : *lines) {
    PLATFORM_TRY(auto said, verdict_from(line));
    verdict.lines.push_back(std::move(said));
  }
  PLATFORM_TRY(const auto* items, array(data, "items"));
  for (const auto& item : *items) {
    if (!item.is_object()) return malformed("items");
    PLATFORM_TRY(auto item_id, text(item.as_object(), "item_id"));
    PLATFORM_TRY(const auto* unavailable, array(item.as_object(), "unavailable"));
    PLATFORM_CHECK(add_refusals(*unavailable, item_id, verdict.refusals));
  }
  PLATFORM_TRY(const auto* standalone, array(data, "standalone_unavailable"));
  PLATFORM_CHECK(add_refusals(*standalone, std::nullopt, verdict.refusals));
  return verdict;
}

boost::asio::awaitable<platform::Status> EventHandlers::on_services_event(
    const platform::CloudEvent& event) {
  if (event.type != contracts::event_type::kServiceAvailabilityCalculated) {
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto data, data_of(event));
  PLATFORM_CO_TRY(auto user_id, string_field(data, "user_id", event));
  PLATFORM_CO_TRY(auto verdict, services_verdict_from_json(data));
  co_return co_await service_.apply_services_verdict(
      std::move(user_id), std::move(verdict),
      platform::TraceContext::parse_or_generate(event.traceparent));
}

boost::asio::awaitable<platform::Status> EventHandlers::on_warranty_event(
    const platform::CloudEvent& event) {
  using namespace contracts::event_type;
  if (event.type != kWarrantySelected && event.type != kWarrantyRemoved) {
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto data, data_of(event));
  PLATFORM_CO_TRY(auto said, warranty_event_from_json(event.type, data));
  co_return co_await service_.apply_warranty_event(
      std::move(said.user_id), std::move(said.event),
      platform::TraceContext::parse_or_generate(event.traceparent));
}

boost::asio::awaitable<platform::Status> EventHandlers::on_promotion_event(
    const platform::CloudEvent& event) {
  using namespace contracts::event_type;
  if (event.type != kPromotionApplied && event.type != kPromoCodeApplied &&
      event.type != kPromotionRemoved && event.type != kPromoCodeInvalid) {
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto data, data_of(event));
  PLATFORM_CO_TRY(auto said, promotion_event_from_json(event.type, data));
  co_return co_await service_.apply_promotion_event(
      std::move(said.user_id), std::move(said.event),
      platform::TraceContext::parse_or_generate(event.traceparent));
}

boost::asio::awaitable<platform::Status> EventHandlers::on_catalog_event(
    const platform::CloudEvent& event) {
  using namespace contracts::event_type;
  if (event.type != kCatalogPriceChanged && event.type != kCatalogStockChanged &&
      event.type != kCatalogProductUpserted) {
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto data, data_of(event));
  PLATFORM_CO_TRY(auto sku, string_field(data, "sku", event));
  co_return co_await service_.reprice_holders(
      std::move(sku), platform::TraceContext::parse_or_generate(event.traceparent));
}

boost::asio::awaitable<platform::Status> EventHandlers::on_cart_event(
    const platform::CloudEvent& event) {
  using namespace contracts::event_type;
  if (event.type != kCartItemAdded && event.type != kCartItemQuantityChanged) {
    co_return platform::Status{};
  }
  PLATFORM_CO_TRY(auto data, data_of(event));
  PLATFORM_CO_TRY(auto user_id, string_field(data, "user_id", event));
  const auto* line = data.if_contains("line");
  if (line == nullptr || !line->is_object()) {
    co_return make_error(Errc::malformed, event.type + " " + event.id + ": missing 'line'");
  }
  PLATFORM_CO_TRY(auto sku, string_field(line->as_object(), "sku", event));
  co_return co_await service_.sync_with_catalog(
      std::move(user_id), std::move(sku),
      platform::TraceContext::parse_or_generate(event.traceparent));
}

boost::asio::awaitable<platform::Status> EventHandlers::on_checkout_event(
    const platform::CloudEvent& event) {
  if (event.type != contracts::event_type::kOrderCreated) co_return platform::Status{};
  PLATFORM_CO_TRY(auto data, data_of(event));
  PLATFORM_CO_TRY(auto user_id, string_field(data, "user_id", event));
  PLATFORM_CO_TRY(auto session_id, string_field(data, "session_id", event));
  co_return co_await service_.end_session(std::move(user_id), std::move(session_id));
}

}  // namespace cart
