#include "http_api.hpp"

#include <boost/json.hpp>

#include "platform/http/json.hpp"
#include "platform/rules/identifier.hpp"

namespace warranty {
namespace {
namespace http = platform::http;
using platform::Errc;
using platform::make_error;

// Cart line ids are the Cart's (UUIDs); anything longer names no line.
constexpr std::size_t kMaxItemIdLength = 64;

http::Response ok(std::string body) {
  http::Response response;
  response.body = std::move(body);
  return response;
}

platform::Error field_error(std::string message) {
  return make_error(Errc::invalid, std::move(message), "invalid_field");
}

platform::Error no_such_line() {
  return make_error(Errc::not_found, "no such product line in your cart", "line_not_found");
}

bool names_a_line(std::string_view item_id) {
  return !item_id.empty() && item_id.size() <= kMaxItemIdLength;
}

platform::Error unknown_plan(std::string_view plan_id) {
  return make_error(Errc::invalid, "no warranty plan " + std::string(plan_id.substr(0, 64)),
                    "unknown_warranty");
}

struct SelectBody {
  std::string item_id;
  std::string warranty_id;
};

platform::Result<SelectBody> parse_select(std::string_view text) {
  PLATFORM_TRY(auto body, http::parse_json_object(text));
  PLATFORM_CHECK(http::only_fields(body, {"item_id", "warranty_id"}));
  const auto* item_id = body.if_contains("item_id");
  const auto* warranty_id = body.if_contains("warranty_id");
  if (item_id == nullptr || !item_id->is_string()) return field_error("'item_id' is required");
  if (warranty_id == nullptr || !warranty_id->is_string()) {
    return field_error("'warranty_id' is required");
  }
  return SelectBody{std::string(item_id->as_string()), std::string(warranty_id->as_string())};
}
}  // namespace

WarrantyHttpApi::WarrantyHttpApi(WarrantyService& service) : service_(service) {}

void WarrantyHttpApi::register_routes(http::Router& router) {
  router.add("GET", "/warranty/available",
             [this](http::Request r) { return available(std::move(r)); });
  router.add("POST", "/warranty/select", [this](http::Request r) { return select(std::move(r)); });
  router.add("DELETE", "/warranty/{item_id}",
             [this](http::Request r) { return remove(std::move(r)); });
}

WarrantyHttpApi::Answer WarrantyHttpApi::available(http::Request request) {
  auto item_id = request.query_param("item_id");
  if (!item_id || item_id->empty()) {
    co_return make_error(Errc::malformed, "the query parameter item_id is required",
                         "missing_item_id");
  }
  if (!names_a_line(*item_id)) co_return no_such_line();
  PLATFORM_CO_TRY(auto document, co_await service_.available(request.user_id, std::move(*item_id)));
  co_return ok(std::move(document));
}

WarrantyHttpApi::Answer WarrantyHttpApi::select(http::Request request) {
  PLATFORM_CO_TRY(auto body, parse_select(request.body));
  if (!names_a_line(body.item_id)) co_return no_such_line();
  if (!platform::rules::is_identifier(body.warranty_id)) co_return unknown_plan(body.warranty_id);
  PLATFORM_CO_TRY(auto document,
                  co_await service_.select(request.user_id, std::move(body.item_id),
                                           std::move(body.warranty_id), request.trace));
  co_return ok(std::move(document));
}

WarrantyHttpApi::Answer WarrantyHttpApi::remove(http::Request request) {
  auto item_id = request.path_param("item_id");
  if (!item_id || !names_a_line(*item_id)) co_return no_such_line();
  auto plan_id = request.query_param("warranty_id");
  // A warranty_id no plan could have: 422 unknown_warranty, as POST /warranty/select says.
  if (plan_id && !platform::rules::is_identifier(*plan_id)) co_return unknown_plan(*plan_id);
  PLATFORM_CO_TRY(auto document, co_await service_.remove(request.user_id, std::string(*item_id),
                                                          std::move(plan_id), request.trace));
  co_return ok(std::move(document));
}

}  // namespace warranty
