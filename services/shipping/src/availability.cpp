#include "availability.hpp"

#include <algorithm>
#include <utility>

#include "contracts/catalog_product.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/polish_format.hpp"
#include "polish_dates.hpp"

namespace shipping {
namespace {
using contracts::CartCopy;
using contracts::CartLine;
using platform::Errc;
using platform::make_error;

std::string_view flag_name(std::string_view flag) {
  if (flag == "large_appliance") return "duże AGD";
  if (flag == "needs_assembly") return "produkty do montażu";
  if (flag == "needs_installation") return "sprzęt wymagający instalacji";
  if (flag == "fragile") return "produkty delikatne";
  return flag;
}

// "a, b, c".
std::string comma_list(const std::vector<std::string_view>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += ", ";
    text += items[i];
  }
  return text;
}

bool any_of_flags(const CartLine& line, const std::vector<std::string>& flags) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const std::string& flag) { return line.has_flag(flag); });
}

bool has_any(const std::set<std::string>& present, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& name) { return present.contains(name); });
}

// Those of `listed` (in the rule's order) that the cart has.
std::vector<std::string_view> found(const std::vector<std::string>& listed,
                                    const std::set<std::string>& present,
                                    std::string_view (*name)(std::string_view)) {
  std::vector<std::string_view> names;
  for (const auto& item : listed) {
    if (present.contains(item)) names.push_back(name(item));
  }
  return names;
}

std::vector<std::string_view> names_of(const std::vector<std::string>& flags) {
  std::vector<std::string_view> names;
  names.reserve(flags.size());
  for (const auto& flag : flags) names.push_back(flag_name(flag));
  return names;
}

Unavailability cart_empty() {
  return {"cart_empty", "Koszyk jest pusty."};
}

// The heaviest cart the method takes, if it has a limit: its own, else the last price band's.
std::optional<std::int64_t> weight_limit(const MethodRule& rule) {
  if (rule.max_total_weight_g) return rule.max_total_weight_g;
  if (rule.price_bands.empty() || rule.price_bands.back().up_to_g == kAnyWeight) {
    return std::nullopt;
  }
  return rule.price_bands.back().up_to_g;
}

std::vector<Unavailability> method_reasons(const MethodRule& rule, const CartMeasures& cart) {
  std::vector<Unavailability> reasons;
  if (const auto limit = weight_limit(rule); limit && cart.total_weight_g > *limit) {
    reasons.push_back({"too_heavy", rule.name + " przyjmuje przesyłki do " +
                                        platform::polish_weight(*limit) + ", a koszyk waży " +
                                        platform::polish_weight(cart.total_weight_g) + "."});
  }
  if (rule.max_item_weight_g && cart.heaviest_unit_g > *rule.max_item_weight_g) {
    reasons.push_back({"unit_too_heavy", rule.name + " przyjmuje produkty do " +
                                             platform::polish_weight(*rule.max_item_weight_g) +
                                             " za sztukę, a najcięższy produkt w koszyku waży " +
                                             platform::polish_weight(cart.heaviest_unit_g) + "."});
  }
  if (rule.max_dimension_mm && cart.longest_side_mm > *rule.max_dimension_mm) {
    reasons.push_back({"too_large", "Najdłuższy bok produktu (" +
                                        std::to_string(cart.longest_side_mm) + " mm) przekracza " +
                                        std::to_string(*rule.max_dimension_mm) +
                                        " mm dopuszczalne dla dostawy „" + rule.name + "”."});
  }
  if (const auto categories =
          found(rule.excluded_categories, cart.categories, contracts::polish_category_plural);
      !categories.empty()) {
    reasons.push_back({"category_excluded", rule.name + " nie przyjmuje produktów z kategorii: " +
                                                comma_list(categories) + "."});
  }
  if (const auto flags = found(rule.excluded_flags, cart.flags, flag_name); !flags.empty()) {
    reasons.push_back({"flag_excluded", rule.name + " nie przyjmuje produktów tego rodzaju: " +
                                            comma_list(flags) + "."});
  }
  if (!rule.requires_any_flag.empty() && !has_any(cart.flags, rule.requires_any_flag)) {
    reasons.push_back({"needs_flag", "Dostawa „" + rule.name +
                                         "” jest dostępna tylko dla zamówień z produktami tego "
                                         "rodzaju: " +
                                         comma_list(names_of(rule.requires_any_flag)) + "."});
  }
  return reasons;
}

