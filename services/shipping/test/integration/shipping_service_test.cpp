// The Shipping through its HTTP API and Kafka: the real shipping_service binary, its Redis keys,
// the events it publishes (checked against contracts/events) and the carrier calendar simulator.
#include <csignal>
#include <fstream>

#include "contracts/event_types.hpp"
#include "platform/ids.hpp"
#include "platform/polish_calendar.hpp"
#include "platform/testing/eventually.hpp"
#include "polish_dates.hpp"
#include "shipping_fixture.hpp"

namespace shipping::testing {
namespace {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::testing::eventually;

// 149 zł: below every free-delivery threshold.
const TestLine kPhone{.item_id = "it-phone", .sku = "PHONE-1", .unit_price = 14900, .flags = {}};
const TestLine kFridge{.item_id = "it-fridge",
                       .sku = "FRIDGE-1",
                       .category = "fridge",
                       .unit_price = 249900,
                       .weight_g = 70000,
                       .longest_side_mm = 1850,
                       .flags = {"large_appliance"}};

const json::object kAddress{{"first_name", "Anna"},          {"last_name", "Kowalska"},
                            {"street", "ul. Marszałkowska"}, {"building_number", "84"},
                            {"postal_code", "00-514"},       {"city", "Warszawa"},
                            {"country_code", "PL"},          {"phone", "600 100 200"}};

class ShippingTest : public ShippingServiceTest {
 protected:
  void SetUp() override {
    carrier("POST", "/control/reset");
    cart_ = std::make_unique<TestCart>("user-" + platform::new_uuid());
  }

  // Publishes `event` and waits until the service applied it.
  json::object apply(const platform::CloudEvent& event) {
    publish(event);
    return available_for(*cart_);
  }

  HttpResult select(const std::string& method) {
    return call(cart_->user(), "POST", "/shipping/select",
                json::serialize(json::object{{"method", method}}));
  }

  // The session's events of `type`, once there are `count` of them.
  std::vector<platform::CloudEvent> events_of(const std::string& type, std::size_t count) {
    std::vector<platform::CloudEvent> found;
    eventually([&] {
      found.clear();
      for (auto& event : shipping_events(cart_->session())) {
        if (event.type == type) found.push_back(event);
      }
      return found.size() >= count;
    });
    return found;
  }

