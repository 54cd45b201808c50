#include "availability.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "contracts/test_cart.hpp"
#include "platform/rules/testing.hpp"
#include "polish_dates.hpp"

using contracts::CartCopy;
using contracts::CartLine;
using contracts::testing::cart_of;
using contracts::testing::Goods;
using contracts::testing::product_line;
using platform::Errc;
using platform::pln;
using shipping::AddonOption;
using shipping::DeliveryRules;
using shipping::MethodOption;
using shipping::Unavailability;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

// Rules for these tests, written out so that each limit a test relies on is visible here (the
// shipped file is the shop's to change; delivery_rules_test.cpp checks that it loads).
constexpr std::string_view kRules = R"(cutoff: "14:00"
methods:
  - id: courier
    name: Kurier
    destination: address
    calendar_service: standard
    max_total_weight_g: 100000
    max_item_weight_g: 31500
    max_dimension_mm: 1200
    excluded_flags: [large_appliance]
    price_bands:
      - { up_to_g: 5000, price: 1499 }
      - { up_to_g: 10000, price: 1999 }
      - { up_to_g: 31500, price: 2499 }
      - { up_to_g: 100000, price: 5999 }
    free_from: 29900
    estimate: { min_working_days: 1, max_working_days: 2 }
    cash_on_delivery: true
  - id: parcel_locker
    name: Paczkomat
    destination: parcel_locker
    calendar_service: locker
    max_item_weight_g: 25000
    max_dimension_mm: 640
    excluded_categories: [tv, fridge, washing_machine, dishwasher, furniture]
    excluded_flags: [large_appliance]
    price_bands:
      - { up_to_g: 5000, price: 999 }
      - { up_to_g: 25000, price: 1299 }
    free_from: 19900
    estimate: { min_working_days: 1, max_working_days: 2 }
  - id: two_person
    name: Dostawa dwuosobowa
    destination: address
    calendar_service: two_person
    requires_any_flag: [large_appliance, needs_assembly]
    price_bands:
      - { up_to_g: 300000, price: 9900 }
    free_from: 299900
    estimate: { min_working_days: 2, max_working_days: 4 }
    cash_on_delivery: true
  - id: store_pickup
    name: Odbiór w sklepie
    destination: store
    price_bands:
      - { price: 0 }
    estimate: { min_working_days: 1, max_working_days: 3 }
    cash_on_delivery: true
addons:
  - id: sunday_delivery
    name: Dostawa w niedzielę
    price: 2999
    methods: [courier]
    days: [sunday]
  - id: saturday_delivery
    name: Dostawa w sobotę
    price: 1999
    methods: [courier, two_person]
    days: [saturday]
  - id: evening_delivery
    name: Dostawa wieczorem
    price: 1499
    methods: [courier]
    days: [monday, tuesday, wednesday, thursday, friday]
    window: { from: "18:00", to: "22:00" }
  - id: morning_delivery
    name: Dostawa rano
    price: 999
    methods: [courier]
    window: { from: "08:00", to: "12:00" }
  - id: carry_in
    name: Wniesienie do mieszkania
    price: 9900
    pricing: per_unit_with_required_flag
    methods: [two_person]
    requires_any_flag: [large_appliance]
  - id: old_appliance_pickup
    name: Odbiór starego sprzętu
    price: 0
    pricing: per_unit_with_required_flag
    methods: [two_person]
    requires_any_flag: [large_appliance]
  - id: call_before_delivery
    name: Telefon przed dostawą
    price: 299
    methods: [courier, two_person]
)";

const DeliveryRules& rules() {
  static const auto parsed = platform::rules::testing::parse_or_throw<DeliveryRules>(
      kRules, "test_rules.yaml", shipping::parse_delivery_rules);
  return parsed;
}

// A service line as the catalog has them: no weight, no size. Given a weight and a size here
// anyway, to show that delivery ignores them.
CartLine service(std::string item_id, std::int64_t unit_price, std::optional<std::string> parent) {
  CartLine line;
  line.item_id = std::move(item_id);
  line.type = "service";
  line.sku = "SRV-CARRY-IN";
  line.name = "Wniesienie";
  line.category = "service";
  line.unit_price = pln(unit_price);
  line.parent_item_id = std::move(parent);
  line.weight_g = 500000;
  line.dimensions_mm = {5000, 5000, 5000};
  line.flags = {"large_appliance"};
  return line;
}

