#include "carrier_calendar.hpp"

#include <boost/json.hpp>

#include "platform/httpclient/client.hpp"
#include "platform/polish_calendar.hpp"

namespace shipping {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

platform::Error garbled(std::string_view what) {
  return make_error(Errc::unavailable,
                    "carrier calendar: unexpected answer (" + std::string(what) + ")",
                    "carrier_unavailable");
}

std::optional<std::chrono::minutes> time_of_day(const json::value& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.as_string();
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours < 0 || hours > 24 || minutes < 0 || minutes > 59) return std::nullopt;
  return std::chrono::minutes(hours * 60 + minutes);
}
}  // namespace

platform::Result<CarrierCalendar> parse_carrier_calendar(std::string_view body) {
  json::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return garbled("not a JSON object");
  const auto& root = doc.as_object();
  CarrierCalendar calendar;
  if (const auto* region = root.if_contains("region"); region != nullptr && region->is_string()) {
    calendar.region = std::string(region->as_string());
  }
  const auto* days = root.if_contains("days");
  if (days == nullptr || !days->is_array()) return garbled("no days");
  for (const auto& item : days->as_array()) {
    if (!item.is_object()) return garbled("a day is not an object");
    const auto& obj = item.as_object();
    const auto* date = obj.if_contains("date");
    const auto* available = obj.if_contains("available");
    if (date == nullptr || !date->is_string() || available == nullptr || !available->is_bool()) {
      return garbled("a day without date or available");
    }
    CarrierDay day;
    auto parsed = platform::parse_date(date->as_string());
    if (!parsed) return garbled("a malformed date");
    day.date = *parsed;
    day.available = available->as_bool();
    if (const auto* reason = obj.if_contains("reason"); reason != nullptr && reason->is_string()) {
      day.reason = std::string(reason->as_string());
    }
    if (const auto* holiday = obj.if_contains("holiday");
        holiday != nullptr && holiday->is_string()) {
      day.holiday = std::string(holiday->as_string());
    }
    if (const auto* windows = obj.if_contains("windows");
        windows != nullptr && windows->is_array()) {
      for (const auto& window : windows->as_array()) {
        if (!window.is_object()) return garbled("a malformed window");
        auto from = time_of_day(window.as_object().contains("from") ? window.as_object().at("from")
                                                                    : json::value());
        auto to = time_of_day(window.as_object().contains("to") ? window.as_object().at("to")
                                                                : json::value());
        if (!from || !to) return garbled("a malformed window");
        day.windows.push_back({*from, *to});
      }
    }
    calendar.days.push_back(std::move(day));
  }
  return calendar;
}

CarrierClient::CarrierClient(platform::httpclient::HttpClient& http, std::string api_key, int days)
    : http_(http), authorization_("Bearer " + std::move(api_key)), days_(days) {}

bool CarrierClient::breaker_open() const {
  return http_.breaker().state() == platform::httpclient::CircuitBreaker::State::open;
}

boost::asio::awaitable<platform::Result<std::string>> CarrierClient::fetch(
    std::string calendar_service, std::string postal_code) {
  platform::httpclient::ClientRequest request;
  request.method = "GET";
  // Both values are checked shapes (^[a-z][a-z0-9_]*$, NN-NNN): nothing to escape.
  request.path_and_query = "/v1/calendar?service=" + calendar_service +
                           "&postal_code=" + postal_code + "&days=" + std::to_string(days_);
  request.headers.emplace_back("Authorization", authorization_);
  request.headers.emplace_back("Accept", "application/json");
  PLATFORM_CO_TRY(auto response, co_await http_.send(std::move(request)));
  if (response.status == 400 || response.status == 404) {
    co_return make_error(
        Errc::invalid,
        "Nie dostarczamy pod kod pocztowy " + postal_code + ". Sprawdź, czy kod jest poprawny.",
        "postal_code_not_served");
  }
  if (response.status != 200) {
    co_return make_error(Errc::unavailable,
                         "carrier calendar answered " + std::to_string(response.status),
                         "carrier_unavailable");
  }
  PLATFORM_CO_TRY(auto checked, parse_carrier_calendar(response.body));
  (void)checked;
  co_return std::move(response.body);
}

}  // namespace shipping