  std::unique_ptr<TestCart> cart_;
};

TEST_F(ShippingTest, AvailableMethodsFollowTheCartWithReasonsAndAreCachedByCartHash) {
  auto available = apply(cart_->put(kPhone));
  EXPECT_EQ(available.at("session_id").as_string(), cart_->session());
  const auto* courier = method_in(available, "courier");
  ASSERT_NE(courier, nullptr) << json::serialize(available);
  EXPECT_TRUE(courier->at("available").as_bool());
  EXPECT_EQ(courier->at("price").at("amount").as_int64(), 1499) << "up to 5 kg";
  EXPECT_TRUE(method_in(available, "parcel_locker")->at("available").as_bool());
  EXPECT_FALSE(method_in(available, "two_person")->at("available").as_bool());
  const auto hash = std::string(available.at("cart_hash").as_string());
  EXPECT_EQ(redis({"EXISTS", "shipping:methods:{" + hash + "}"}).as_integer(), 1);

  available = apply(cart_->put(kFridge));
  const auto* locker = method_in(available, "parcel_locker");
  EXPECT_FALSE(locker->at("available").as_bool());
  ASSERT_FALSE(locker->at("reasons").as_array().empty());
  EXPECT_FALSE(locker->at("reasons").at(0).at("message").as_string().empty());
  EXPECT_TRUE(method_in(available, "two_person")->at("available").as_bool());
  EXPECT_NE(available.at("cart_hash").as_string(), hash) << "a new cart, a new cache entry";

  // 70.45 kg in the first band; 2648 zł is below two_person's free threshold of 2999 zł.
  EXPECT_EQ(method_in(available, "two_person")->at("price").at("amount").as_int64(), 9900);
  EXPECT_FALSE(method_in(available, "two_person")->at("free").as_bool());
}

TEST_F(ShippingTest, AChoiceIsPublishedAndACartChangeClearsOrRepricesIt) {
  apply(cart_->put(kPhone));
  auto chosen = select("parcel_locker");
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(json_of(chosen.body).at("version").as_int64(), 1);
  auto selected = events_of(std::string(et::kShippingMethodSelected), 1);
  ASSERT_EQ(selected.size(), 1U);
  EXPECT_TRUE(validates(selected[0]));
  EXPECT_EQ(json_of(selected[0].data).at("price").at("amount").as_int64(), 999);

  // Choosing it again changes nothing and publishes nothing.
  EXPECT_EQ(json_of(select("parcel_locker").body).at("version").as_int64(), 1);

  // A fridge cannot go to a parcel locker: the choice is cleared, with the reason.
  apply(cart_->put(kFridge));
  auto cleared = events_of(std::string(et::kShippingMethodCleared), 1);
  ASSERT_EQ(cleared.size(), 1U) << suite().service->log_tail();
  EXPECT_TRUE(validates(cleared[0]));
  const auto data = json_of(cleared[0].data);
  EXPECT_EQ(data.at("method_id").as_string(), "parcel_locker");
  EXPECT_EQ(data.at("version").as_int64(), 2);
  EXPECT_TRUE(selection(cart_->user()).at("method").is_null());

  // Courier for two phones, then a price that crosses free_from: the new price is published.
  apply(cart_->remove(kFridge));
  ASSERT_EQ(select("courier").status, 200);
  auto expensive = kPhone;
  expensive.quantity = 3;
  apply(cart_->put(expensive, std::string(et::kCartItemQuantityChanged)));
  auto repriced = events_of(std::string(et::kShippingMethodSelected), 3);
  ASSERT_EQ(repriced.size(), 3U);
  EXPECT_TRUE(validates(repriced[2]));
  EXPECT_EQ(json_of(repriced[2].data).at("price").at("amount").as_int64(), 0);
  EXPECT_EQ(selection(cart_->user()).at("method").at("price").at("amount").as_int64(), 0);
}

TEST_F(ShippingTest, DuplicatedAndOldCartEventsChangeNothing) {
  const auto first = cart_->put(kPhone);
  apply(first);
  ASSERT_EQ(select("parcel_locker").status, 200);
  const auto second = cart_->put(kFridge);
  apply(second);
  ASSERT_EQ(events_of(std::string(et::kShippingMethodCleared), 1).size(), 1U);
  const auto before = selection(cart_->user());
  const auto events_before = shipping_events(cart_->session()).size();

  // The same events again (as the outbox relay may republish them), and with new ids.
  publish(first);
  publish(second);
  auto again = second;
  again.id = platform::new_uuid();
  publish(again);
  // A later event proves the repeats were handled before it.
  auto later = kPhone;
  later.item_id = "it-phone-2";
  apply(cart_->put(later));
  const auto after = selection(cart_->user());
  EXPECT_EQ(json::serialize(after.at("method")), json::serialize(before.at("method")));
  EXPECT_EQ(after.at("version").as_int64(), before.at("version").as_int64());
  EXPECT_EQ(shipping_events(cart_->session()).size(), events_before);
  const auto cart = redis({"HGET", "shipping:session:{" + cart_->session() + "}", "cart"});
  EXPECT_EQ(json_of(cart.as_string()).at("lines").as_array().size(), 3U);
}

TEST_F(ShippingTest, BadInputsGetClearErrorsAndChangeNothing) {
  // No session yet: nothing to choose for.
  auto response = select("courier");
  EXPECT_EQ(response.status, 409) << response.body;
  EXPECT_NE(response.body.find("cart_empty"), std::string::npos);

  apply(cart_->put(kFridge));
  EXPECT_EQ(select("teleport").status, 404);
  EXPECT_EQ(select("Courier; DROP").status, 404);
  response = select("parcel_locker");
  EXPECT_EQ(response.status, 422) << response.body;
  EXPECT_NE(response.body.find("method_unavailable"), std::string::npos);
  EXPECT_EQ(call(cart_->user(), "POST", "/shipping/select", "{\"method\":").status, 400);
  EXPECT_EQ(call(cart_->user(), "POST", "/shipping/select", R"({"method":"courier","x":1})").status,
            422);

  auto bad = kAddress;
  bad["postal_code"] = "00514";
  bad["phone"] = "12";
  response = call(cart_->user(), "POST", "/shipping/address",
                  json::serialize(json::object{{"address", bad}}));
  EXPECT_EQ(response.status, 422) << response.body;
  const auto problem = json_of(response.body);
  ASSERT_TRUE(problem.contains("errors")) << response.body;
  std::vector<std::string> fields;
  for (const auto& error : problem.at("errors").as_array()) {
    fields.emplace_back(error.at("field").as_string());
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"postal_code", "phone"}));
  EXPECT_EQ(problem.at("type").as_string(), "https://checkout.local/problems/invalid_address");
  EXPECT_EQ(problem.at("detail").as_string(),
            "Adres dostawy: kod pocztowy musi mieć postać 00-950; podaj polski numer telefonu: 9 "
            "cyfr, np. 600 700 800 lub +48 600 700 800.");
  EXPECT_EQ(problem.at("errors").at(0).at("detail").as_string(),
            "Kod pocztowy musi mieć postać 00-950.");