Goods fridge(std::int64_t quantity = 1) {
  return Goods()
      .category("fridge")
      .weight(62400)
      .size(600, 1850, 650)
      .flags({"large_appliance"})
      .price(249900)
      .quantity(quantity);
}

Goods phone() {
  return Goods().category("phone").weight(450).size(75, 160, 9).price(14900);
}

MethodOption method(const CartCopy& cart, std::string_view id) {
  auto option = shipping::evaluate_method(rules(), cart, id);
  EXPECT_TRUE(option) << id;
  return option.value_or(MethodOption{});
}

std::vector<std::string> codes(const MethodOption& option) {
  std::vector<std::string> out;
  for (const auto& reason : option.reasons) out.push_back(reason.code);
  return out;
}

// An accessory cart of `total_g` grams in units of at most 20 kg (below every unit limit).
CartCopy weighing(std::int64_t total_g, std::int64_t value = 10000) {
  std::vector<CartLine> lines;
  int index = 0;
  for (std::int64_t left = total_g; left > 0; left -= 20000) {
    lines.push_back(product_line("a" + std::to_string(index++),
                                 Goods().weight(std::min<std::int64_t>(left, 20000)).price(1)));
  }
  lines.front().unit_price = pln(value - static_cast<std::int64_t>(lines.size()) + 1);
  return cart_of(std::move(lines));
}

platform::TimePoint utc(year_month_day date, minutes time) {
  return sys_days(date) + time;
}

}  // namespace

TEST(CartMeasures, GoodsCountServiceLinesOnlyForValue) {
  auto cart =
      cart_of({product_line("tv", Goods()
                                      .category("tv")
                                      .weight(17800)
                                      .size(1227, 777, 260)
                                      .flags({"large_appliance", "fragile"})
                                      .price(329900)),
               product_line("hdmi", Goods().weight(120).size(2000, 20, 10).price(4900).quantity(3)),
               service("srv", 9900, "tv")});
  const auto measures = shipping::measure(cart);
  EXPECT_EQ(measures.total_weight_g, 17800 + 3 * 120);
  EXPECT_EQ(measures.heaviest_unit_g, 17800);
  EXPECT_EQ(measures.longest_side_mm, 2000);
  EXPECT_EQ(measures.value, pln(329900 + 3 * 4900 + 9900));
  EXPECT_EQ(measures.categories, (std::set<std::string>{"accessory", "tv"}));
  EXPECT_EQ(measures.flags, (std::set<std::string>{"fragile", "large_appliance"}));
  EXPECT_EQ(measures.goods_units, 4);
  EXPECT_EQ(shipping::units_with_any_flag(cart, {"large_appliance"}), 1);
  EXPECT_EQ(shipping::units_with_any_flag(cart, {"needs_assembly"}), 0);
  EXPECT_EQ(shipping::units_with_any_flag(cart, {}), 0);
}

TEST(Methods, AnEmptyCartHasNoMethod) {
  const auto options = shipping::evaluate_methods(rules(), cart_of({}));
  ASSERT_EQ(options.size(), 4U);
  for (const auto& option : options) {
    EXPECT_FALSE(option.available) << option.id;
    EXPECT_EQ(option.reasons, (std::vector<Unavailability>{{"cart_empty", "Koszyk jest pusty."}}))
        << option.id;
  }
}

TEST(Methods, EvaluatedInTheRulesOrderWithTheirTerms) {
  const auto options = shipping::evaluate_methods(rules(), cart_of({product_line("p", phone())}));
  std::vector<std::string> ids;
  ids.reserve(options.size());
  for (const auto& option : options) ids.push_back(option.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"courier", "parcel_locker", "two_person", "store_pickup"}));
  const auto& courier = options[0];
  EXPECT_TRUE(courier.available);
  EXPECT_EQ(courier.name, "Kurier");
  EXPECT_EQ(courier.destination, shipping::Destination::address);
  EXPECT_EQ(courier.price, pln(1499));
  EXPECT_FALSE(courier.free);
  EXPECT_TRUE(courier.cash_on_delivery);
  EXPECT_TRUE(courier.has_calendar);
  EXPECT_EQ(courier.estimate.min_working_days, 1);
  const auto& locker = options[1];
  EXPECT_TRUE(locker.available);
  EXPECT_EQ(locker.destination, shipping::Destination::parcel_locker);
  EXPECT_FALSE(locker.cash_on_delivery);
  // No day is chosen for a locker, so none is required (the Checkout's readiness follows it).
  EXPECT_FALSE(locker.has_calendar);
  const auto& pickup = options[3];
  EXPECT_TRUE(pickup.available);
  EXPECT_EQ(pickup.price, pln(0));
  EXPECT_FALSE(pickup.has_calendar);
  EXPECT_EQ(pickup.estimate.max_working_days, 3);
}

