// The session rules (session.hpp) and the events they publish (events.hpp): pure, no I/O. The
// shop's shipped rules file is the rule set, so these read like the shop behaves.
#include "session.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "events.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/rules/load.hpp"

namespace shipping {
namespace {
using contracts::CartCopy;
using contracts::CartLine;
using platform::Errc;
using platform::pln;
using namespace std::chrono;

const DeliveryRules& rules() {
  static const DeliveryRules loaded = [] {
    auto parsed = platform::rules::load_rules<DeliveryRules>(
        std::string(SHIPPING_CONFIG_DIR) + "/delivery_rules.yaml", parse_delivery_rules);
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return *parsed;
  }();
  return loaded;
}

CartLine phone(std::int64_t quantity = 1) {
  CartLine line;
  line.item_id = "it-phone";
  line.type = "offer";
  line.sku = "PHONE-1";
  line.name = "Telefon";
  line.category = "phone";
  line.unit_price = pln(14900);
  line.quantity = quantity;
  line.weight_g = 450;
  line.dimensions_mm = {80, 170, 10};
  return line;
}

CartLine fridge(std::int64_t quantity = 1) {
  auto line = phone(quantity);
  line.item_id = "it-fridge";
  line.sku = "FRIDGE-1";
  line.category = "fridge";
  line.unit_price = pln(149900);
  line.weight_g = 70000;
  line.dimensions_mm = {600, 1850, 650};
  line.flags = {"large_appliance"};
  return line;
}

CartCopy cart_of(std::vector<CartLine> lines, std::int64_t version = 1) {
  CartCopy cart;
  cart.session_id = "s-1";
  cart.user_id = "u-1";
  cart.version = version;
  cart.cart_hash = "h" + std::to_string(version);
  cart.lines = std::move(lines);
  return cart;
}

ShippingSession session_with(std::vector<CartLine> lines) {
  ShippingSession session;
  session.session_id = "s-1";
  session.user_id = "u-1";
  session.cart = cart_of(std::move(lines));
  return session;
}

Address warsaw() {
  return Address{.first_name = "Anna",
                 .last_name = "Kowalska",
                 .company_name = std::nullopt,
                 .street = "ul. Marszałkowska",
                 .building_number = "84",
                 .apartment_number = std::nullopt,
                 .postal_code = "00-514",
                 .city = "Warszawa",
                 .country_code = "PL",
                 .phone = "+48600100200",
                 .floor = std::nullopt,
                 .has_elevator = std::nullopt};
}

std::vector<ChangeKind> kinds(const Outcome& outcome) {
  std::vector<ChangeKind> out;
  for (const auto& change : outcome.changes) out.push_back(change.kind);
  return out;
}

// Monday 7 December 2026, 10:00 in Warsaw (before the cut-off).
const platform::TimePoint kMondayMorning = platform::from_warsaw(2026y / December / 7, 10h);
const auto kTuesday = 2026y / December / 8;
const auto kSunday = 2026y / December / 13;

std::vector<CalendarDay> offered(std::initializer_list<year_month_day> days) {
  std::vector<CalendarDay> out;
  for (const auto& day : days) out.push_back({day, true});
  return out;
}

TEST(SelectMethod, TakesOnlyAMethodTheCartAllowsNow) {
  const auto empty = select_method(session_with({}), rules(), "courier");
  EXPECT_EQ(empty.error().reason, "cart_empty");
  EXPECT_EQ(empty.error().message, "Koszyk jest pusty: najpierw dodaj produkt.");
  auto session = session_with({fridge()});
  const auto unknown = select_method(session, rules(), "teleport");
  EXPECT_EQ(unknown.error().code, Errc::not_found);
  EXPECT_EQ(unknown.error().reason, "unknown_method");
  EXPECT_EQ(unknown.error().message, "Nie ma takiej metody dostawy.");
  const auto refused = select_method(session, rules(), "parcel_locker");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "method_unavailable");
  EXPECT_FALSE(refused.error().message.empty());