  // A locker without parcel-locker delivery; a day without a method.
  response = call(cart_->user(), "POST", "/shipping/address",
                  R"({"parcel_locker":{"locker_id":"WAW01M","first_name":"A","last_name":"B",)"
                  R"("phone":"600100200"}})");
  EXPECT_EQ(response.status, 409) << response.body;
  EXPECT_EQ(json_of(response.body).at("detail").as_string(),
            "Paczkomat możesz wskazać dopiero po wybraniu dostawy do paczkomatu.");
  response = call(cart_->user(), "POST", "/shipping/set-date", R"({"date":"2030-01-02"})");
  EXPECT_EQ(response.status, 409) << response.body;
  EXPECT_EQ(json_of(response.body).at("detail").as_string(), "Najpierw wybierz metodę dostawy.");
  EXPECT_EQ(call(cart_->user(), "POST", "/shipping/set-date", R"({"date":"2030-02-30"})").status,
            422);
  EXPECT_EQ(call(cart_->user(), "GET", "/shipping/calendar?method=courier&postal_code=0-1").status,
            422);
  EXPECT_EQ(call(cart_->user(), "GET", "/shipping/calendar?method=nope&postal_code=00-950").status,
            404);
  EXPECT_EQ(call("", "GET", "/shipping/available").status, 401);

  // Nothing of the above was taken.
  const auto held = selection(cart_->user());
  EXPECT_EQ(held.at("version").as_int64(), 0);
  EXPECT_TRUE(held.at("address").is_null());
  EXPECT_TRUE(shipping_events(cart_->session()).empty());
}

TEST_F(ShippingTest, AnotherUserReachesOnlyTheirOwnSession) {
  apply(cart_->put(kPhone));
  ASSERT_EQ(select("courier").status, 200);
  TestCart other("user-" + platform::new_uuid());
  // The other user has no cart: they see no session and cannot choose for this one.
  auto response = call(other.user(), "GET", "/shipping/available");
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(json_of(response.body).at("session_id").is_null());
  EXPECT_EQ(call(other.user(), "POST", "/shipping/select", R"({"method":"store_pickup"})").status,
            409);
  EXPECT_EQ(selection(cart_->user()).at("method").at("id").as_string(), "courier");

  // A cart event naming another user for this session is refused (dead letter), not applied.
  auto forged = other.put(kFridge);
  forged.key = cart_->session();
  auto data = json_of(forged.data);
  data["session_id"] = cart_->session();
  data["version"] = 50;
  forged.data = json::serialize(data);
  publish(forged);
  apply(cart_->put(
      TestLine{.item_id = "it-case", .sku = "CASE-1", .category = "accessory", .flags = {}}));
  const auto cart = redis({"HGET", "shipping:session:{" + cart_->session() + "}", "cart"});
  EXPECT_EQ(json_of(cart.as_string()).at("lines").as_array().size(), 2U);
}

