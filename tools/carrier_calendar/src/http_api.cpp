#include "http_api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <string>
#include <utility>

#include "calendar.hpp"
#include "platform/http/json.hpp"
#include "platform/http/problem.hpp"
#include "platform/polish_calendar.hpp"

namespace carrier_sim {
namespace {
namespace json = boost::json;
namespace http = platform::http;
using platform::Errc;
using platform::make_error;

constexpr int kMaxDays = 31;
constexpr std::string_view kServices = "standard, two_person or locker";

platform::Error missing(std::string_view name, std::string_view expected) {
  return make_error(Errc::malformed,
                    "'" + std::string(name) + "' is required: " + std::string(expected),
                    "missing_parameter");
}

platform::Error invalid(std::string_view name, std::string_view expected) {
  return make_error(Errc::malformed, "'" + std::string(name) + "' must be " + std::string(expected),
                    "invalid_parameter");
}

platform::Error unknown_service(std::string_view name) {
  return make_error(Errc::not_found,
                    "unknown service '" + std::string(name) + "': " + std::string(kServices),
                    "unknown_service");
}

struct CalendarQuery {
  DeliveryService service = DeliveryService::standard;
  PostalCode postal_code;
  int days = 0;
};

platform::Result<PostalCode> postal_code_from(std::optional<std::string_view> text) {
  if (!text) return missing("postal_code", "a Polish postal code NN-NNN, e.g. 00-950");
  auto code = parse_postal_code(*text);
  if (!code) return invalid("postal_code", "a Polish postal code NN-NNN, e.g. 00-950");
  return std::move(*code);
}

// Shape first (400 naming the parameter), then whether the service exists (404).
platform::Result<CalendarQuery> calendar_query(const http::Request& request, int default_days) {
  const auto service = request.query_param("service");
  if (!service) return missing("service", kServices);
  CalendarQuery query;
  PLATFORM_TRY(query.postal_code, postal_code_from(request.query_param("postal_code")));
  query.days = default_days;
  if (const auto days = request.query_param("days")) {
    const bool digits =
        !days->empty() && days->size() <= 2 && std::all_of(days->begin(), days->end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
    query.days = digits ? std::stoi(*days) : 0;
    if (query.days < 1 || query.days > kMaxDays) {
      return invalid("days", "an integer from 1 to 31");
    }
  }
  const auto parsed = delivery_service_from(*service);
  if (!parsed) return unknown_service(*service);
  query.service = *parsed;
  return query;
}

struct BookingOrder {
  DeliveryService service = DeliveryService::standard;
  PostalCode postal_code;
  std::chrono::year_month_day date{};
};

platform::Result<std::string_view> string_field(const json::object& body, std::string_view name,
                                                std::string_view expected) {
  const auto* value = body.if_contains(name);
  if (value == nullptr) return missing(name, expected);
  if (!value->is_string()) return invalid(name, expected);
  return std::string_view(value->as_string());
}

platform::Result<BookingOrder> booking_order(std::string_view text) {
  PLATFORM_TRY(const auto body, http::parse_json_object(text));
  for (const auto& [name, value] : body) {
    if (name != "service" && name != "postal_code" && name != "date") {
      return make_error(
          Errc::malformed,
          "unknown field '" + std::string(name) + "' (a booking is service, postal_code and date)",
          "invalid_parameter");
    }
  }
  PLATFORM_TRY(const auto service, string_field(body, "service", kServices));
  PLATFORM_TRY(const auto postal_code, string_field(body, "postal_code", "NN-NNN"));
  PLATFORM_TRY(const auto date_text, string_field(body, "date", "a date YYYY-MM-DD"));
  BookingOrder order;
  PLATFORM_TRY(order.postal_code, postal_code_from(postal_code));
  const auto date = platform::parse_date(date_text);
  if (!date) return invalid("date", "a date YYYY-MM-DD");
  order.date = *date;
  const auto parsed = delivery_service_from(service);
  if (!parsed) return unknown_service(service);
  order.service = *parsed;
  return order;
}

json::object day_json(const CalendarDay& day) {
  json::object out;
  out["date"] = platform::format_date(day.date);
  out["available"] = day.available();
  if (day.reason) out["reason"] = name_of(*day.reason);
  if (day.holiday) out["holiday"] = *day.holiday;
  out["capacity_left"] = day.capacity_left;
  json::array windows;
  for (const auto& window : day.windows) {
    windows.push_back(json::object{{"from", format_time_of_day(window.from)},
                                   {"to", format_time_of_day(window.to)}});
  }
  out["windows"] = std::move(windows);
  return out;
}

// A constant-time comparison, so the key cannot be guessed byte by byte from timings.
bool same_key(std::string_view given, std::string_view expected) {
  unsigned difference = given.size() == expected.size() ? 0U : 1U;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const char other = i < expected.size() ? expected[i] : '\0';
    difference |= static_cast<unsigned char>(given[i]) ^ static_cast<unsigned char>(other);
  }
  return difference == 0;
}

bool starts_with_bearer(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return false;
  }
  return true;
}

// The error status a test asked for, as a problem+json of its own: the one status this program
// picks by hand (it is the fault, not an outcome of the rules).
http::Response injected_error(int status, std::string_view instance) {
  json::object body;
  body["type"] = "https://checkout.local/problems/injected_fault";
  body["title"] = "Injected fault";
  body["status"] = status;
  body["detail"] = "error_status " + std::to_string(status) + " injected by POST /control/faults";
  body["instance"] = instance;
  http::Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = json::serialize(body);
  if (status == 429 || status == 503) response.headers.emplace_back("Retry-After", "1");
  return response;
}

// The kit's server always writes an answer (a handler cannot close its connection, and one that
// throws gets a 500), so a "dropped" request gets the nearest thing: a response whose framing is
// broken, a second Content-Length that is not a number beside the server's own. RFC 9112 section
// 6.3 makes that an unrecoverable error: the client must discard the response and close the
// connection, as after a real drop (Beast: bad Content-Length, so platform::httpclient answers
// Errc::unavailable as for a reset; curl: "Invalid Content-Length", exit code 8). A client that
// reads only the first Content-Length sees an empty 502 with Connection: close.
http::Response dropped() {
  http::Response response;
  response.status = 502;
  response.content_type.clear();
  response.headers.emplace_back("Content-Length", "dropped");
  response.headers.emplace_back("Connection", "close");
  return response;
}
}  // namespace