TEST(Methods, EvaluateMethodFindsOneOrNone) {
  const auto cart = cart_of({product_line("p", phone())});
  EXPECT_FALSE(shipping::evaluate_method(rules(), cart, "pallet"));
  EXPECT_FALSE(shipping::evaluate_method(rules(), cart, ""));
  const auto one = shipping::evaluate_method(rules(), cart, "parcel_locker");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->id, "parcel_locker");
  EXPECT_EQ(one->price, pln(999));
}

TEST(Methods, PricedByTheBandOfTheTotalWeight) {
  EXPECT_EQ(method(weighing(5000), "courier").price, pln(1499));
  EXPECT_EQ(method(weighing(5001), "courier").price, pln(1999));
  EXPECT_EQ(method(weighing(10000), "courier").price, pln(1999));
  EXPECT_EQ(method(weighing(31500), "courier").price, pln(2499));
  EXPECT_EQ(method(weighing(31501), "courier").price, pln(5999));
  const auto limit = method(weighing(100000), "courier");
  EXPECT_TRUE(limit.available);
  EXPECT_EQ(limit.price, pln(5999));
  // The store's one band has no upper weight.
  const auto pickup = method(weighing(1000000), "store_pickup");
  EXPECT_TRUE(pickup.available);
  EXPECT_EQ(pickup.price, pln(0));
}

TEST(Methods, TooHeavyFromOneGramOverTheLimit) {
  const auto over = method(weighing(100001), "courier");
  EXPECT_FALSE(over.available);
  EXPECT_EQ(over.reasons,
            (std::vector<Unavailability>{
                {"too_heavy", "Kurier przyjmuje przesyłki do 100 kg, a koszyk waży 100,1 kg."}}));
  // Without max_total_weight_g the last band is the limit.
  EXPECT_TRUE(method(weighing(25000), "parcel_locker").available);
  EXPECT_EQ(method(weighing(25000), "parcel_locker").price, pln(1299));
  EXPECT_EQ(codes(method(weighing(25001), "parcel_locker")), std::vector<std::string>{"too_heavy"});
  EXPECT_EQ(method(weighing(62400), "parcel_locker").reasons,
            (std::vector<Unavailability>{
                {"too_heavy", "Paczkomat przyjmuje przesyłki do 25 kg, a koszyk waży 62,4 kg."}}));
}

TEST(Methods, TheHeaviestUnit) {
  const auto at_limit = cart_of({product_line("a", Goods().weight(31500))});
  EXPECT_TRUE(method(at_limit, "courier").available);
  const auto over = cart_of({product_line("a", Goods().weight(31501))});
  EXPECT_EQ(
      method(over, "courier").reasons,
      (std::vector<Unavailability>{{"unit_too_heavy",
                                    "Kurier przyjmuje produkty do 31,5 kg za sztukę, a najcięższy "
                                    "produkt w koszyku waży 31,6 kg."}}));
  // Two units of 20 kg are not one unit of 40 kg.
  EXPECT_TRUE(
      method(cart_of({product_line("a", Goods().weight(20000).quantity(2))}), "courier").available);
}

TEST(Methods, TheLongestSide) {
  const auto sized = [](std::int64_t longest) {
    return cart_of({product_line("a", Goods().size(100, longest, 300))});
  };
  EXPECT_TRUE(method(sized(1200), "courier").available);
  EXPECT_EQ(codes(method(sized(1201), "courier")), std::vector<std::string>{"too_large"});
  EXPECT_TRUE(method(sized(640), "parcel_locker").available);
  EXPECT_EQ(
      method(cart_of({product_line("a", Goods().size(1667, 980, 300))}), "parcel_locker").reasons,
      (std::vector<Unavailability>{
          {"too_large",
           "Najdłuższy bok produktu (1667 mm) przekracza 640 mm dopuszczalne "
           "dla dostawy „Paczkomat”."}}));
}

