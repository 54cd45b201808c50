#include "delivery_rules.hpp"

#include <algorithm>
#include <utility>

#include "contracts/catalog_product.hpp"

namespace shipping {
namespace {
using platform::rules::Node;
using platform::rules::quote;

constexpr std::int64_t kMaxGrams = 10'000'000;     // 10 t: far above any delivery
constexpr std::int64_t kMaxMillimetres = 100'000;  // 100 m
constexpr std::int64_t kMaxWorkingDays = 30;
constexpr int kMinutesPerHour = 60;
constexpr int kHoursPerDay = 24;

std::chrono::minutes read_time(const Node& node) {
  const std::string text = node.string();
  const auto time = parse_time_of_day(text);
  if (!time) {
    node.fail(node.describe() + " must be a time of day HH:MM (like \"14:00\"), got " +
              quote(text));
  }
  return *time;
}

std::vector<WeightBand> read_bands(const Node& node) {
  std::vector<WeightBand> bands;
  const auto items = node.items();
  for (const Node& item : items) {
    item.only_keys({"up_to_g", "price"});
    const Node up_to = item["up_to_g"];
    const bool last = &item == &items.back();
    WeightBand band{.up_to_g = !up_to.present() && last ? kAnyWeight : up_to.integer(1, kMaxGrams),
                    .price = platform::pln(item["price"].money())};
    if (!bands.empty() && band.up_to_g <= bands.back().up_to_g) {
      up_to.fail("'up_to_g' must be above the previous band's " +
                 std::to_string(bands.back().up_to_g) + " g (bands go from light to heavy)");
    }
    bands.push_back(band);
  }
  if (bands.empty()) node.fail(node.describe() + " must list at least one weight band");
  return bands;
}

DeliveryEstimate read_estimate(const Node& node) {
  node.only_keys({"min_working_days", "max_working_days"});
  DeliveryEstimate estimate{
      .min_working_days = static_cast<int>(node["min_working_days"].integer(0, kMaxWorkingDays)),
      .max_working_days = static_cast<int>(node["max_working_days"].integer(0, kMaxWorkingDays))};
  if (estimate.max_working_days < estimate.min_working_days) {
    node["max_working_days"].fail("'max_working_days' must not be below 'min_working_days' (" +
                                  std::to_string(estimate.min_working_days) + ")");
  }
  return estimate;
}

// Which calendar a destination can use: an address a courier's (standard, two_person), a parcel
// locker only the locker calendar, a store none (nobody chooses a day for a pickup).
std::optional<std::string> read_calendar_service(const Node& method, Destination destination) {
  const Node node = method["calendar_service"];
  switch (destination) {
    case Destination::store:
      if (node.present()) {
        node.fail(
            "a method with destination store has no delivery calendar (the customer "
            "collects the order): remove 'calendar_service'");
      }
      return std::nullopt;
    case Destination::parcel_locker:
      if (!node.present()) return std::nullopt;
      return node.one_of({"locker"});
    case Destination::address:
      if (!node.present()) return std::nullopt;
      if (node.string() == "locker") {
        node.fail(
            "'calendar_service' locker is for parcel lockers; a method delivering to an "
            "address uses standard or two_person");
      }
      return node.one_of({"standard", "two_person"});
  }
  return std::nullopt;
}

MethodRule read_method(const Node& node) {
  node.only_keys({"id", "name", "destination", "calendar_service", "max_total_weight_g",
                  "max_item_weight_g", "max_dimension_mm", "excluded_categories", "excluded_flags",
                  "requires_any_flag", "price_bands", "free_from", "estimate", "cash_on_delivery"});
  MethodRule method;
  method.id = node["id"].identifier();
  method.name = node["name"].string();
  method.destination =
      node["destination"].one_of<Destination>({{"address", Destination::address},
                                               {"parcel_locker", Destination::parcel_locker},
                                               {"store", Destination::store}});
  method.calendar_service = read_calendar_service(node, method.destination);
  method.max_total_weight_g = node["max_total_weight_g"].optional_integer(1, kMaxGrams);
  method.max_item_weight_g = node["max_item_weight_g"].optional_integer(1, kMaxGrams);
  method.max_dimension_mm = node["max_dimension_mm"].optional_integer(1, kMaxMillimetres);
  // The catalog's categories and flags of goods: "service" and "standalone" only ever mark
  // service lines, which delivery ignores.
  method.excluded_categories =
      node["excluded_categories"].distinct_one_of(contracts::kGoodsCategories);
  method.excluded_flags = node["excluded_flags"].distinct_one_of(contracts::kGoodsFlags);
  method.requires_any_flag = node["requires_any_flag"].distinct_one_of(contracts::kGoodsFlags);
  for (std::size_t i = 0; i < method.requires_any_flag.size(); ++i) {
    const auto& flag = method.requires_any_flag[i];
    if (std::find(method.excluded_flags.begin(), method.excluded_flags.end(), flag) !=
        method.excluded_flags.end()) {
      node["requires_any_flag"].items()[i].fail(quote(flag) +
                                                " is both required and excluded: no cart could "
                                                "use the method");
    }
  }
  const Node bands = node["price_bands"];
  method.price_bands = read_bands(bands);
  // A cart within max_total_weight_g but heavier than the last band would have no price.
  if (method.max_total_weight_g && method.price_bands.back().up_to_g < *method.max_total_weight_g) {
    bands.items().back()["up_to_g"].fail(
        "the last band ends at " + std::to_string(method.price_bands.back().up_to_g) +
        " g, below 'max_total_weight_g' (" + std::to_string(*method.max_total_weight_g) +
        " g): every cart the method takes needs a price");
  }
  if (node["free_from"].present()) method.free_from = platform::pln(node["free_from"].money());
  method.estimate = read_estimate(node["estimate"]);
  if (node["cash_on_delivery"].present()) {
    method.cash_on_delivery = node["cash_on_delivery"].boolean();
  }
  return method;
}

std::chrono::weekday read_weekday(const Node& node) {
  // Monday first, as a Polish calendar shows the week; weekday{0} is Sunday.
  return node.one_of<std::chrono::weekday>({{"monday", std::chrono::Monday},
                                            {"tuesday", std::chrono::Tuesday},
                                            {"wednesday", std::chrono::Wednesday},
                                            {"thursday", std::chrono::Thursday},
                                            {"friday", std::chrono::Friday},
                                            {"saturday", std::chrono::Saturday},
                                            {"sunday", std::chrono::Sunday}});
}

std::vector<std::chrono::weekday> read_days(const Node& node) {
  std::vector<std::chrono::weekday> days;
  if (!node.present()) return days;
  for (const Node& item : node.items()) {
    const auto day = read_weekday(item);
    if (std::find(days.begin(), days.end(), day) != days.end()) {
      item.fail(quote(item.string()) + " is listed twice in 'days'");
    }
    days.push_back(day);
  }
  return days;
}

std::optional<TimeWindow> read_window(const Node& node) {
  if (!node.present()) return std::nullopt;
  node.only_keys({"from", "to"});
  TimeWindow window{.from = read_time(node["from"]), .to = read_time(node["to"])};
  if (window.to <= window.from) {
    node["to"].fail("'to' must be after 'from' (" + format_time_of_day(window.from) + ")");
  }
  return window;
}

AddonRule read_addon(const Node& node, const std::vector<MethodRule>& methods) {
  node.only_keys(
      {"id", "name", "price", "pricing", "methods", "days", "window", "requires_any_flag"});
  AddonRule addon;
  addon.id = node["id"].identifier();
  addon.name = node["name"].string();
  addon.price = platform::pln(node["price"].money());
  const Node pricing = node["pricing"];
  if (pricing.present()) {
    addon.pricing = pricing.one_of<AddonPricing>(
        {{"per_delivery", AddonPricing::per_delivery},
         {"per_unit_with_required_flag", AddonPricing::per_unit_with_required_flag}});
  }
  addon.days = read_days(node["days"]);
  addon.window = read_window(node["window"]);
  addon.requires_any_flag = node["requires_any_flag"].distinct_one_of(contracts::kGoodsFlags);
  if (addon.pricing == AddonPricing::per_unit_with_required_flag &&
      addon.requires_any_flag.empty()) {
    pricing.fail(
        "'pricing' per_unit_with_required_flag counts the units of the lines with a "
        "flag of 'requires_any_flag', so 'requires_any_flag' must list at least one");
  }
  const Node method_ids = node["methods"];
  for (const Node& item : method_ids.items()) {
    std::string id = item.string();
    const auto method = std::find_if(methods.begin(), methods.end(),
                                     [&](const MethodRule& m) { return m.id == id; });
    if (method == methods.end()) {
      item.fail(quote(id) + " is not a method of 'methods'");
    }
    if (std::find(addon.methods.begin(), addon.methods.end(), id) != addon.methods.end()) {
      item.fail(quote(id) + " is listed twice in 'methods'");
    }
    // A day or an hour is only ever chosen for a method with a delivery calendar.
    if ((!addon.days.empty() || addon.window) && !method->calendar_service) {
      item.fail("method " + quote(id) +
                " has no delivery calendar, so an addon for certain days or hours cannot go "
                "with it");
    }
    addon.methods.push_back(std::move(id));
  }
  if (addon.methods.empty()) method_ids.fail("'methods' must list at least one method");
  return addon;
}

}  // namespace

std::string_view to_string(Destination destination) {
  switch (destination) {
    case Destination::address:
      return "address";
    case Destination::parcel_locker:
      return "parcel_locker";
    case Destination::store:
      return "store";
  }
  return "address";
}

std::string format_time_of_day(std::chrono::minutes time) {
  const auto total = time.count();
  const auto hours = total / kMinutesPerHour;
  const auto minutes = total % kMinutesPerHour;
  std::string text;
  if (hours < 10) text += '0';
  text += std::to_string(hours);
  text += ':';
  if (minutes < 10) text += '0';
  text += std::to_string(minutes);
  return text;
}

std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text) {
  const auto digit = [](char c) {
    return c >= '0' && c <= '9';
  };
  if (text.size() != 5 || text[2] != ':' || !digit(text[0]) || !digit(text[1]) || !digit(text[3]) ||
      !digit(text[4])) {
    return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours >= kHoursPerDay || minutes >= kMinutesPerHour) return std::nullopt;
  return std::chrono::minutes(hours * kMinutesPerHour + minutes);
}