CarrierApi::CarrierApi(ApiConfig config, SimClock& clock, BookingLedger& ledger,
                       FaultInjector& faults, HeldRequests& held)
    : config_(std::move(config)), clock_(clock), ledger_(ledger), faults_(faults), held_(held) {}

void CarrierApi::register_routes(http::Router& router) {
  // The server's JWT check is off: /v1 checks the API key itself, /control is open (loopback).
  const http::RouteOptions open{.authenticated = false};
  router.add(
      "GET", "/v1/calendar", [this](http::Request r) { return get_calendar(std::move(r)); }, open);
  router.add(
      "POST", "/v1/bookings", [this](http::Request r) { return post_booking(std::move(r)); }, open);
  router.add(
      "POST", "/control/faults", [this](http::Request r) { return post_faults(std::move(r)); },
      open);
  router.add(
      "POST", "/control/clock", [this](http::Request r) { return post_clock(std::move(r)); }, open);
  router.add(
      "POST", "/control/reset", [this](http::Request r) { return post_reset(std::move(r)); }, open);
  router.add(
      "GET", "/control/state", [this](http::Request r) { return get_state(std::move(r)); }, open);
}

CarrierApi::Answer CarrierApi::get_calendar(http::Request request) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  calendar_requests_.fetch_add(1, std::memory_order_relaxed);
  auto fault = co_await injected_fault(request.path);
  if (fault) co_return std::move(*fault);
  PLATFORM_CO_CHECK(authorize(request));
  PLATFORM_CO_TRY(const auto query, calendar_query(request, config_.default_days));

  const auto now = clock_.now();
  const auto service = query.service;
  const int prefix = query.postal_code.prefix;
  const auto days = calendar(
      service, prefix, platform::to_warsaw(now), query.days,
      [this, service, prefix](auto date) { return ledger_.booked(service, prefix, date); });
  json::object body;
  body["service"] = name_of(service);
  body["postal_code"] = query.postal_code.text;
  body["region"] = region_of(prefix).name;
  body["generated_at"] = format_timestamp(now);
  body["cutoff"] = format_time_of_day(kCutoff);
  json::array list;
  for (const auto& day : days) list.push_back(day_json(day));
  body["days"] = std::move(list);
  co_return http::json_response(200, body);
}

CarrierApi::Answer CarrierApi::post_booking(http::Request request) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  booking_requests_.fetch_add(1, std::memory_order_relaxed);
  auto fault = co_await injected_fault(request.path);
  if (fault) co_return std::move(*fault);
  PLATFORM_CO_CHECK(authorize(request));
  PLATFORM_CO_TRY(const auto order, booking_order(request.body));

  const auto earliest = earliest_delivery_day(order.service, platform::to_warsaw(clock_.now()));
  PLATFORM_CO_TRY(const auto booking,
                  ledger_.book(order.service, order.postal_code, order.date, earliest));
  json::object body;
  body["booking_id"] = booking.booking_id;
  body["service"] = name_of(booking.service);
  body["postal_code"] = booking.postal_code.text;
  body["region"] = booking.region;
  body["date"] = platform::format_date(booking.date);
  body["capacity_left"] = booking.capacity_left;
  co_return http::json_response(201, body);
}

