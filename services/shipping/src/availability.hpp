#pragma once
// Which delivery methods and addons a cart can use, at what price, and why not. Pure functions of
// the rules and the service's copy of the cart: no I/O, no clock except where passed in.
// Customer-facing messages are in Polish (the shop's customers read them as they come).
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "delivery_rules.hpp"
#include "platform/clock.hpp"
#include "platform/error.hpp"

namespace shipping {

// What of the cart matters for delivery. Service lines weigh nothing and have no size.
struct CartMeasures {
  std::int64_t total_weight_g = 0;  // sum of unit weight x quantity
  std::int64_t heaviest_unit_g = 0;
  std::int64_t longest_side_mm = 0;
  platform::Money value;             // the cart's subtotal (every line, services included)
  std::set<std::string> categories;  // of the non-service lines
  std::set<std::string> flags;       // of the non-service lines
  std::int64_t goods_units = 0;      // units of non-service lines
};
CartMeasures measure(const contracts::CartCopy& cart);
// Units of the non-service lines that carry one of `flags`.
std::int64_t units_with_any_flag(const contracts::CartCopy& cart,
                                 const std::vector<std::string>& flags);

// Why a method or addon cannot be used: a stable code and a sentence for the customer, e.g.
// {"too_heavy", "Paczkomat przyjmuje przesyłki do 25 kg, a koszyk waży 62,4 kg."}.
// Codes: cart_empty, too_heavy, unit_too_heavy, too_large, category_excluded, flag_excluded,
// needs_flag, wrong_method, wrong_day.
struct Unavailability {
  std::string code;
  std::string message;
  friend bool operator==(const Unavailability&, const Unavailability&) = default;
};

struct MethodOption {
  std::string id;
  std::string name;
  Destination destination = Destination::address;
  bool available = false;
  platform::Money price;                // for this cart (0 when free); meaningless when unavailable
  bool free = false;                    // the free_from threshold made it free
  std::vector<Unavailability> reasons;  // every reason, empty when available
  DeliveryEstimate estimate;
  bool cash_on_delivery = false;
  bool has_calendar = false;
};

// Every method of the rules, in their order, evaluated for `cart` (an empty cart: every method
// unavailable with cart_empty).
std::vector<MethodOption> evaluate_methods(const DeliveryRules& rules,
                                           const contracts::CartCopy& cart);
// The one method `id`, or nullopt when the rules have no such method.
std::optional<MethodOption> evaluate_method(const DeliveryRules& rules,
                                            const contracts::CartCopy& cart, std::string_view id);

struct AddonOption {
  std::string id;
  std::string name;
  platform::Money price;  // for this cart (per unit pricing already multiplied)
  bool available = false;
  std::optional<Unavailability> reason;
  std::optional<TimeWindow> window;
  friend bool operator==(const AddonOption&, const AddonOption&) = default;
};

// The addons that go with `method_id`, for delivery on `date` (nullopt: no day chosen yet, so the
// day rules are not checked) and this cart.
std::vector<AddonOption> evaluate_addons(const DeliveryRules& rules, std::string_view method_id,
                                         const contracts::CartCopy& cart,
                                         std::optional<std::chrono::year_month_day> date);

// The customer's choice of addons for `method_id` on `date`: each id known, going with the method,
// allowed that day and for this cart, no id twice, at most one addon with a time window.
// Errc::invalid naming the addon and why (reason "addon_not_allowed" / "unknown_addon" /
// "duplicate_addon"); nothing partial.
[[nodiscard]] platform::Result<std::vector<AddonOption>> choose_addons(
    const DeliveryRules& rules, std::string_view method_id, const contracts::CartCopy& cart,
    std::chrono::year_month_day date, const std::vector<std::string>& addon_ids);

// The first day a delivery ordered at `now` can arrive: dispatched the same working day when
// ordered before the cut-off (Europe/Warsaw), else the next working day, then
// `min_working_days` working days in transit.
std::chrono::year_month_day earliest_delivery_day(platform::TimePoint now,
                                                  std::chrono::minutes cutoff,
                                                  int min_working_days);

}  // namespace shipping
