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

// common.schema.json#/$defs/sku: ^[A-Z0-9-]{3,40}$
platform::Status check_sku(const json::object& obj, std::string_view type) {
  const auto* value = obj.if_contains("sku");
  if (value == nullptr || !value->is_string()) return contract_broken(type, "sku");
  const std::string_view sku = value->as_string();
  if (sku.size() < 3 || sku.size() > 40 || !std::all_of(sku.begin(), sku.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      })) {
    return contract_broken(type, "sku");
  }
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
}  // namespace

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
