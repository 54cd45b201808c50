#pragma once
// The carrier's delivery calendar: its answer read into plain structs (pure), and the client that
// asks for it through the kit's HTTP client and circuit breaker (tools/carrier_calendar/README.md
// describes the API; our simulator serves it on 8201).
//
// CarrierClient: fetch() may be called from any thread running the client's io_context; the
// client must outlive the io_context's run. Errors: Errc::unavailable (breaker open, the carrier
// down or answering 5xx), Errc::timeout, Errc::invalid (the carrier refused the postal code).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "delivery_rules.hpp"
#include "platform/error.hpp"

namespace platform::httpclient {
class HttpClient;
}

namespace shipping {

struct CarrierDay {
  std::chrono::year_month_day date;
  bool available = false;
  std::string reason;                  // holiday, sunday, saturday, full, not_served, too_soon
  std::optional<std::string> holiday;  // the holiday's Polish name
  std::vector<TimeWindow> windows;
};

struct CarrierCalendar {
  std::string region;
  std::vector<CarrierDay> days;
};

// Reads the carrier's calendar answer; Errc::unavailable when it is not the documented shape (a
// carrier answering garbage is as good as down).
[[nodiscard]] platform::Result<CarrierCalendar> parse_carrier_calendar(std::string_view body);

class CarrierClient {
 public:
  // `http` must outlive this; `api_key` is sent as a bearer token.
  CarrierClient(platform::httpclient::HttpClient& http, std::string api_key, int days);

  // The carrier's raw answer (JSON) for a calendar service and postal code, already checked by
  // parse_carrier_calendar.
  [[nodiscard]] boost::asio::awaitable<platform::Result<std::string>> fetch(
      std::string calendar_service, std::string postal_code);

  // The carrier's breaker is open: a call now would fail at once (so do not bother).
  [[nodiscard]] bool breaker_open() const;

 private:
  platform::httpclient::HttpClient& http_;
  std::string authorization_;
  int days_;
};

}  // namespace shipping
