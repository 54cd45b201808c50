#include "http_api.hpp"

#include <boost/json.hpp>

#include "platform/http/json.hpp"

namespace promotion {
namespace {
namespace http = platform::http;
using platform::Errc;
using platform::make_error;

// Promotion ids are the rules' (common.schema.json#/$defs/promotion_id: at most 128); codes are
// typed by people and cut at 64 (PromoCodeInvalid.code).
constexpr std::size_t kMaxPromotionIdLength = 128;
constexpr std::size_t kMaxCodeLength = 64;

http::Response ok(std::string body) {
  http::Response response;
  response.body = std::move(body);
  return response;
}

platform::Error field_error(std::string message) {
  return make_error(Errc::invalid, std::move(message), "invalid_field");
}

// The one string field of a body that must have only it.
platform::Result<std::string> only_string(std::string_view text, std::string_view field,
                                          std::size_t max_length) {
  PLATFORM_TRY(auto body, http::parse_json_object(text));
  PLATFORM_CHECK(http::only_fields(body, {field}));
  const auto* value = body.if_contains(field);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return field_error("'" + std::string(field) + "' is required");
  }
  if (value->as_string().size() > max_length) {
    return field_error("'" + std::string(field) + "' is at most " + std::to_string(max_length) +
                       " characters long");
  }
  return std::string(value->as_string());
}
}  // namespace

PromotionHttpApi::PromotionHttpApi(PromotionService& service) : service_(service) {}

void PromotionHttpApi::register_routes(http::Router& router) {
  router.add("GET", "/promotions/available",
             [this](http::Request r) { return available(std::move(r)); });
  router.add("POST", "/promotions/apply", [this](http::Request r) { return apply(std::move(r)); });
  router.add("POST", "/promotions/apply-code",
             [this](http::Request r) { return apply_code(std::move(r)); });
  router.add("DELETE", "/promotions/{id}",
             [this](http::Request r) { return remove(std::move(r)); });
}

PromotionHttpApi::Answer PromotionHttpApi::available(http::Request request) {
  PLATFORM_CO_TRY(auto document, co_await service_.available(request.user_id));
  co_return ok(std::move(document));
}

PromotionHttpApi::Answer PromotionHttpApi::apply(http::Request request) {
  PLATFORM_CO_TRY(auto id, only_string(request.body, "promotion_id", kMaxPromotionIdLength));
  PLATFORM_CO_TRY(auto document,
                  co_await service_.apply(request.user_id, std::move(id), request.trace));
  co_return ok(std::move(document));
}

PromotionHttpApi::Answer PromotionHttpApi::apply_code(http::Request request) {
  PLATFORM_CO_TRY(auto code, only_string(request.body, "code", kMaxCodeLength));
  PLATFORM_CO_TRY(auto document,
                  co_await service_.apply_code(request.user_id, std::move(code), request.trace));
  co_return ok(std::move(document));
}

PromotionHttpApi::Answer PromotionHttpApi::remove(http::Request request) {
  auto id = request.path_param("id");
  if (!id || id->empty() || id->size() > kMaxPromotionIdLength) {
    co_return make_error(Errc::not_found, "no such promotion applied", "not_applied");
  }
  PLATFORM_CO_TRY(auto document,
                  co_await service_.remove(request.user_id, std::string(*id), request.trace));
  co_return ok(std::move(document));
}

}  // namespace promotion