TEST(Methods, ExcludedCategoriesAndFlagsEveryReasonOnce) {
  const auto cart =
      cart_of({product_line("f", fridge()),
               product_line("w", Goods()
                                     .category("washing_machine")
                                     .weight(20000)
                                     .size(600, 850, 550)
                                     .flags({"large_appliance", "needs_installation"})),
               product_line("p", phone())});
  const auto locker = method(cart, "parcel_locker");
  EXPECT_FALSE(locker.available);
  EXPECT_EQ(codes(locker), (std::vector<std::string>{"too_heavy", "unit_too_heavy", "too_large",
                                                     "category_excluded", "flag_excluded"}));
  EXPECT_EQ(locker.reasons[3].message,
            "Paczkomat nie przyjmuje produktów z kategorii: lodówki, pralki.");
  EXPECT_EQ(locker.reasons[4].message, "Paczkomat nie przyjmuje produktów tego rodzaju: duże AGD.");
  const auto courier = method(cart, "courier");
  EXPECT_EQ(codes(courier),
            (std::vector<std::string>{"unit_too_heavy", "too_large", "flag_excluded"}));
  EXPECT_EQ(courier.reasons[2].message, "Kurier nie przyjmuje produktów tego rodzaju: duże AGD.");

  const auto one = method(cart_of({product_line("f", Goods().category("fridge").weight(5000))}),
                          "parcel_locker");
  EXPECT_EQ(one.reasons,
            (std::vector<Unavailability>{
                {"category_excluded", "Paczkomat nie przyjmuje produktów z kategorii: lodówki."}}));
}

TEST(Methods, RequiresAnyFlag) {
  const auto phones = method(cart_of({product_line("p", phone())}), "two_person");
  EXPECT_FALSE(phones.available);
  EXPECT_EQ(phones.reasons, (std::vector<Unavailability>{
                                {"needs_flag",
                                 "Dostawa „Dostawa dwuosobowa” jest dostępna tylko dla zamówień z "
                                 "produktami tego rodzaju: duże AGD, produkty do montażu."}}));
  EXPECT_TRUE(
      method(cart_of({product_line("f", fridge()), product_line("p", phone())}), "two_person")
          .available);
  const auto wardrobe = cart_of({product_line("s", Goods()
                                                       .category("furniture")
                                                       .weight(105641)
                                                       .size(1500, 2050, 580)
                                                       .flags({"needs_assembly"}))});
  EXPECT_TRUE(method(wardrobe, "two_person").available);
  // A flag on a service line does not count: it delivers nothing.
  EXPECT_EQ(codes(method(cart_of({product_line("p", phone()), service("s", 100, std::nullopt)}),
                         "two_person")),
            std::vector<std::string>{"needs_flag"});
}

TEST(Methods, FreeFromTheThresholdOn) {
  const auto at = method(weighing(3000, 29900), "courier");
  EXPECT_TRUE(at.free);
  EXPECT_EQ(at.price, pln(0));
  const auto below = method(weighing(3000, 29899), "courier");
  EXPECT_FALSE(below.free);
  EXPECT_EQ(below.price, pln(1499));
  // The value is the whole subtotal, services included.
  const auto with_service =
      cart_of({product_line("a", Goods().price(29800)), service("s", 100, std::string("a"))});
  EXPECT_TRUE(method(with_service, "courier").free);
  const auto locker = method(weighing(3000, 19900), "parcel_locker");
  EXPECT_TRUE(locker.free);
  EXPECT_EQ(locker.price, pln(0));
}

TEST(Methods, ServiceLinesWeighNothing) {
  const auto cart = cart_of(
      {product_line("l", Goods().category("laptop").weight(2100).size(360, 250, 20).price(100)),
       service("s", 100, std::string("l"))});
  const auto courier = method(cart, "courier");
  EXPECT_TRUE(courier.available) << courier.reasons.front().message;
  EXPECT_EQ(courier.price, pln(1499));
  EXPECT_TRUE(method(cart, "parcel_locker").available);
}

