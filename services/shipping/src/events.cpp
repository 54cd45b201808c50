#include "events.hpp"

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"
#include "platform/polish_calendar.hpp"

namespace shipping {
namespace {
using contracts::write_money;
namespace et = contracts::event_type;

void write_optional(platform::JsonWriter& out, const std::optional<std::string>& text) {
  out.value_or_null(text);
}

void write_address(platform::JsonWriter& out, const Address& a) {
  out.begin_object().key("first_name").value(a.first_name).key("last_name").value(a.last_name);
  out.key("company_name");
  write_optional(out, a.company_name);
  out.key("street").value(a.street).key("building_number").value(a.building_number);
  out.key("apartment_number");
  write_optional(out, a.apartment_number);
  out.key("postal_code").value(a.postal_code).key("city").value(a.city);
  out.key("country_code").value(a.country_code).key("phone").value(a.phone);
  out.key("floor");
  if (a.floor) {
    out.value(static_cast<std::int64_t>(*a.floor));
  } else {
    out.null();
  }
  out.key("has_elevator");
  if (a.has_elevator) {
    out.value(*a.has_elevator);
  } else {
    out.null();
  }
  out.end_object();
}

void write_locker(platform::JsonWriter& out, const LockerDelivery& locker) {
  out.begin_object().key("locker_id").value(locker.locker_id);
  out.key("first_name").value(locker.first_name).key("last_name").value(locker.last_name);
  out.key("phone").value(locker.phone).end_object();
}

void write_change(platform::JsonWriter& out, const ShippingSession& session, const Change& change) {
  switch (change.kind) {
    case ChangeKind::method_selected: {
      const auto& method = *session.method;
      out.key("cart_hash").value(session.cart.cart_hash);
      out.key("method_id").value(method.id).key("method_name").value(method.name);
      write_money(out.key("price"), method.price);
      out.key("cash_on_delivery_allowed").value(method.cash_on_delivery);
      out.key("destination").value(to_string(method.destination));
      out.key("delivery_date_required").value(method.has_calendar);
      break;
    }
    case ChangeKind::method_cleared:
      out.key("cart_hash").value(session.cart.cart_hash).key("method_id").value(change.method_id);
      out.key("reason").begin_object().key("code").value(change.reason->code);
      out.key("message").value(change.reason->message).end_object();
      break;
    case ChangeKind::address_provided:
      out.key("address");
      if (session.locker || !session.address) {
        out.null();
      } else {
        write_address(out, *session.address);
      }
      out.key("parcel_locker");
      if (session.locker) {
        write_locker(out, *session.locker);
      } else {
        out.null();
      }
      break;
    case ChangeKind::day_selected:
      out.key("method_id").value(change.method_id);
      if (session.day) {
        out.key("postal_code").value(session.day->postal_code);
        out.key("delivery_date").value(platform::format_date(session.day->date));
        out.key("time_window");
        if (session.day->window) {
          out.begin_object().key("from").value(format_time_of_day(session.day->window->from));
          out.key("to").value(format_time_of_day(session.day->window->to)).end_object();
        } else {
          out.null();
        }
      } else {
        out.key("postal_code").null().key("delivery_date").null().key("time_window").null();
      }
      write_money(out.key("surcharge"), platform::pln(0));
      break;
    case ChangeKind::addons_selected:
      out.key("addons").begin_array();
      for (const auto& addon : session.addons) {
        out.begin_object().key("addon_id").value(addon.id).key("name").value(addon.name);
        write_money(out.key("price"), addon.price);
        out.end_object();
      }
      out.end_array();
      write_money(out.key("addons_total"), session.addons_total());
      break;
  }
}
}  // namespace

std::string_view event_type(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::method_selected:
      return et::kShippingMethodSelected;
    case ChangeKind::method_cleared:
      return et::kShippingMethodCleared;
    case ChangeKind::address_provided:
      return et::kShippingAddressProvided;
    case ChangeKind::day_selected:
      return et::kDeliveryDateSelected;
    case ChangeKind::addons_selected:
      return et::kShippingAddonsSelected;
  }
  return et::kShippingMethodSelected;
}

std::vector<platform::CloudEvent> events_for(const Outcome& outcome, std::int64_t before_version,
                                             const platform::TraceContext& trace,
                                             platform::TimePoint now) {
  const auto& session = outcome.session;
  const auto time = platform::format_rfc3339(now);
  std::vector<platform::CloudEvent> events;
  events.reserve(outcome.changes.size());
  std::int64_t version = before_version;
  for (const auto& change : outcome.changes) {
    const auto traceparent = trace.child().traceparent();
    const contracts::SessionEventHeader header{session.session_id, session.user_id, ++version,
                                               traceparent, time};
    platform::JsonWriter data(1024);
    contracts::begin_session_event_data(data, header);
    write_change(data, session, change);
    data.end_object();
    events.push_back(contracts::session_event(contracts::kShippingTopic, contracts::kShippingSource,
                                              event_type(change.kind), header,
                                              std::move(data).take()));
  }
  return events;
}

}  // namespace shipping
