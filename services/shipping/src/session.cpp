#include "session.hpp"

#include <algorithm>

#include "platform/polish_calendar.hpp"
#include "polish_dates.hpp"

namespace shipping {
namespace {
using platform::Errc;
using platform::make_error;

// "we wtorek, 8 grudnia 2026", "w środę, 9 grudnia 2026".
std::string on_date(std::chrono::year_month_day date) {
  return on_weekdays({platform::weekday_of(date)}) + ", " + polish_date(date);
}

ChosenMethod chosen(const MethodOption& option) {
  return {.id = option.id,
          .name = option.name,
          .price = option.price,
          .cash_on_delivery = option.cash_on_delivery,
          .destination = option.destination,
          .has_calendar = option.has_calendar};
}

// The chosen addons as they stand for `cart`: the ones no longer allowed dropped, the others
// with their current price.
std::vector<AddonOption> addons_for(const ShippingSession& session, const contracts::CartCopy& cart,
                                    const DeliveryRules& rules) {
  if (!session.method || session.addons.empty()) return {};
  std::optional<std::chrono::year_month_day> date;
  if (session.day) date = session.day->date;
  auto current = evaluate_addons(rules, session.method->id, cart, date);
  std::vector<AddonOption> kept;
  for (const auto& held : session.addons) {
    auto now = std::find_if(current.begin(), current.end(),
                            [&](const AddonOption& option) { return option.id == held.id; });
    if (now != current.end() && now->available) kept.push_back(*now);
  }
  return kept;
}

// Ends the day and addons of the method `method_id` that is going (another one chosen, or
// cleared), each with its event.
void end_method_extras(ShippingSession& session, const std::string& method_id,
                       std::vector<Change>& changes) {
  if (session.day) {
    session.day.reset();
    changes.push_back(Change::of(ChangeKind::day_selected, method_id));
  }
  if (!session.addons.empty()) {
    session.addons.clear();
    changes.push_back(Change::of(ChangeKind::addons_selected, method_id));
  }
}
}  // namespace

platform::Money ShippingSession::addons_total() const {
  platform::Money total = platform::pln(0);
  for (const auto& addon : addons) total = total + addon.price;
  return total;
}

Outcome follow_cart(const ShippingSession& session, contracts::CartCopy cart,
                    const DeliveryRules& rules) {
  Outcome out{session, {}};
  auto& next = out.session;
  next.cart = std::move(cart);
  if (!next.method) return out;

  auto option = evaluate_method(rules, next.cart, next.method->id);
  if (!option || !option->available) {
    Unavailability reason{"method_withdrawn", "Ta metoda dostawy nie jest już dostępna."};
    if (option && !option->reasons.empty()) reason = option->reasons.front();
    const auto method_id = next.method->id;
    next.method.reset();
    out.changes.push_back({ChangeKind::method_cleared, method_id, std::move(reason)});
    end_method_extras(next, method_id, out.changes);
    return out;
  }
  if (chosen(*option) != *next.method) {
    next.method = chosen(*option);
    out.changes.push_back(Change::of(ChangeKind::method_selected));
  }
  auto addons = addons_for(next, next.cart, rules);
  if (addons != next.addons) {
    next.addons = std::move(addons);
    out.changes.push_back(Change::of(ChangeKind::addons_selected, next.method->id));
  }
  return out;
}

platform::Result<Outcome> select_method(const ShippingSession& session, const DeliveryRules& rules,
                                        std::string_view method_id) {
  if (session.cart.empty()) {
    return make_error(Errc::conflict, "Koszyk jest pusty: najpierw dodaj produkt.", "cart_empty");
  }
  auto option = evaluate_method(rules, session.cart, method_id);
  if (!option) {
    return make_error(Errc::not_found, "Nie ma takiej metody dostawy.", "unknown_method");
  }
  if (!option->available) {
    return make_error(Errc::invalid, option->reasons.front().message, "method_unavailable");
  }
  Outcome out{session, {}};
  auto& next = out.session;
  if (next.method && next.method->id == option->id && *next.method == chosen(*option)) return out;
  if (next.method && next.method->id != option->id) {
    end_method_extras(next, next.method->id, out.changes);
  }
  next.method = chosen(*option);
  // The method's event first, then the emptied addon set it implies.
  out.changes.insert(out.changes.begin(), Change::of(ChangeKind::method_selected, option->id));
  return out;
}

platform::Result<Outcome> provide_address(const ShippingSession& session, Address address) {
  if (session.method && session.method->destination != Destination::address) {
    return make_error(
        Errc::conflict,
        "Przy metodzie dostawy „" + session.method->name + "” nie podaje się adresu dostawy.",
        "wrong_destination");
  }
  Outcome out{session, {}};
  if (session.address == address && !session.locker) return out;
  out.session.address = std::move(address);
  out.session.locker.reset();
  out.changes.push_back(Change::of(ChangeKind::address_provided));
  // The day was chosen from the old postal code's calendar.
  if (out.session.day && out.session.day->postal_code != out.session.address->postal_code) {
    out.session.day.reset();
    out.changes.push_back(Change::of(ChangeKind::day_selected, out.session.method->id));
  }
  return out;
}

platform::Result<Outcome> provide_locker(const ShippingSession& session, LockerDelivery locker) {
  if (!session.method || session.method->destination != Destination::parcel_locker) {
    return make_error(Errc::conflict,
                      "Paczkomat możesz wskazać dopiero po wybraniu dostawy do paczkomatu.",
                      "wrong_destination");
  }
  Outcome out{session, {}};
  if (session.locker == locker) return out;
  out.session.locker = std::move(locker);
  out.changes.push_back(Change::of(ChangeKind::address_provided));
  return out;
}

platform::Result<Outcome> select_day(const ShippingSession& session, const DeliveryRules& rules,
                                     const std::vector<CalendarDay>& calendar,
                                     std::chrono::year_month_day date,
                                     const std::vector<std::string>& addon_ids,
                                     platform::TimePoint now) {
  if (!session.method) {
    return make_error(Errc::conflict, "Najpierw wybierz metodę dostawy.", "method_not_selected");
  }
  const auto* rule = rules.method(session.method->id);
  if (rule == nullptr || !rule->calendar_service || rule->destination != Destination::address) {
    return make_error(
        Errc::conflict,
        "Przy metodzie dostawy „" + session.method->name + "” nie wybiera się dnia dostawy.",
        "no_calendar");
  }
  if (!session.address) {
    return make_error(Errc::conflict, "Najpierw podaj adres dostawy.", "address_missing");
  }
  auto offered = std::find_if(calendar.begin(), calendar.end(), [&](const CalendarDay& day) {
    return day.date == date && day.available;
  });
  if (offered == calendar.end()) {
    return make_error(Errc::invalid,
                      "Dostawa pod kod pocztowy " + session.address->postal_code +
                          " nie jest możliwa " + on_date(date) + ". Wybierz inny dzień.",
                      "day_not_offered");
  }
  const auto earliest = earliest_delivery_day(now, rules.cutoff, rule->estimate.min_working_days);
  if (std::chrono::sys_days(date) < std::chrono::sys_days(earliest)) {
    // Past the cut-off (or too soon for the method's transit): the first day that can be had.
    std::optional<std::chrono::sys_days> first;
    for (const auto& day : calendar) {
      const std::chrono::sys_days when(day.date);
      if (day.available && when >= std::chrono::sys_days(earliest) && (!first || when < *first)) {
        first = when;
      }
    }
    return make_error(
        Errc::invalid,
        "Na " + polish_day_accusative(date) + " jest już za późno. " +
            (first ? "Najwcześniejszy możliwy dzień dostawy to " +
                         polish_day_nominative(std::chrono::year_month_day(*first)) + "."
                   : std::string("Wybierz późniejszy dzień.")),
        "day_not_offered");
  }
  PLATFORM_TRY(auto addons,
               choose_addons(rules, session.method->id, session.cart, date, addon_ids));

  Outcome out{session, {}};
  auto& next = out.session;
  DeliveryDay day{.date = date, .postal_code = session.address->postal_code, .window = {}};
  for (const auto& addon : addons) {
    if (addon.window) day.window = addon.window;
  }
  if (next.day != day) {
    next.day = day;
    out.changes.push_back(Change::of(ChangeKind::day_selected, next.method->id));
  }
  if (next.addons != addons) {
    next.addons = std::move(addons);
    out.changes.push_back(Change::of(ChangeKind::addons_selected, next.method->id));
  }
  return out;
}

}  // namespace shipping