const MethodRule* DeliveryRules::method(std::string_view id) const {
  const auto it =
      std::find_if(methods.begin(), methods.end(), [&](const MethodRule& m) { return m.id == id; });
  return it == methods.end() ? nullptr : &*it;
}

const AddonRule* DeliveryRules::addon(std::string_view id) const {
  const auto it =
      std::find_if(addons.begin(), addons.end(), [&](const AddonRule& a) { return a.id == id; });
  return it == addons.end() ? nullptr : &*it;
}

DeliveryRules parse_delivery_rules(const Node& root) {
  root.only_keys({"cutoff", "methods", "addons"});
  DeliveryRules rules;
  rules.cutoff = read_time(root["cutoff"]);
  const Node methods = root["methods"];
  for (const Node& item : methods.items()) {
    MethodRule method = read_method(item);
    if (rules.method(method.id) != nullptr) {
      item["id"].fail("method id " + quote(method.id) + " is used twice");
    }
    rules.methods.push_back(std::move(method));
  }
  if (rules.methods.empty()) methods.fail("'methods' must list at least one delivery method");
  if (root["addons"].present()) {
    for (const Node& item : root["addons"].items()) {
      AddonRule addon = read_addon(item, rules.methods);
      if (rules.addon(addon.id) != nullptr) {
        item["id"].fail("addon id " + quote(addon.id) + " is used twice");
      }
      rules.addons.push_back(std::move(addon));
    }
  }
  return rules;
}

}  // namespace shipping