TEST_F(ShippingTest, ADayAndItsAddonsFromTheCarriersCalendar) {
  apply(cart_->put(kPhone));
  ASSERT_EQ(select("courier").status, 200);
  auto response = call(cart_->user(), "POST", "/shipping/address",
                       json::serialize(json::object{{"address", kAddress}}));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(json_of(response.body).at("address").at("phone").as_string(), "+48600100200");

  response = call(cart_->user(), "GET", "/shipping/calendar?method=courier&postal_code=00-514");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto calendar = json_of(response.body);
  EXPECT_FALSE(calendar.at("stale").as_bool());
  std::string weekday_date;
  std::string sunday_date;
  for (const auto& day : calendar.at("days").as_array()) {
    if (!day.at("available").as_bool()) continue;
    const auto date = platform::parse_date(day.at("date").as_string());
    const auto weekday = platform::weekday_of(*date);
    if (weekday == std::chrono::Sunday && sunday_date.empty()) {
      sunday_date = std::string(day.at("date").as_string());
    } else if (weekday != std::chrono::Saturday && weekday != std::chrono::Sunday &&
               weekday_date.empty()) {
      weekday_date = std::string(day.at("date").as_string());
    }
  }
  ASSERT_FALSE(weekday_date.empty()) << response.body;

  // Sunday delivery on a working day is refused and changes nothing.
  response = call(cart_->user(), "POST", "/shipping/set-date",
                  R"({"date":")" + weekday_date + R"(","addons":["sunday_delivery"]})");
  EXPECT_EQ(response.status, 422) << response.body;
  const auto weekday = *platform::parse_date(weekday_date);
  EXPECT_EQ(json_of(response.body).at("detail").as_string(),
            "Usługę „Dostawa w niedzielę” można wybrać tylko przy dostawie w niedzielę, a " +
                shipping::polish_date(weekday) + " to " +
                std::string(shipping::weekday_nominative(platform::weekday_of(weekday))) + ".");
  // A day the carrier does not offer (a public holiday far ahead is never in the calendar).
  response = call(cart_->user(), "POST", "/shipping/set-date", R"({"date":"2099-12-25"})");
  EXPECT_EQ(response.status, 422) << response.body;
  EXPECT_EQ(json_of(response.body).at("detail").as_string(),
            "Dostawa pod kod pocztowy 00-514 nie jest możliwa w piątek, 25 grudnia 2099. Wybierz "
            "inny dzień.");
  EXPECT_TRUE(selection(cart_->user()).at("delivery").is_null());

  response = call(
      cart_->user(), "POST", "/shipping/set-date",
      R"({"date":")" + weekday_date + R"(","addons":["evening_delivery","call_before_delivery"]})");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto chosen = json_of(response.body);
  EXPECT_EQ(chosen.at("delivery").at("date").as_string(), weekday_date);
  EXPECT_EQ(chosen.at("delivery").at("time_window").at("from").as_string(), "18:00");
  EXPECT_EQ(chosen.at("addons_total").at("amount").as_int64(), 1499 + 299);
  auto days = events_of(std::string(et::kDeliveryDateSelected), 1);
  auto addons = events_of(std::string(et::kShippingAddonsSelected), 1);
  ASSERT_EQ(days.size(), 1U);
  ASSERT_EQ(addons.size(), 1U);
  EXPECT_TRUE(validates(days[0]));
  EXPECT_TRUE(validates(addons[0]));
  EXPECT_EQ(json_of(addons[0].data).at("addons_total").at("amount").as_int64(), 1798);
  for (const auto& e : events_of(std::string(et::kShippingAddressProvided), 1)) {
    EXPECT_TRUE(validates(e));
  }

  if (!sunday_date.empty()) {
    response = call(cart_->user(), "POST", "/shipping/set-date",
                    R"({"date":")" + sunday_date + R"(","addons":["sunday_delivery"]})");
    EXPECT_EQ(response.status, 200) << response.body;
  }

  // Another method ends the day and the addons, each with its event.
  ASSERT_EQ(select("store_pickup").status, 200);
  const auto after = selection(cart_->user());
  EXPECT_TRUE(after.at("delivery").is_null());
  EXPECT_TRUE(after.at("addons").as_array().empty());
  auto cleared_days =
      events_of(std::string(et::kDeliveryDateSelected), sunday_date.empty() ? 2 : 3);
  ASSERT_FALSE(cleared_days.empty());
  EXPECT_TRUE(validates(cleared_days.back()));
  EXPECT_TRUE(json_of(cleared_days.back().data).at("delivery_date").is_null());
}