  const auto chosen = select_method(session, rules(), "two_person");
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(kinds(*chosen), std::vector{ChangeKind::method_selected});
  EXPECT_EQ(chosen->session.method->price, pln(9900));
  EXPECT_TRUE(chosen->session.method->cash_on_delivery);

  // The same method at the same price again: nothing to publish.
  const auto again = select_method(chosen->session, rules(), "two_person");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changes.empty());
}

TEST(SelectMethod, AnotherMethodEndsTheDayAndAddonsOfTheOldOne) {
  auto session = session_with({phone()});
  session = select_method(session, rules(), "courier")->session;
  session = provide_address(session, warsaw())->session;
  session = select_day(session, rules(), offered({kTuesday}), kTuesday, {"evening_delivery"},
                       kMondayMorning)
                ->session;
  ASSERT_TRUE(session.day);
  ASSERT_EQ(session.addons.size(), 1U);

  const auto switched = select_method(session, rules(), "store_pickup");
  ASSERT_TRUE(switched);
  EXPECT_EQ(kinds(*switched), (std::vector{ChangeKind::method_selected, ChangeKind::day_selected,
                                           ChangeKind::addons_selected}));
  EXPECT_FALSE(switched->session.day);
  EXPECT_TRUE(switched->session.addons.empty());
  EXPECT_EQ(switched->changes[1].method_id, "courier") << "the day that ended was courier's";
}

TEST(FollowCart, ClearsAChoiceTheCartNoLongerAllowsWithTheReason) {
  auto session = select_method(session_with({phone()}), rules(), "parcel_locker")->session;
  const auto followed = follow_cart(session, cart_of({phone(), fridge()}, 2), rules());
  EXPECT_EQ(kinds(followed), std::vector{ChangeKind::method_cleared});
  EXPECT_FALSE(followed.session.method);
  EXPECT_EQ(followed.changes[0].method_id, "parcel_locker");
  ASSERT_TRUE(followed.changes[0].reason);
  EXPECT_FALSE(followed.changes[0].reason->message.empty());
  EXPECT_EQ(followed.session.cart.version, 2);
}

TEST(FollowCart, RepublishesANewPriceAndNothingWhenNothingChanged) {
  auto session = select_method(session_with({phone()}), rules(), "courier")->session;
  EXPECT_EQ(session.method->price, pln(1499));
  // Same contents under a new version: nothing to say.
  EXPECT_TRUE(follow_cart(session, cart_of({phone()}, 2), rules()).changes.empty());
  // Three phones cost 447 zł: above courier's free threshold of 299 zł.
  const auto followed = follow_cart(session, cart_of({phone(3)}, 3), rules());
  EXPECT_EQ(kinds(followed), std::vector{ChangeKind::method_selected});
  EXPECT_EQ(followed.session.method->price, pln(0));
}

// The shipped rules plus an addon priced per large appliance.
const DeliveryRules& rules_with_per_unit_addon() {
  static const DeliveryRules loaded = [] {
    auto parsed = platform::rules::load_rules<DeliveryRules>(
        std::string(SHIPPING_CONFIG_DIR) + "/delivery_rules.yaml", parse_delivery_rules);
    if (!parsed) throw std::runtime_error(parsed.error().message);
    parsed->addons.push_back(AddonRule{.id = "carry_in",
                                       .name = "Wniesienie",
                                       .price = pln(9900),
                                       .pricing = AddonPricing::per_unit_with_required_flag,
                                       .methods = {"two_person"},
                                       .days = {},
                                       .window = std::nullopt,
                                       .requires_any_flag = {"large_appliance"}});
    return *parsed;
  }();
  return loaded;
}