TEST(Addons, TheOnesOfTheMethodWithDayRules) {
  const auto cart = cart_of({product_line("p", phone())});
  const auto sunday = shipping::evaluate_addons(rules(), "courier", cart, 2026y / March / 29d);
  std::vector<std::string> ids;
  ids.reserve(sunday.size());
  for (const auto& addon : sunday) ids.push_back(addon.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"sunday_delivery", "saturday_delivery", "evening_delivery",
                                      "morning_delivery", "call_before_delivery"}));
  EXPECT_TRUE(sunday[0].available);
  EXPECT_EQ(sunday[0].price, pln(2999));
  EXPECT_FALSE(sunday[1].available);
  EXPECT_EQ(sunday[1].reason->code, "wrong_day");
  EXPECT_EQ(sunday[1].reason->message,
            "Usługę „Dostawa w sobotę” można wybrać tylko przy dostawie w sobotę.");
  EXPECT_FALSE(sunday[2].available);
  EXPECT_EQ(sunday[2].reason->message,
            "Usługę „Dostawa wieczorem” można wybrać tylko przy dostawie w poniedziałek, wtorek, "
            "środę, czwartek lub piątek.");
  EXPECT_EQ(sunday[2].window, (shipping::TimeWindow{18h, 22h}));
  EXPECT_TRUE(sunday[3].available);
  EXPECT_TRUE(sunday[4].available);

  const auto monday = shipping::evaluate_addons(rules(), "courier", cart, 2026y / March / 30d);
  EXPECT_EQ(monday[0].reason->message,
            "Usługę „Dostawa w niedzielę” można wybrać tylko przy dostawie w niedzielę.");
  EXPECT_TRUE(monday[2].available);
  const auto friday = shipping::evaluate_addons(rules(), "courier", cart, 2026y / March / 27d);
  EXPECT_TRUE(friday[2].available);
  const auto saturday = shipping::evaluate_addons(rules(), "courier", cart, 2026y / March / 28d);
  EXPECT_TRUE(saturday[1].available);
  EXPECT_FALSE(saturday[2].available);

  // No day chosen yet: the day rules wait for it.
  const auto any_day = shipping::evaluate_addons(rules(), "courier", cart, std::nullopt);
  EXPECT_TRUE(std::all_of(any_day.begin(), any_day.end(),
                          [](const AddonOption& addon) { return addon.available; }));
  EXPECT_TRUE(shipping::evaluate_addons(rules(), "store_pickup", cart, std::nullopt).empty());
  EXPECT_TRUE(shipping::evaluate_addons(rules(), "pallet", cart, std::nullopt).empty());
}

TEST(Addons, PricedPerLargeApplianceUnit) {
  const auto cart =
      cart_of({product_line("f", fridge(2)),
               product_line("w", Goods()
                                     .category("washing_machine")
                                     .weight(70000)
                                     .flags({"large_appliance", "needs_installation"})),
               product_line("p", phone()), service("s", 9900, std::string("f"))});
  const auto addons = shipping::evaluate_addons(rules(), "two_person", cart, std::nullopt);
  ASSERT_EQ(addons.size(), 4U);
  EXPECT_EQ(addons[1].id, "carry_in");
  EXPECT_TRUE(addons[1].available);
  EXPECT_EQ(addons[1].price, pln(std::int64_t{3} * 9900));
  EXPECT_EQ(addons[2].id, "old_appliance_pickup");
  EXPECT_EQ(addons[2].price, pln(0));
  EXPECT_EQ(addons[3].price, pln(299));

  const auto sofa =
      cart_of({product_line("s", Goods().category("furniture").flags({"needs_assembly"}))});
  const auto carry_in = shipping::evaluate_addons(rules(), "two_person", sofa, std::nullopt)[1];
  EXPECT_FALSE(carry_in.available);
  EXPECT_EQ(carry_in.price, pln(0));
  EXPECT_EQ(carry_in.reason, (Unavailability{"needs_flag",
                                             "Usługę „Wniesienie do mieszkania” można wybrać tylko "
                                             "dla produktów tego rodzaju: duże AGD."}));
  const auto empty = shipping::evaluate_addons(rules(), "courier", cart_of({}), std::nullopt);
  EXPECT_EQ(empty[0].reason, (Unavailability{"cart_empty", "Koszyk jest pusty."}));
}