MethodOption evaluate(const MethodRule& rule, const CartCopy& cart, const CartMeasures& measures) {
  MethodOption option;
  option.id = rule.id;
  option.name = rule.name;
  option.destination = rule.destination;
  option.price = platform::pln(0);
  option.estimate = rule.estimate;
  option.cash_on_delivery = rule.cash_on_delivery;
  // A day is chosen only for a door (select_day): a locker's calendar gives estimates only.
  option.has_calendar =
      rule.calendar_service.has_value() && rule.destination == Destination::address;
  option.reasons = cart.empty() ? std::vector{cart_empty()} : method_reasons(rule, measures);
  option.available = option.reasons.empty();
  const auto band =
      std::find_if(rule.price_bands.begin(), rule.price_bands.end(),
                   [&](const WeightBand& b) { return measures.total_weight_g <= b.up_to_g; });
  if (band != rule.price_bands.end()) option.price = band->price;
  // Amounts compared directly: Money's defaulted <=> sets off clang-tidy 14's
  // modernize-use-nullptr inside money.hpp (its comparison category is compared with literal 0).
  if (rule.free_from && measures.value.amount >= rule.free_from->amount) {
    option.price = platform::pln(0);
    option.free = true;
  }
  return option;
}

bool goes_with(const AddonRule& addon, std::string_view method_id) {
  return std::find(addon.methods.begin(), addon.methods.end(), method_id) != addon.methods.end();
}

// "Usługę „Dostawa w niedzielę” można wybrać tylko przy dostawie w niedzielę".
std::string only_on_days(const AddonRule& addon) {
  return "Usługę „" + addon.name + "” można wybrać tylko przy dostawie " + on_weekdays(addon.days);
}

std::optional<Unavailability> addon_reason(const AddonRule& addon, const CartCopy& cart,
                                           const CartMeasures& measures,
                                           std::optional<std::chrono::year_month_day> date) {
  if (cart.empty()) return cart_empty();
  if (!addon.requires_any_flag.empty() && !has_any(measures.flags, addon.requires_any_flag)) {
    return Unavailability{"needs_flag", "Usługę „" + addon.name +
                                            "” można wybrać tylko dla produktów tego rodzaju: " +
                                            comma_list(names_of(addon.requires_any_flag)) + "."};
  }
  if (date && !addon.days.empty() &&
      std::find(addon.days.begin(), addon.days.end(), platform::weekday_of(*date)) ==
          addon.days.end()) {
    return Unavailability{"wrong_day", only_on_days(addon) + "."};
  }
  return std::nullopt;
}

AddonOption evaluate(const AddonRule& addon, const CartCopy& cart, const CartMeasures& measures,
                     std::optional<std::chrono::year_month_day> date) {
  AddonOption option;
  option.id = addon.id;
  option.name = addon.name;
  option.price = addon.price;
  if (addon.pricing == AddonPricing::per_unit_with_required_flag) {
    option.price = addon.price * units_with_any_flag(cart, addon.requires_any_flag);
  }
  option.reason = addon_reason(addon, cart, measures, date);
  option.available = !option.reason;
  option.window = addon.window;
  return option;
}

platform::Error not_allowed(std::string message) {
  return make_error(Errc::invalid, std::move(message), "addon_not_allowed");
}

// Why a chosen addon cannot be had, for the problem body: the reason the calendar shows, and for
// a day the addon does not go with, what day that is.
platform::Error refusal(const AddonRule& addon, const Unavailability& reason,
                        std::chrono::year_month_day date) {
  if (reason.code == "wrong_day") {
    return not_allowed(only_on_days(addon) + ", a " + polish_date(date) + " to " +
                       std::string(weekday_nominative(platform::weekday_of(date))) + ".");
  }
  return not_allowed(reason.message);
}

}  // namespace

