#pragma once
// The Services' HTTP routes (contracts/openapi/services.yaml): request → use case → response.
// Errors become problem+json through platform/http/problem.hpp. Every route is the
// authenticated user's: a user reaches only their own session.
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "services_service.hpp"

namespace extra_services {

class ServicesHttpApi {
 public:
  explicit ServicesHttpApi(ServicesService& service);
  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer available(platform::http::Request request);
  Answer for_item(platform::http::Request request);
  Answer standalone(platform::http::Request request);

  ServicesService& service_;
};

}  // namespace extra_services