TEST(Addons, ChooseReturnsTheChosenInOrder) {
  const auto cart = cart_of({product_line("f", fridge(2))});
  auto chosen = shipping::choose_addons(rules(), "two_person", cart, 2026y / March / 28d,
                                        {"call_before_delivery", "carry_in", "saturday_delivery"});
  ASSERT_TRUE(chosen) << chosen.error().message;
  ASSERT_EQ(chosen->size(), 3U);
  EXPECT_EQ((*chosen)[0].id, "call_before_delivery");
  EXPECT_EQ((*chosen)[1].price, pln(std::int64_t{2} * 9900));
  EXPECT_EQ((*chosen)[2].id, "saturday_delivery");
  auto none = shipping::choose_addons(rules(), "courier", cart, 2026y / March / 28d, {});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(Addons, ChooseRefusesWithTheReason) {
  const auto cart = cart_of({product_line("p", phone())});
  const auto monday = 2026y / March / 30d;
  const auto refused = [&](std::string_view method_id, const std::vector<std::string>& ids,
                           year_month_day date = 2026y / March / 30d) {
    auto result = shipping::choose_addons(rules(), method_id, cart, date, ids);
    EXPECT_FALSE(result);
    return result ? platform::Error{} : result.error();
  };
  auto unknown = refused("courier", {"call_before_delivery", "helicopter"});
  EXPECT_EQ(unknown.code, Errc::invalid);
  EXPECT_EQ(unknown.reason, "unknown_addon");
  EXPECT_EQ(unknown.message, "Nie ma usługi dodatkowej „helicopter”.");
  auto twice =
      refused("courier", {"call_before_delivery", "evening_delivery", "call_before_delivery"});
  EXPECT_EQ(twice.reason, "duplicate_addon");
  EXPECT_EQ(twice.message, "Usługa „Telefon przed dostawą” jest wybrana dwa razy.");
  auto wrong_method = refused("parcel_locker", {"call_before_delivery"});
  EXPECT_EQ(wrong_method.reason, "addon_not_allowed");
  EXPECT_EQ(wrong_method.message,
            "Usługi „Telefon przed dostawą” nie można wybrać przy metodzie dostawy „Paczkomat”.");
  auto sunday_on_monday = refused("courier", {"sunday_delivery"}, monday);
  EXPECT_EQ(sunday_on_monday.reason, "addon_not_allowed");
  EXPECT_EQ(sunday_on_monday.message,
            "Usługę „Dostawa w niedzielę” można wybrać tylko przy dostawie w niedzielę, a 30 marca "
            "2026 to poniedziałek.");
  auto evening_on_saturday = refused("courier", {"evening_delivery"}, 2026y / March / 28d);
  EXPECT_EQ(evening_on_saturday.message,
            "Usługę „Dostawa wieczorem” można wybrać tylko przy dostawie w poniedziałek, wtorek, "
            "środę, czwartek lub piątek, a 28 marca 2026 to sobota.");
  auto no_appliance = refused("two_person", {"carry_in"});
  EXPECT_EQ(no_appliance.message,
            "Usługę „Wniesienie do mieszkania” można wybrać tylko dla produktów tego rodzaju: duże "
            "AGD.");
  auto two_windows =
      refused("courier", {"evening_delivery", "call_before_delivery", "morning_delivery"});
  EXPECT_EQ(two_windows.reason, "addon_not_allowed");
  EXPECT_EQ(two_windows.message,
            "Usługi „Dostawa wieczorem” i „Dostawa rano” ustalają godziny dostawy: wybierz jedną z "
            "nich.");
  auto unknown_method = refused("pallet", {"call_before_delivery"});
  EXPECT_EQ(unknown_method.reason, "addon_not_allowed");
  EXPECT_EQ(unknown_method.message,
            "Usługi „Telefon przed dostawą” nie można wybrać przy tej metodzie dostawy.");
  auto empty =
      shipping::choose_addons(rules(), "courier", cart_of({}), monday, {"call_before_delivery"});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().reason, "addon_not_allowed");
  EXPECT_EQ(empty.error().message, "Koszyk jest pusty.");
}

