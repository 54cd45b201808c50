#pragma once
// The Promotion's HTTP routes (contracts/openapi/promotion.yaml): request → use case → response.
// Errors become problem+json through platform/http/problem.hpp. Every route is the authenticated
// user's: a user reaches only their own session.
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "promotion_service.hpp"

namespace promotion {

class PromotionHttpApi {
 public:
  explicit PromotionHttpApi(PromotionService& service);
  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer available(platform::http::Request request);
  Answer apply(platform::http::Request request);
  Answer apply_code(platform::http::Request request);
  Answer remove(platform::http::Request request);

  PromotionService& service_;
};

}  // namespace promotion