CartMeasures measure(const CartCopy& cart) {
  CartMeasures measures;
  measures.value = cart.subtotal();
  for (const auto& line : cart.lines) {
    if (line.is_service()) continue;
    measures.total_weight_g += line.weight_g * line.quantity;
    measures.heaviest_unit_g = std::max(measures.heaviest_unit_g, line.weight_g);
    measures.longest_side_mm = std::max({measures.longest_side_mm, line.dimensions_mm.width,
                                         line.dimensions_mm.height, line.dimensions_mm.depth});
    measures.categories.insert(line.category);
    measures.flags.insert(line.flags.begin(), line.flags.end());
    measures.goods_units += line.quantity;
  }
  return measures;
}

std::int64_t units_with_any_flag(const CartCopy& cart, const std::vector<std::string>& flags) {
  std::int64_t units = 0;
  for (const auto& line : cart.lines) {
    if (!line.is_service() && any_of_flags(line, flags)) units += line.quantity;
  }
  return units;
}

std::vector<MethodOption> evaluate_methods(const DeliveryRules& rules, const CartCopy& cart) {
  const auto measures = measure(cart);
  std::vector<MethodOption> options;
  options.reserve(rules.methods.size());
  for (const auto& rule : rules.methods) options.push_back(evaluate(rule, cart, measures));
  return options;
}

std::optional<MethodOption> evaluate_method(const DeliveryRules& rules, const CartCopy& cart,
                                            std::string_view id) {
  const auto* rule = rules.method(id);
  if (rule == nullptr) return std::nullopt;
  return evaluate(*rule, cart, measure(cart));
}

std::vector<AddonOption> evaluate_addons(const DeliveryRules& rules, std::string_view method_id,
                                         const CartCopy& cart,
                                         std::optional<std::chrono::year_month_day> date) {
  const auto measures = measure(cart);
  std::vector<AddonOption> options;
  for (const auto& addon : rules.addons) {
    if (goes_with(addon, method_id)) options.push_back(evaluate(addon, cart, measures, date));
  }
  return options;
}

platform::Result<std::vector<AddonOption>> choose_addons(
    const DeliveryRules& rules, std::string_view method_id, const CartCopy& cart,
    std::chrono::year_month_day date, const std::vector<std::string>& addon_ids) {
  const auto measures = measure(cart);
  std::vector<AddonOption> chosen;
  const AddonRule* windowed = nullptr;  // the chosen addon that sets the delivery hours
  for (const auto& id : addon_ids) {
    const auto* addon = rules.addon(id);
    if (addon == nullptr) {
      return make_error(Errc::invalid, "Nie ma usługi dodatkowej „" + id + "”.", "unknown_addon");
    }
    if (std::any_of(chosen.begin(), chosen.end(),
                    [&](const AddonOption& option) { return option.id == id; })) {
      return make_error(Errc::invalid, "Usługa „" + addon->name + "” jest wybrana dwa razy.",
                        "duplicate_addon");
    }
    if (!goes_with(*addon, method_id)) {
      const auto* method = rules.method(method_id);
      return not_allowed("Usługi „" + addon->name + "” nie można wybrać przy " +
                         (method != nullptr ? "metodzie dostawy „" + method->name + "”"
                                            : std::string("tej metodzie dostawy")) +
                         ".");
    }
    auto option = evaluate(*addon, cart, measures, date);
    if (option.reason) return refusal(*addon, *option.reason, date);
    if (option.window) {
      if (windowed != nullptr) {
        return not_allowed("Usługi „" + windowed->name + "” i „" + addon->name +
                           "” ustalają godziny dostawy: wybierz jedną z nich.");
      }
      windowed = addon;
    }
    chosen.push_back(std::move(option));
  }
  return chosen;
}

std::chrono::year_month_day earliest_delivery_day(platform::TimePoint now,
                                                  std::chrono::minutes cutoff,
                                                  int min_working_days) {
  const auto local = platform::to_warsaw(now);
  // Exactly at the cut-off is too late: "before 14:00" means up to 13:59.
  const bool same_day = platform::is_working_day(local.date) && local.time_of_day < cutoff;
  const auto dispatch = same_day ? local.date : platform::add_working_days(local.date, 1);
  return platform::add_working_days(dispatch, std::max(0, min_working_days));
}

}  // namespace shipping