TEST(EarliestDeliveryDay, SameDayBeforeTheCutOff) {
  // 2026-03-10 is a Tuesday in winter time (UTC+1): 13:59 local is 12:59 UTC.
  const auto tuesday = 2026y / March / 10d;
  EXPECT_EQ(shipping::earliest_delivery_day(utc(tuesday, 12h + 59min), 14h, 1),
            2026y / March / 11d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(tuesday, 13h), 14h, 1), 2026y / March / 12d)
      << "14:00 sharp is after the cut-off";
  EXPECT_EQ(shipping::earliest_delivery_day(utc(tuesday, 12h), 14h, 0), tuesday);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(tuesday, 12h), 14h, 2), 2026y / March / 12d);
  // 23:30 UTC is already Wednesday 00:30 in Warsaw.
  EXPECT_EQ(shipping::earliest_delivery_day(utc(tuesday, 23h + 30min), 14h, 1),
            2026y / March / 12d);
}

TEST(EarliestDeliveryDay, AfterTheCutOffOnFridayIsTuesday) {
  const auto friday = 2026y / March / 27d;
  EXPECT_EQ(shipping::earliest_delivery_day(utc(friday, 14h), 14h, 1), 2026y / March / 31d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(friday, 12h), 14h, 1), 2026y / March / 30d);
  // Ordered at the weekend: dispatched on Monday whatever the hour.
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / March / 28d, 8h), 14h, 1),
            2026y / March / 31d);
}

TEST(EarliestDeliveryDay, SummerTime) {
  // Clocks go forward on Sunday 2026-03-29; on Monday 11:59 UTC is 13:59 in Warsaw and 12:30 UTC
  // is 14:30, after the cut-off (it would be 13:30 in winter time).
  const auto monday = 2026y / March / 30d;
  EXPECT_EQ(shipping::earliest_delivery_day(utc(monday, 11h + 59min), 14h, 1), 2026y / March / 31d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(monday, 12h + 30min), 14h, 1), 2026y / April / 1d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / March / 29d, 10h), 14h, 1),
            2026y / March / 31d);
  // Back to winter time on Sunday 2026-10-25: Monday 12:30 UTC is 13:30 in Warsaw.
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / October / 26d, 12h + 30min), 14h, 1),
            2026y / October / 27d);
}

TEST(EarliestDeliveryDay, EasterAndChristmas) {
  // Easter Sunday 2026 is 5 April; Easter Monday (6 April) is a holiday.
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / April / 2d, 14h), 14h, 1),
            2026y / April / 7d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / April / 3d, 9h), 14h, 1),
            2026y / April / 7d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / April / 3d, 9h), 14h, 2),
            2026y / April / 8d);
  // 24, 25 and 26 December are holidays (24 December from 2025); 2026-12-24 is a Thursday.
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / December / 23d, 12h), 14h, 1),
            2026y / December / 28d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / December / 23d, 13h), 14h, 1),
            2026y / December / 29d);
  EXPECT_EQ(shipping::earliest_delivery_day(utc(2026y / December / 24d, 9h), 14h, 0),
            2026y / December / 28d);
}

TEST(PolishDates, DaysAsTheMessagesNameThem) {
  EXPECT_EQ(shipping::polish_date(2026y / December / 8d), "8 grudnia 2026");
  EXPECT_EQ(shipping::polish_date(2027y / January / 15d), "15 stycznia 2027");
  EXPECT_EQ(shipping::polish_date(2026y / October / 1d), "1 października 2026");
  EXPECT_EQ(shipping::polish_day_nominative(2026y / December / 9d), "środa, 9 grudnia 2026");
  EXPECT_EQ(shipping::polish_day_accusative(2026y / December / 9d), "środę, 9 grudnia 2026");
  EXPECT_EQ(shipping::polish_day_accusative(2026y / December / 13d), "niedzielę, 13 grudnia 2026");
  EXPECT_EQ(shipping::polish_day_nominative(2026y / December / 12d), "sobota, 12 grudnia 2026");
  EXPECT_EQ(shipping::on_weekdays({Sunday}), "w niedzielę");
  EXPECT_EQ(shipping::on_weekdays({Tuesday}), "we wtorek");
  EXPECT_EQ(shipping::on_weekdays({Tuesday, Thursday}), "we wtorek lub czwartek");
  EXPECT_EQ(shipping::on_weekdays({Monday, Wednesday, Friday}), "w poniedziałek, środę lub piątek");
  EXPECT_EQ(shipping::on_weekdays({}), "");
}