TEST(FollowCart, RepricesPerUnitAddonsAndDropsTheOnesNoLongerAllowed) {
  const auto& rules = rules_with_per_unit_addon;
  auto session = select_method(session_with({fridge()}), rules(), "two_person")->session;
  session = provide_address(session, warsaw())->session;
  // Two working days in transit for a two-person crew: Wednesday at the earliest.
  const auto wednesday = 2026y / December / 9;
  auto chosen =
      select_day(session, rules(), offered({wednesday}), wednesday, {"carry_in"}, kMondayMorning);
  ASSERT_TRUE(chosen) << chosen.error().message;
  session = chosen->session;
  EXPECT_EQ(session.addons_total(), pln(9900));

  // Two fridges weigh 140 kg: the next weight band, and carry-in for each.
  auto followed = follow_cart(session, cart_of({fridge(2)}, 2), rules());
  EXPECT_EQ(kinds(followed),
            (std::vector{ChangeKind::method_selected, ChangeKind::addons_selected}));
  EXPECT_EQ(followed.session.method->price, pln(14900));
  EXPECT_EQ(followed.session.addons_total(), pln(std::int64_t{2} * 9900))
      << "carry-in is per large appliance";
}

TEST(ProvideAddress, FitsTheMethodsDestinationAndANewPostalCodeEndsTheDay) {
  auto session = select_method(session_with({phone()}), rules(), "courier")->session;
  LockerDelivery locker{"WAW01M", "Anna", "Kowalska", "+48600100200"};
  const auto no_locker = provide_locker(session, locker);
  EXPECT_EQ(no_locker.error().reason, "wrong_destination");
  EXPECT_EQ(no_locker.error().message,
            "Paczkomat możesz wskazać dopiero po wybraniu dostawy do paczkomatu.");

  auto given = provide_address(session, warsaw());
  ASSERT_TRUE(given);
  EXPECT_EQ(kinds(*given), std::vector{ChangeKind::address_provided});
  EXPECT_TRUE(provide_address(given->session, warsaw())->changes.empty()) << "the same again";
  session = select_day(given->session, rules(), offered({kTuesday}), kTuesday, {}, kMondayMorning)
                ->session;

  auto moved = warsaw();
  moved.postal_code = "30-001";
  moved.city = "Kraków";
  const auto changed = provide_address(session, moved);
  ASSERT_TRUE(changed);
  EXPECT_EQ(kinds(*changed), (std::vector{ChangeKind::address_provided, ChangeKind::day_selected}));
  EXPECT_FALSE(changed->session.day);

  auto locker_session = select_method(session_with({phone()}), rules(), "parcel_locker")->session;
  const auto no_address = provide_address(locker_session, warsaw());
  EXPECT_EQ(no_address.error().reason, "wrong_destination");
  EXPECT_EQ(no_address.error().message,
            "Przy metodzie dostawy „Paczkomat” nie podaje się adresu dostawy.");
  EXPECT_TRUE(provide_locker(locker_session, locker));
}

