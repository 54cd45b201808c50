#pragma once
// A customer's shipping choices for one checkout session, and the rules for changing them: pure
// functions returning the new session and the changes it publishes (one event each). No I/O.
//
// The session follows the cart: every cart event gives it a new copy of the cart (follow_cart),
// and a choice the new cart no longer allows is cleared with the reason, a changed price
// republished. A day and addons belong to the method they were chosen for: when the method goes
// (cleared, or another chosen) they go too, each with its own event, so every fact a consumer
// holds changes only by an event about it.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "address.hpp"
#include "availability.hpp"
#include "contracts/cart_copy.hpp"
#include "delivery_rules.hpp"
#include "platform/error.hpp"

namespace shipping {

struct ChosenMethod {
  std::string id;
  std::string name;
  platform::Money price;
  bool cash_on_delivery = false;
  Destination destination = Destination::address;
  bool has_calendar = false;  // a delivery day is chosen from the carrier's calendar
  friend bool operator==(const ChosenMethod&, const ChosenMethod&) = default;
};

struct DeliveryDay {
  std::chrono::year_month_day date;
  std::string postal_code;           // the address's, when the day was chosen
  std::optional<TimeWindow> window;  // from a windowed addon (evening delivery), else all day
  friend bool operator==(const DeliveryDay&, const DeliveryDay&) = default;
};

struct ShippingSession {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;  // the Shipping's own per-session version: +1 per event it publishes
  contracts::CartCopy cart;
  std::optional<ChosenMethod> method;
  std::optional<Address> address;
  std::optional<LockerDelivery> locker;
  std::optional<DeliveryDay> day;
  std::vector<AddonOption> addons;  // chosen, priced for the current cart

  platform::Money addons_total() const;
};

enum class ChangeKind {
  method_selected,   // ShippingMethodSelected (a new choice or a new price)
  method_cleared,    // ShippingMethodCleared (with `reason`)
  address_provided,  // ShippingAddressProvided
  day_selected,      // DeliveryDateSelected (the session's day; none: the day is cleared)
  addons_selected,   // ShippingAddonsSelected (the whole current set; empty clears)
};

struct Change {
  ChangeKind kind;
  std::string method_id;  // the method the change concerns (for a clearing: the one that went)
  std::optional<Unavailability> reason;  // method_cleared

  static Change of(ChangeKind kind, std::string method_id = {}) {
    return Change{kind, std::move(method_id), std::nullopt};
  }
};

struct Outcome {
  ShippingSession session;
  std::vector<Change> changes;  // in publishing order; empty: nothing changed
};

// The session with the cart's new copy: the chosen method re-evaluated (cleared with the first
// reason when the cart no longer allows it or the rules dropped it; republished when its price,
// name or cash-on-delivery changed), the chosen addons re-evaluated for the cart (dropped when no
// longer allowed, repriced per unit; the set republished when it changed).
Outcome follow_cart(const ShippingSession& session, contracts::CartCopy cart,
                    const DeliveryRules& rules);

// Chooses a method the cart allows now. Errc::not_found "unknown_method"; Errc::invalid
// "method_unavailable" with the customer's reason; Errc::conflict "cart_empty". Choosing the
// chosen method at its price changes nothing. Choosing another method ends the day and addons
// of the old one.
[[nodiscard]] platform::Result<Outcome> select_method(const ShippingSession& session,
                                                      const DeliveryRules& rules,
                                                      std::string_view method_id);

// Where the delivery goes. An address fits no method or a method delivering to an address; a
// locker fits only parcel-locker delivery (Errc::conflict "wrong_destination" otherwise, and for
// store pickup). Giving the same place again changes nothing. A new postal code ends a chosen day
// (it came from the old postal code's calendar).
[[nodiscard]] platform::Result<Outcome> provide_address(const ShippingSession& session,
                                                        Address address);
[[nodiscard]] platform::Result<Outcome> provide_locker(const ShippingSession& session,
                                                       LockerDelivery locker);

// One day of the carrier's calendar for the chosen method and the address's postal code.
struct CalendarDay {
  std::chrono::year_month_day date;
  bool available = false;
};

// Chooses a delivery day and its addons. Needs a chosen method with a calendar that delivers to
// an address (Errc::conflict "method_not_selected" / "no_calendar": a parcel locker or a store
// has no day to choose) and the address ("address_missing");
// the day must be one `calendar` offers and not before earliest_delivery_day(now)
// (Errc::invalid "day_not_offered", saying which day can be had when it is too late for this
// one); the addons as choose_addons decides. Publishes the day and
// the addon set (each only when it changed).
[[nodiscard]] platform::Result<Outcome> select_day(const ShippingSession& session,
                                                   const DeliveryRules& rules,
                                                   const std::vector<CalendarDay>& calendar,
                                                   std::chrono::year_month_day date,
                                                   const std::vector<std::string>& addon_ids,
                                                   platform::TimePoint now);

}  // namespace shipping
