#include "http_api.hpp"

#include <boost/json.hpp>

#include "address.hpp"
#include "contracts/catalog_product.hpp"
#include "platform/http/json.hpp"
#include "platform/json_writer.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/rules/identifier.hpp"

namespace shipping {
namespace {
using contracts::write_money;
namespace json = boost::json;
namespace http = platform::http;
using platform::Errc;
using platform::make_error;
// Method and addon ids are those of the rules file: a string of any other shape names nothing.
using platform::rules::is_identifier;

constexpr std::size_t kMaxAddons = 20;

platform::Error field_error(std::string message) {
  return make_error(Errc::invalid, std::move(message), "invalid_field");
}

void write_window(platform::JsonWriter& out, const std::optional<TimeWindow>& window) {
  if (!window) {
    out.null();
    return;
  }
  out.begin_object().key("from").value(format_time_of_day(window->from));
  out.key("to").value(format_time_of_day(window->to)).end_object();
}

http::Response ok(std::string body) {
  http::Response response;
  response.body = std::move(body);
  return response;
}

}  // namespace

platform::Result<std::string> parse_select(std::string_view text) {
  PLATFORM_TRY(auto body, http::parse_json_object(text));
  PLATFORM_CHECK(http::only_fields(body, {"method"}));
  const auto* method = body.if_contains("method");
  if (method == nullptr || !method->is_string()) return field_error("Wybierz metodę dostawy.");
  if (!is_identifier(method->as_string())) {
    return make_error(Errc::not_found, "Nie ma takiej metody dostawy.", "unknown_method");
  }
  return std::string(method->as_string());
}

platform::Result<DayChoice> parse_set_date(std::string_view text) {
  PLATFORM_TRY(auto body, http::parse_json_object(text));
  PLATFORM_CHECK(http::only_fields(body, {"date", "addons"}));
  const auto* date = body.if_contains("date");
  if (date == nullptr || !date->is_string()) return field_error("Wybierz dzień dostawy.");
  auto parsed = platform::parse_date(date->as_string());
  if (!parsed) return field_error("Nieprawidłowa data dostawy: podaj ją w postaci RRRR-MM-DD.");
  DayChoice choice{*parsed, {}};
  if (const auto* addons = body.if_contains("addons"); addons != nullptr && !addons->is_null()) {
    if (!addons->is_array()) return field_error("Usługi dodatkowe podaj jako listę.");
    if (addons->as_array().size() > kMaxAddons) {
      // kMaxAddons takes the genitive plural ("20 usług").
      return field_error("Możesz wybrać najwyżej " + std::to_string(kMaxAddons) +
                         " usług dodatkowych.");
    }
    for (const auto& addon : addons->as_array()) {
      if (!addon.is_string() || !is_identifier(addon.as_string())) {
        return make_error(Errc::invalid, "Nie ma takiej usługi dodatkowej.", "unknown_addon");
      }
      choice.addon_ids.emplace_back(addon.as_string());
    }
  }
  return choice;
}

std::string selection_json(const ShippingSession& session) {
  platform::JsonWriter out(1024);
  out.begin_object().key("session_id");
  if (session.session_id.empty()) {
    out.null();
  } else {
    out.value(session.session_id);
  }
  out.key("version").value(session.version).key("method");
  if (session.method) {
    const auto& m = *session.method;
    out.begin_object().key("id").value(m.id).key("name").value(m.name);
    write_money(out.key("price"), m.price);
    out.key("cash_on_delivery").value(m.cash_on_delivery);
    out.key("destination").value(to_string(m.destination)).end_object();
  } else {
    out.null();
  }
  out.key("address");
  if (session.address && !session.locker) {
    out.raw(json::serialize(address_to_json(*session.address)));
  } else {
    out.null();
  }
  out.key("parcel_locker");
  if (session.locker) {
    out.raw(json::serialize(locker_to_json(*session.locker)));
  } else {
    out.null();
  }
  out.key("delivery");
  if (session.day) {
    out.begin_object().key("date").value(platform::format_date(session.day->date));
    out.key("postal_code").value(session.day->postal_code).key("time_window");
    write_window(out, session.day->window);
    out.end_object();
  } else {
    out.null();
  }
  out.key("addons").begin_array();
  for (const auto& addon : session.addons) {
    out.begin_object().key("id").value(addon.id).key("name").value(addon.name);
    write_money(out.key("price"), addon.price);
    out.end_object();
  }
  out.end_array();
  write_money(out.key("addons_total"), session.addons_total());
  out.end_object();
  return std::move(out).take();
}

std::string calendar_json(const CalendarView& view) {
  const auto& held = *view.held;
  platform::JsonWriter out(held.days_json.size() + 256);
  out.begin_object().key("method").value(view.method_id);
  out.key("postal_code").value(view.postal_code).key("region").value(held.calendar.region);
  out.key("stale").value(view.stale).key("age_seconds").value(std::int64_t{view.age.count()});
  out.key("fetched_at").value(platform::format_rfc3339(held.fetched_at));
  out.key("days").raw(held.days_json).end_object();
  return std::move(out).take();
}

ShippingHttpApi::ShippingHttpApi(ShippingService& service) : service_(service) {}

void ShippingHttpApi::register_routes(http::Router& router) {
  router.add("GET", "/shipping/available",
             [this](http::Request r) { return available(std::move(r)); });
  router.add("GET", "/shipping/selection",
             [this](http::Request r) { return selection(std::move(r)); });
  router.add("POST", "/shipping/select", [this](http::Request r) { return select(std::move(r)); });
  router.add("POST", "/shipping/address",
             [this](http::Request r) { return address(std::move(r)); });
  router.add("GET", "/shipping/calendar",
             [this](http::Request r) { return calendar(std::move(r)); });
  router.add("POST", "/shipping/set-date",
             [this](http::Request r) { return set_date(std::move(r)); });
}

ShippingHttpApi::Answer ShippingHttpApi::available(http::Request request) {
  PLATFORM_CO_TRY(auto document, co_await service_.available(request.user_id));
  co_return ok(std::move(document));
}

ShippingHttpApi::Answer ShippingHttpApi::selection(http::Request request) {
  PLATFORM_CO_TRY(auto session, co_await service_.current(request.user_id));
  co_return ok(selection_json(session));
}

ShippingHttpApi::Answer ShippingHttpApi::select(http::Request request) {
  PLATFORM_CO_TRY(auto method, parse_select(request.body));
  PLATFORM_CO_TRY(auto session, co_await service_.select_method(request.user_id, std::move(method),
                                                                request.trace));
  co_return ok(selection_json(session));
}

ShippingHttpApi::Answer ShippingHttpApi::address(http::Request request) {
  PLATFORM_CO_TRY(auto body, http::parse_json_object(request.body));
  const auto* address = body.if_contains("address");
  const auto* locker = body.if_contains("parcel_locker");
  if (body.size() != 1 || (address == nullptr && locker == nullptr)) {
    co_return field_error("Podaj albo adres dostawy, albo paczkomat.");
  }
  if (locker != nullptr) {
    auto reading = read_locker(*locker);
    if (!reading.locker) co_return locker_problem(reading.errors, "invalid_address");
    PLATFORM_CO_TRY(auto session, co_await service_.provide_locker(
                                      request.user_id, std::move(*reading.locker), request.trace));
    co_return ok(selection_json(session));
  }
  auto reading = read_address(*address);
  if (!reading.address) co_return address_problem(reading.errors, "invalid_address");
  PLATFORM_CO_TRY(auto session, co_await service_.provide_address(
                                    request.user_id, std::move(*reading.address), request.trace));
  co_return ok(selection_json(session));
}

ShippingHttpApi::Answer ShippingHttpApi::calendar(http::Request request) {
  auto method = request.query_param("method");
  auto postal_code = request.query_param("postal_code");
  if (!method || !is_identifier(*method)) {
    co_return field_error("Wybierz metodę dostawy.");
  }
  if (!postal_code || !is_postal_code(*postal_code)) {
    co_return field_error("Kod pocztowy musi mieć postać 00-950.");
  }
  PLATFORM_CO_TRY(auto view,
                  co_await service_.calendar(std::move(*method), std::move(*postal_code)));
  co_return ok(calendar_json(view));
}

ShippingHttpApi::Answer ShippingHttpApi::set_date(http::Request request) {
  PLATFORM_CO_TRY(auto choice, parse_set_date(request.body));
  PLATFORM_CO_TRY(auto session,
                  co_await service_.select_day(request.user_id, choice.date,
                                               std::move(choice.addon_ids), request.trace));
  co_return ok(selection_json(session));
}

}  // namespace shipping
