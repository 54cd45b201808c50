#pragma once
// The delivery rules a shop manager edits (config/delivery_rules.yaml): the delivery methods,
// which carts each can take, their prices and estimates, and the addons. Parsed into plain structs
// at start and on SIGHUP (platform/rules); a bad file is rejected with its line. Pure: no I/O.
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/money.hpp"
#include "platform/rules/node.hpp"

namespace shipping {

// What the customer gives for a method: a delivery address, a parcel locker's id, or nothing
// (collected in a store).
enum class Destination { address, parcel_locker, store };
std::string_view to_string(Destination destination);

// Price of a delivery whose cart weighs at most `up_to_g` grams (bands ascend; a cart heavier
// than the last band cannot use the method). The file may leave out the last band's `up_to_g`:
// that band then prices every heavier cart (up_to_g == kAnyWeight).
inline constexpr std::int64_t kAnyWeight = std::numeric_limits<std::int64_t>::max();
struct WeightBand {
  std::int64_t up_to_g = 0;
  platform::Money price;
};

// Delivery time in working days after dispatch (Polish public holidays excluded).
struct DeliveryEstimate {
  int min_working_days = 1;
  int max_working_days = 2;
};

struct TimeWindow {
  std::chrono::minutes from{0};  // local time (Europe/Warsaw) from midnight
  std::chrono::minutes to{0};
  friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};
std::string format_time_of_day(std::chrono::minutes time);  // "18:00"
// "18:00" -> 18 h; nullopt unless the text is HH:MM with HH 00..23 and MM 00..59.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);

struct MethodRule {
  std::string id;    // courier, parcel_locker, two_person, store_pickup, ... (^[a-z][a-z0-9_]*$)
  std::string name;  // shown to customers, in Polish ("Kurier", "Paczkomat")
  Destination destination = Destination::address;
  // The carrier calendar's service for this method (standard, two_person, locker); nullopt: the
  // method has no calendar (store pickup), so no delivery day is chosen.
  std::optional<std::string> calendar_service;
  // Which carts it takes; an absent limit is no limit.
  std::optional<std::int64_t> max_total_weight_g;
  std::optional<std::int64_t> max_item_weight_g;  // the heaviest single unit
  std::optional<std::int64_t> max_dimension_mm;   // the longest side of any unit
  std::vector<std::string> excluded_categories;   // e.g. fridge, washing_machine for a locker
  std::vector<std::string> excluded_flags;        // e.g. large_appliance for a locker
  // Offered only when some line has one of these flags (e.g. two_person: large_appliance);
  // empty: offered for any cart.
  std::vector<std::string> requires_any_flag;
  std::vector<WeightBand> price_bands;
  std::optional<platform::Money> free_from;  // cart value from which the delivery is free
  DeliveryEstimate estimate;
  bool cash_on_delivery = false;  // pobranie
};

// How an addon's price counts.
enum class AddonPricing {
  per_delivery,                 // once
  per_unit_with_required_flag,  // once per unit of the lines that carry a required flag
};

struct AddonRule {
  std::string id;    // sunday_delivery, evening_delivery, carry_in, old_appliance_pickup, ...
  std::string name;  // in Polish
  platform::Money price;
  AddonPricing pricing = AddonPricing::per_delivery;
  std::vector<std::string> methods;            // the methods it goes with (at least one)
  std::vector<std::chrono::weekday> days;      // delivery days it applies to; empty: any day
  std::optional<TimeWindow> window;            // the delivery hours it sets (evening window)
  std::vector<std::string> requires_any_flag;  // e.g. carry_in: large_appliance; empty: any cart
};

struct DeliveryRules {
  std::vector<MethodRule> methods;  // in the order customers see them
  std::vector<AddonRule> addons;
  // Orders placed before this local time on a working day are dispatched the same day.
  std::chrono::minutes cutoff{14 * 60};

  [[nodiscard]] const MethodRule* method(std::string_view id) const;  // nullptr when unknown
  [[nodiscard]] const AddonRule* addon(std::string_view id) const;
};

// Reads the rules document; throws platform::rules::RulesError naming the line and column of the
// first mistake (unknown keys, ids that are not ^[a-z][a-z0-9_]{0,63}$, duplicate ids, bands not
// ascending, an addon naming an unknown method, unknown weekday names, min > max, ...).
// The shape (config/delivery_rules.yaml explains every key): `cutoff: "14:00"`, `methods:` a list
// of maps with the MethodRule fields' names (price_bands: [{up_to_g, price}], estimate:
// {min_working_days, max_working_days}, money in grosze), `addons:` (optional) a list with the
// AddonRule fields' names (days: [sunday], window: {from: "18:00", to: "22:00"}). A store method
// has no calendar_service, a parcel_locker one only `locker`, an address one standard or
// two_person; an addon with days or a window only goes with methods that have a calendar.
DeliveryRules parse_delivery_rules(const platform::rules::Node& root);

}  // namespace shipping
