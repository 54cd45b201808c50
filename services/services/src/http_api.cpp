#include "http_api.hpp"

namespace extra_services {
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
}  // namespace

ServicesHttpApi::ServicesHttpApi(ServicesService& service) : service_(service) {}

void ServicesHttpApi::register_routes(http::Router& router) {
  router.add("GET", "/services/available",
             [this](http::Request r) { return available(std::move(r)); });
  router.add("GET", "/services/for-item/{item_id}",
             [this](http::Request r) { return for_item(std::move(r)); });
  router.add("GET", "/services/standalone",
             [this](http::Request r) { return standalone(std::move(r)); });
}

ServicesHttpApi::Answer ServicesHttpApi::available(http::Request request) {
  PLATFORM_CO_TRY(auto document, co_await service_.available(request.user_id));
  co_return ok(std::move(document));
}

ServicesHttpApi::Answer ServicesHttpApi::for_item(http::Request request) {
  auto item_id = request.path_param("item_id");
  if (!item_id || item_id->empty() || item_id->size() > kMaxItemIdLength) {
    co_return make_error(Errc::not_found, "no such product line in your cart", "line_not_found");
  }
  PLATFORM_CO_TRY(auto document,
                  co_await service_.for_item(request.user_id, std::string(*item_id)));
  co_return ok(std::move(document));
}

ServicesHttpApi::Answer ServicesHttpApi::standalone(http::Request request) {
  PLATFORM_CO_TRY(auto document, co_await service_.standalone(request.user_id));
  co_return ok(std::move(document));
}

}  // namespace extra_services