TEST(SelectDay, OnlyAnOfferedDayNotBeforeTheCutOffAllowsWithAllowedAddons) {
  EXPECT_EQ(select_day(session_with({phone()}), rules(), offered({kTuesday}), kTuesday, {},
                       kMondayMorning)
                .error()
                .message,
            "Najpierw wybierz metodę dostawy.");
  auto session = select_method(session_with({phone()}), rules(), "courier")->session;
  const auto no_address =
      select_day(session, rules(), offered({kTuesday}), kTuesday, {}, kMondayMorning);
  EXPECT_EQ(no_address.error().reason, "address_missing");
  EXPECT_EQ(no_address.error().message, "Najpierw podaj adres dostawy.");
  session = provide_address(session, warsaw())->session;

  const auto calendar = offered({kTuesday, kSunday});
  const auto not_offered =
      select_day(session, rules(), calendar, 2026y / December / 9, {}, kMondayMorning);
  EXPECT_EQ(not_offered.error().reason, "day_not_offered");
  EXPECT_EQ(not_offered.error().message,
            "Dostawa pod kod pocztowy 00-514 nie jest możliwa w środę, 9 grudnia 2026. Wybierz "
            "inny dzień.");
  const auto not_offered_tuesday =
      select_day(session, rules(), offered({kSunday}), kTuesday, {}, kMondayMorning);
  EXPECT_EQ(not_offered_tuesday.error().message,
            "Dostawa pod kod pocztowy 00-514 nie jest możliwa we wtorek, 8 grudnia 2026. Wybierz "
            "inny dzień.");
  // Ordered Monday after 14:00: Tuesday is too soon even if a stale calendar still offers it.
  const auto after_cutoff = platform::from_warsaw(2026y / December / 7, 15h);
  const auto too_late = select_day(session, rules(), calendar, kTuesday, {}, after_cutoff);
  EXPECT_EQ(too_late.error().reason, "day_not_offered");
  EXPECT_EQ(too_late.error().message,
            "Na wtorek, 8 grudnia 2026 jest już za późno. Najwcześniejszy możliwy dzień dostawy "
            "to niedziela, 13 grudnia 2026.");
  EXPECT_EQ(
      select_day(session, rules(), offered({kTuesday}), kTuesday, {}, after_cutoff).error().message,
      "Na wtorek, 8 grudnia 2026 jest już za późno. Wybierz późniejszy dzień.");
  const auto sunday_on_tuesday =
      select_day(session, rules(), calendar, kTuesday, {"sunday_delivery"}, kMondayMorning);
  EXPECT_EQ(sunday_on_tuesday.error().reason, "addon_not_allowed");
  EXPECT_EQ(sunday_on_tuesday.error().message,
            "Usługę „Dostawa w niedzielę” można wybrać tylko przy dostawie w niedzielę, a 8 "
            "grudnia 2026 to wtorek.");

  const auto sunday =
      select_day(session, rules(), calendar, kSunday, {"sunday_delivery"}, kMondayMorning);
  ASSERT_TRUE(sunday) << sunday.error().message;
  EXPECT_EQ(kinds(*sunday), (std::vector{ChangeKind::day_selected, ChangeKind::addons_selected}));
  EXPECT_EQ(sunday->session.addons_total(), pln(2999));
  EXPECT_FALSE(sunday->session.day->window);

  auto store = select_method(session, rules(), "store_pickup")->session;
  const auto no_calendar = select_day(store, rules(), calendar, kTuesday, {}, kMondayMorning);
  EXPECT_EQ(no_calendar.error().reason, "no_calendar");
  EXPECT_EQ(no_calendar.error().message,
            "Przy metodzie dostawy „Odbiór w sklepie” nie wybiera się dnia dostawy.");
}

TEST(Events, OnePerChangeWithConsecutiveVersionsAndTheSessionAsKey) {
  auto session = select_method(session_with({phone()}), rules(), "parcel_locker")->session;
  session.version = 4;
  const auto followed = follow_cart(session, cart_of({phone(), fridge()}, 2), rules());
  const auto events = events_for(followed, 4, platform::TraceContext::generate(), kMondayMorning);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, "ShippingMethodCleared");
  EXPECT_EQ(events[0].key, "s-1");
  EXPECT_EQ(events[0].topic, "shipping-events");
  const auto data = boost::json::parse(events[0].data).as_object();
  EXPECT_EQ(data.at("version").as_int64(), 5);
  EXPECT_EQ(data.at("method_id").as_string(), "parcel_locker");
  EXPECT_EQ(data.at("cart_hash").as_string(), "h2");
  EXPECT_FALSE(data.at("reason").at("message").as_string().empty());

  auto chosen = select_method(session_with({phone()}), rules(), "courier")->session;
  chosen = provide_address(chosen, warsaw())->session;
  const auto day = select_day(chosen, rules(), offered({kTuesday}), kTuesday, {"evening_delivery"},
                              kMondayMorning);
  const auto day_events = events_for(*day, 2, platform::TraceContext::generate(), kMondayMorning);
  ASSERT_EQ(day_events.size(), 2U);
  const auto date = boost::json::parse(day_events[0].data).as_object();
  EXPECT_EQ(date.at("delivery_date").as_string(), "2026-12-08");
  EXPECT_EQ(date.at("time_window").at("from").as_string(), "18:00");
  EXPECT_EQ(date.at("version").as_int64(), 3);
  const auto addons = boost::json::parse(day_events[1].data).as_object();
  EXPECT_EQ(addons.at("addons_total").at("amount").as_int64(), 1499);
  EXPECT_EQ(addons.at("version").as_int64(), 4);
}

}  // namespace
}  // namespace shipping
