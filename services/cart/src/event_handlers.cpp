#include "event_handlers.hpp"

#include <boost/json.hpp>

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
}  // namespace

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
