#pragma once
// The Warranty's HTTP routes (contracts/openapi/warranty.yaml): request → use case → response.
// Errors become problem+json through platform/http/problem.hpp. Every route is the
// authenticated user's: a user reaches only the lines of their own cart.
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "warranty_service.hpp"

namespace warranty {

class WarrantyHttpApi {
 public:
  explicit WarrantyHttpApi(WarrantyService& service);
  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer available(platform::http::Request request);
  Answer select(platform::http::Request request);
  Answer remove(platform::http::Request request);

  WarrantyService& service_;
};

}  // namespace warranty
