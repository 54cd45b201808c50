// The Cart and the Services together, as a customer drives them: the real binaries against the
// test Redis and Kafka, the Services following the Cart's own events and the Cart applying the
// Services' verdicts on its service lines (no event built by hand).
#include <functional>

#include "cart_services_suite.hpp"

namespace {
namespace json = boost::json;
using platform::testing::eventually;

class CartAndServices : public e2e_testing::CartServicesSuite {
 protected:
  json::object view() { return json_of(cart()->call(user_, "GET", "/cart").body); }
  static const json::value* line(const json::object& view, std::string_view item_id) {
    for (const auto& l : view.at("lines").as_array()) {
      if (l.at("item_id").as_string() == item_id) return &l;
    }
    return nullptr;
  }
  // The cart once `done` holds for it (the Services answered and the Cart applied it).
  json::object view_when(const std::function<bool(const json::object&)>& done) {
    json::object last;
    EXPECT_TRUE(eventually([&] {
      last = view();
      return done(last);
    })) << json::serialize(last)
        << "\n"
        << services()->log_tail();
    return last;
  }

  std::string add(const std::string& body, int status = 201) {
    auto added = cart()->call(user_, "POST", "/cart/items", body);
    EXPECT_EQ(added.status, status) << added.body;
    if (added.status != 201) return added.body;
    return std::string(json_of(added.body).at("line").at("item_id").as_string());
  }
  std::string add_service(const std::string& sku, const std::string& parent,
                          std::int64_t quantity = 1, int status = 201) {
    return add(R"({"type":"service","sku":")" + sku + R"(","quantity":)" +
                   std::to_string(quantity) + R"(,"parent_item_id":")" + parent + R"("})",
               status);
  }

  std::string user_ = "e2e-" + platform::new_uuid();
};

TEST_F(CartAndServices, AServiceLineIsValidatedAtTheRulesPriceAndCutToWhatTheRulesAllow) {
  const auto washer_line = add(R"({"type":"offer","sku":")" + washer() + R"(","quantity":1})");
  const auto install = add_service("SRV-INSTALL-WASHER", washer_line, 2);
  EXPECT_EQ(line(view(), install)->at("validation").as_string(), "not_yet_validated");
  const auto after = view_when([&](const json::object& v) {
    const auto* l = line(v, install);
    return l != nullptr && l->at("validation").as_string() == "validated";
  });
  const auto& held = *line(after, install);
  EXPECT_EQ(held.at("unit_price").at("amount").as_int64(), 12900) << "the rules' price";
  EXPECT_EQ(held.at("quantity").as_int64(), 1) << "one installation per washing machine";
  EXPECT_EQ(held.at("price_change").at("old_unit_price").at("amount").as_int64(), 15000)
      << "the customer sees the change from the catalog's price";

  // Two washers, two installations; one washer again: its installations follow at once.
  ASSERT_EQ(cart()->call(user_, "PATCH", "/cart/items/" + washer_line, R"({"quantity":2})").status,
            200);
  ASSERT_EQ(cart()->call(user_, "PATCH", "/cart/items/" + install, R"({"quantity":2})").status,
            200);
  view_when([&](const json::object& v) {
    const auto* l = line(v, install);
    return l->at("validation").as_string() == "validated" && l->at("quantity").as_int64() == 2;
  });
  auto reduced = cart()->call(user_, "PATCH", "/cart/items/" + washer_line, R"({"quantity":1})");
  ASSERT_EQ(reduced.status, 200);
  EXPECT_EQ(line(view(), install)->at("quantity").as_int64(), 1) << "in the same change";

  // Removing the washer removes its installation with it.
  ASSERT_EQ(cart()->call(user_, "DELETE", "/cart/items/" + washer_line).status, 200);
  EXPECT_TRUE(view().at("lines").as_array().empty());
}

TEST_F(CartAndServices, AServiceTheRulesRefuseIsRemovedWithItsReasonAndThenRefusedAtOnce) {
  const auto washer_line = add(R"({"type":"offer","sku":")" + washer() + R"(","quantity":1})");
  const auto assembly = add_service("SRV-ASSEMBLY", washer_line);
  const auto after = view_when([&](const json::object& v) { return line(v, assembly) == nullptr; });
  ASSERT_EQ(after.at("notices").as_array().size(), 1U);
  const auto& notice = after.at("notices").at(0);
  EXPECT_EQ(notice.at("item_id").as_string(), assembly);
  EXPECT_EQ(notice.at("reason").at("code").as_string(), "not_applicable");
  EXPECT_FALSE(notice.at("reason").at("message").as_string().empty());

  const auto refused = add_service("SRV-ASSEMBLY", washer_line, 1, 422);
  EXPECT_NE(refused.find("not_applicable"), std::string::npos) << refused;
  EXPECT_EQ(view().at("lines").as_array().size(), 1U) << "the refusal changes nothing";

  // A standalone service is validated at the rules' price.
  const auto sms = add(R"({"type":"service","sku":"SRV-SMS","quantity":1})");
  view_when([&](const json::object& v) {
    const auto* l = line(v, sms);
    return l != nullptr && l->at("validation").as_string() == "validated";
  });
}

}  // namespace