CarrierApi::Answer CarrierApi::post_faults(http::Request request) {
  PLATFORM_CO_TRY(const auto config, parse_fault_config(request.body));
  faults_.set(config);
  // Requests held under the previous faults end now.
  held_.release_all();
  spdlog::info("faults set: {}", json::serialize(to_json(config)));
  co_return state();
}

CarrierApi::Answer CarrierApi::post_clock(http::Request request) {
  PLATFORM_CO_TRY(const auto body, http::parse_json_object(request.body));
  for (const auto& [name, value] : body) {
    if (name != "now") {
      co_return make_error(Errc::malformed, "unknown field '" + std::string(name) + "' (only now)",
                           "invalid_parameter");
    }
  }
  const auto* now = body.if_contains("now");
  if (now == nullptr) {
    co_return missing("now", "an RFC 3339 timestamp such as 2026-12-02T13:59:00Z, or null");
  }
  if (now->is_null()) {
    clock_.fix(std::nullopt);
    spdlog::info("clock: the system clock");
    co_return state();
  }
  const auto instant = now->is_string() ? parse_timestamp(now->as_string()) : std::nullopt;
  if (!instant) {
    co_return invalid("now", "an RFC 3339 timestamp such as 2026-12-02T13:59:00Z, or null");
  }
  clock_.fix(instant);
  spdlog::info("clock fixed at {}", format_timestamp(*instant));
  co_return state();
}

CarrierApi::Answer CarrierApi::post_reset(http::Request /*request*/) {
  faults_.reset();
  ledger_.clear();
  clock_.fix(std::nullopt);
  requests_.store(0, std::memory_order_relaxed);
  calendar_requests_.store(0, std::memory_order_relaxed);
  booking_requests_.store(0, std::memory_order_relaxed);
  held_.release_all();
  spdlog::info("reset: no faults, no bookings, the system clock, counters at 0");
  co_return state();
}

CarrierApi::Answer CarrierApi::get_state(http::Request /*request*/) {
  co_return state();
}

boost::asio::awaitable<std::optional<http::Response>> CarrierApi::injected_fault(std::string path) {
  const auto plan = faults_.next();
  if (plan.latency.count() > 0) {
    // A reset or new faults cut the wait short; the request is then answered for real, without
    // the rest of the old faults.
    const bool waited = co_await held_.hold(plan.latency);
    if (!waited) co_return std::nullopt;
  }
  if (plan.hang) {
    spdlog::debug("hang: holding {} for up to {} ms", path, config_.hang_limit.count());
    const bool held_to_the_limit = co_await held_.hold(config_.hang_limit);
    co_return http::problem(
        make_error(Errc::unavailable,
                   held_to_the_limit ? "held by the hang fault until its limit"
                                     : "held by the hang fault until faults changed or shutdown",
                   "hang_released"),
        path);
  }
  if (plan.drop) {
    spdlog::debug("drop: {}", path);
    co_return dropped();
  }
  if (plan.error_status) {
    spdlog::debug("error_status {}: {}", *plan.error_status, path);
    co_return injected_error(*plan.error_status, path);
  }
  co_return std::nullopt;
}

platform::Status CarrierApi::authorize(const http::Request& request) const {
  const auto header = request.header("authorization");
  if (!header || !starts_with_bearer(*header) || !same_key(header->substr(7), config_.api_key)) {
    return make_error(Errc::unauthenticated,
                      "Authorization: Bearer <CARRIER_API_KEY> is missing or wrong",
                      "unauthenticated");
  }
  return {};
}

http::Response CarrierApi::state() const {
  json::object body;
  body["faults"] = to_json(faults_.current());
  const auto fixed = clock_.fixed();
  json::object clock;
  if (fixed) {
    clock["fixed"] = format_timestamp(*fixed);
  } else {
    clock["fixed"] = nullptr;
  }
  clock["now"] = format_timestamp(clock_.now());
  body["clock"] = std::move(clock);
  body["counters"] = json::object{
      {"requests", requests_.load(std::memory_order_relaxed)},
      {"calendar_requests", calendar_requests_.load(std::memory_order_relaxed)},
      {"booking_requests", booking_requests_.load(std::memory_order_relaxed)},
      {"bookings", ledger_.count()},
  };
  body["held_requests"] = held_.size();
  return http::json_response(200, body);
}

}  // namespace carrier_sim
