// The Shipping's request bodies and answers (http_api.hpp): pure, no I/O.
#include "http_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace shipping {
namespace {
using platform::Errc;
using namespace std::chrono;

TEST(ParseSelect, TakesOneMethodId) {
  EXPECT_EQ(*parse_select(R"({"method":"courier"})"), "courier");
  EXPECT_EQ(parse_select(R"({"method":)").error().code, Errc::malformed);
  EXPECT_EQ(parse_select(R"({"method":1})").error().code, Errc::invalid);
  EXPECT_EQ(parse_select(R"({})").error().code, Errc::invalid);
  EXPECT_EQ(parse_select(R"({})").error().message, "Wybierz metodę dostawy.");
  EXPECT_EQ(parse_select(R"({"method":"courier","price":0})").error().code, Errc::invalid);
  // Not an id any method can have: unknown, and the text is not echoed back.
  const auto odd = parse_select(R"({"method":"Courier<script>"})");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code, Errc::not_found);
  EXPECT_EQ(odd.error().message, "Nie ma takiej metody dostawy.");
  EXPECT_EQ(parse_select(R"({"method":")" + std::string(65, 'a') + R"("})").error().code,
            Errc::not_found);
}

TEST(ParseSetDate, TakesACalendarDateAndAddonIds) {
  const auto choice = parse_set_date(R"({"date":"2026-12-13","addons":["sunday_delivery"]})");
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->date, 2026y / December / 13);
  EXPECT_EQ(choice->addon_ids, std::vector<std::string>{"sunday_delivery"});
  EXPECT_TRUE(parse_set_date(R"({"date":"2026-12-13","addons":null})"));
  for (const char* bad :
       {R"({})", R"({"date":"2026-13-01"})", R"({"date":"13.12.2026"})",
        R"({"date":"2026-12-13","addons":"sunday_delivery"})",
        R"({"date":"2026-12-13","addons":[1]})", R"({"date":"2026-12-13","when":"now"})"}) {
    EXPECT_EQ(parse_set_date(bad).error().code, Errc::invalid) << bad;
  }
  std::string many = R"({"date":"2026-12-13","addons":[)";
  for (int i = 0; i < 21; ++i) many += std::string(i ? "," : "") + "\"a\"";
  EXPECT_EQ(parse_set_date(many + "]}").error().code, Errc::invalid);
  EXPECT_EQ(parse_set_date(many + "]}").error().message,
            "Możesz wybrać najwyżej 20 usług dodatkowych.");
  EXPECT_EQ(parse_set_date(R"({})").error().message, "Wybierz dzień dostawy.");
  EXPECT_EQ(parse_set_date(R"({"date":"2026-02-30"})").error().message,
            "Nieprawidłowa data dostawy: podaj ją w postaci RRRR-MM-DD.");
  EXPECT_EQ(parse_set_date(R"({"date":"2026-12-13","addons":"sunday_delivery"})").error().message,
            "Usługi dodatkowe podaj jako listę.");
  const auto odd = parse_set_date(R"({"date":"2026-12-13","addons":["Sunday<script>"]})");
  EXPECT_EQ(odd.error().reason, "unknown_addon");
  EXPECT_EQ(odd.error().message, "Nie ma takiej usługi dodatkowej.");
}

TEST(SelectionJson, AnEmptySessionAndAChosenOne) {
  const auto empty = boost::json::parse(selection_json(ShippingSession{})).as_object();
  EXPECT_TRUE(empty.at("session_id").is_null());
  EXPECT_EQ(empty.at("version").as_int64(), 0);
  EXPECT_TRUE(empty.at("method").is_null());
  EXPECT_EQ(empty.at("addons_total").at("amount").as_int64(), 0);

  ShippingSession session;
  session.session_id = "s-1";
  session.version = 3;
  session.method =
      ChosenMethod{"courier", "Kurier", platform::pln(1499), true, Destination::address};
  session.day = DeliveryDay{2026y / December / 8, "00-514", TimeWindow{18h, 22h}};
  session.addons.push_back(AddonOption{"evening_delivery", "Wieczorem", platform::pln(1499), true,
                                       std::nullopt, TimeWindow{18h, 22h}});
  const auto chosen = boost::json::parse(selection_json(session)).as_object();
  EXPECT_EQ(chosen.at("method").at("price").at("amount").as_int64(), 1499);
  EXPECT_EQ(chosen.at("delivery").at("date").as_string(), "2026-12-08");
  EXPECT_EQ(chosen.at("delivery").at("time_window").at("to").as_string(), "22:00");
  EXPECT_EQ(chosen.at("addons").as_array().size(), 1U);
  EXPECT_EQ(chosen.at("addons_total").at("amount").as_int64(), 1499);
}

}  // namespace
}  // namespace shipping
