#pragma once
// The Shipping's HTTP routes: request → use case → response. Errors become problem+json through
// platform/http/problem.hpp; this file never picks a status for an error by hand.
#include <chrono>
#include <string>
#include <vector>

#include "platform/http/message.hpp"
#include "platform/http/router.hpp"
#include "shipping_service.hpp"

namespace shipping {

// Request bodies, parsed and checked. Errc::malformed for bad JSON, Errc::invalid for bad fields.
[[nodiscard]] platform::Result<std::string> parse_select(std::string_view body);
struct DayChoice {
  std::chrono::year_month_day date;
  std::vector<std::string> addon_ids;
};
[[nodiscard]] platform::Result<DayChoice> parse_set_date(std::string_view body);

// The customer's shipping choices as every write answers them (with the session's version).
std::string selection_json(const ShippingSession& session);
std::string calendar_json(const CalendarView& view);

class ShippingHttpApi {
 public:
  explicit ShippingHttpApi(ShippingService& service);
  // Registers every customer route (all authenticated).
  void register_routes(platform::http::Router& router);

 private:
  using Answer = boost::asio::awaitable<platform::Result<platform::http::Response>>;
  Answer available(platform::http::Request request);
  Answer selection(platform::http::Request request);
  Answer select(platform::http::Request request);
  Answer address(platform::http::Request request);
  Answer calendar(platform::http::Request request);
  Answer set_date(platform::http::Request request);

  ShippingService& service_;
};

}  // namespace shipping
