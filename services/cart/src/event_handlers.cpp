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
}  // namespace

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