TEST_F(ShippingTest, TheBreakerOpensOnAnOutageAndTheLastGoodCalendarIsServedStale) {
  apply(cart_->put(kPhone));
  const std::string target = "/shipping/calendar?method=courier&postal_code=30-001";
  ASSERT_EQ(call(cart_->user(), "GET", target).status, 200);

  ASSERT_EQ(carrier("POST", "/control/faults", R"({"error_status":503,"error_rate":1.0})").status,
            200);
  // Failures open the breaker; meanwhile the last good calendar is served, marked stale.
  for (int i = 0; i < 4; ++i) {
    auto response = call(cart_->user(), "GET", target);
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(json_of(response.body).at("stale").as_bool());
  }
  const auto asked = carrier_calendar_requests();
  const auto started = std::chrono::steady_clock::now();
  auto response = call(cart_->user(), "GET", target);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(json_of(response.body).at("stale").as_bool());
  EXPECT_EQ(carrier_calendar_requests(), asked) << "an open breaker does not call the carrier";
  // Not a performance figure (bench/shipping.sh measures that): proof that the answer did not wait
  // for the carrier's 500 ms request timeout.
  EXPECT_LT(took, std::chrono::milliseconds(500)) << "fails fast, never waits for a timeout";

  // Nothing cached for another postal code: 503 with Retry-After.
  response = call(cart_->user(), "GET", "/shipping/calendar?method=courier&postal_code=31-002");
  EXPECT_EQ(response.status, 503) << response.body;
  EXPECT_EQ(json_of(response.body).at("detail").as_string(),
            "Kalendarz dostaw jest chwilowo niedostępny: spróbuj ponownie za chwilę.");
  bool retry_after = false;
  for (const auto& [name, value] : response.headers) retry_after |= name == "retry-after";
  EXPECT_TRUE(retry_after);

  // The carrier recovers; after the breaker's wait a probe succeeds and the calendar is fresh.
  ASSERT_EQ(carrier("POST", "/control/reset").status, 200);
  EXPECT_TRUE(eventually(
      [&] {
        auto again = call(cart_->user(), "GET", target);
        return again.status == 200 && !json_of(again.body).at("stale").as_bool();
      },
      std::chrono::seconds(10)))
      << suite().service->log_tail();
}

TEST_F(ShippingTest, OrderCreatedEndsTheSessionAndTheNextCartStartsClean) {
  apply(cart_->put(kPhone));
  ASSERT_EQ(select("courier").status, 200);
  ASSERT_EQ(call(cart_->user(), "POST", "/shipping/address",
                 json::serialize(json::object{{"address", kAddress}}))
                .status,
            200);
  const auto ended = cart_->session();
  publish(order_created(cart_->user(), ended));
  ASSERT_TRUE(eventually([&] { return selection(cart_->user()).at("session_id").is_null(); }))
      << suite().service->log_tail();
  EXPECT_EQ(redis({"EXISTS", "shipping:address:{" + ended + "}"}).as_integer(), 0);

  // A late event of the ended session changes nothing; the next session starts with nothing.
  publish(cart_->put(kFridge));
  cart_->next_session();
  apply(cart_->put(kPhone));
  const auto next = selection(cart_->user());
  EXPECT_EQ(next.at("session_id").as_string(), cart_->session());
  EXPECT_TRUE(next.at("method").is_null());
  EXPECT_TRUE(next.at("address").is_null());
  EXPECT_EQ(redis({"HGET", "shipping:session:{" + ended + "}", "cart_version"}).as_string(), "1");
}

TEST_F(ShippingTest, ABadRulesFileIsRejectedOnReloadAndTheOldRulesStay) {
  apply(cart_->put(kPhone));
  const auto original = [&] {
    std::ifstream in(suite().rules_file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  auto write_rules = [&](const std::string& text) {
    std::ofstream(suite().rules_file, std::ios::trunc) << text;
  };
  auto courier_price = [&] {
    return method_in(available_for(*cart_), "courier")->at("price").at("amount").as_int64();
  };
  ASSERT_EQ(courier_price(), 1499);

  write_rules(original + "\nunknown_key: 1\n");
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] {
    return suite().service->metric(R"(rules_reload_total{rules="shipping",result="invalid"})") >= 1;
  }));
  EXPECT_EQ(courier_price(), 1499) << "the old rules stay";

  auto cheaper = original;
  const auto at = cheaper.find("price: 1499");
  ASSERT_NE(at, std::string::npos);
  cheaper.replace(at, 11, "price: 1299");
  write_rules(cheaper);
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] { return courier_price() == 1299; })) << suite().service->log_tail();
  write_rules(original);
  ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually([&] { return courier_price() == 1499; }));
}

}  // namespace
}  // namespace shipping::testing
