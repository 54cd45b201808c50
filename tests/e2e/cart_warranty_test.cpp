// The Cart and the Warranty together, as a customer drives them: the real binaries against the
// test Redis and Kafka, the Warranty following the Cart's own events and the Cart showing the
// plans the Warranty publishes under their lines (no event built by hand).
#include <functional>

#include "cart_warranty_suite.hpp"

namespace {
namespace json = boost::json;
using platform::testing::eventually;

using e2e_testing::json_of;

class CartAndWarranty : public e2e_testing::CartWarrantySuite {
 protected:
  json::object view() { return json_of(cart()->call(user_, "GET", "/cart").body); }
  static const json::value* line(const json::object& view, std::string_view item_id) {
    for (const auto& l : view.at("lines").as_array()) {
      if (l.at("item_id").as_string() == item_id) return &l;
    }
    return nullptr;
  }
  // The line's warranties in the cart view, once `done` holds for them.
  json::array warranties_when(const std::string& item_id,
                              const std::function<bool(const json::array&)>& done) {
    json::array last;
    EXPECT_TRUE(eventually([&] {
      const auto current = view();
      const auto* l = line(current, item_id);
      if (l == nullptr) return false;
      last = l->at("warranties").as_array();
      return done(last);
    })) << json::serialize(last)
        << "\n"
        << warranty()->log_tail();
    return last;
  }

  std::string add(const std::string& sku) {
    auto added = cart()->call(user_, "POST", "/cart/items",
                              R"({"type":"offer","sku":")" + sku + R"(","quantity":1})");
    EXPECT_EQ(added.status, 201) << added.body;
    return std::string(json_of(added.body).at("line").at("item_id").as_string());
  }
  // The Warranty knows the line (it has followed the Cart's event).
  void offered(const std::string& item_id) {
    EXPECT_TRUE(eventually([&] {
      return warranty()->call(user_, "GET", "/warranty/available?item_id=" + item_id).status == 200;
    })) << warranty()->log_tail();
  }
  platform::testing::HttpResult select(const std::string& item_id, const std::string& plan) {
    return warranty()->call(user_, "POST", "/warranty/select",
                            R"({"item_id":")" + item_id + R"(","warranty_id":")" + plan + R"("})");
  }

  std::string user_ = "e2e-" + platform::new_uuid();
};

TEST_F(CartAndWarranty, ChosenPlansShowUnderTheirLineAndFollowItsQuantity) {
  const auto phone = add(product("phone", 249900));
  offered(phone);
  ASSERT_EQ(select(phone, "ext_24m").status, 200);
  ASSERT_EQ(select(phone, "theft_12m").status, 200);
  const auto shown = warranties_when(phone, [](const json::array& w) { return w.size() == 2; });
  for (const auto& plan : shown) {
    if (plan.at("warranty_id").as_string() == "ext_24m") {
      EXPECT_EQ(plan.at("price").at("amount").as_int64(), 29988) << "12% of 2 499,00 zł";
    } else {
      EXPECT_EQ(plan.at("warranty_id").as_string(), "theft_12m");
      EXPECT_EQ(plan.at("price").at("amount").as_int64(), 14900);
    }
  }

  // Two phones: one plan per unit, repriced by the Warranty, shown by the Cart.
  ASSERT_EQ(cart()->call(user_, "PATCH", "/cart/items/" + phone, R"({"quantity":2})").status, 200);
  warranties_when(phone, [](const json::array& w) {
    return w.size() == 2 && std::all_of(w.begin(), w.end(), [](const json::value& plan) {
             return plan.at("quantity").as_int64() == 2;
           });
  });
  ASSERT_EQ(
      warranty()->call(user_, "DELETE", "/warranty/" + phone + "?warranty_id=theft_12m").status,
      200);
  const auto left = warranties_when(phone, [](const json::array& w) { return w.size() == 1; });
  EXPECT_EQ(left.at(0).at("price").at("amount").as_int64(), 2 * 29988);

  // Removing the phone ends its plans in the Warranty too.
  ASSERT_EQ(cart()->call(user_, "DELETE", "/cart/items/" + phone).status, 200);
  EXPECT_TRUE(eventually([&] {
    return warranty()->call(user_, "GET", "/warranty/available?item_id=" + phone).status == 404;
  }));
}

TEST_F(CartAndWarranty, ARefusedPlanShowsNothing) {
  const auto tv = add(product("tv", 329900));
  offered(tv);
  const auto refused = select(tv, "theft_12m");
  EXPECT_EQ(refused.status, 422) << refused.body;
  ASSERT_EQ(select(tv, "ext_12m").status, 200);
  const auto shown = warranties_when(tv, [](const json::array& w) { return !w.empty(); });
  ASSERT_EQ(shown.size(), 1U);
  EXPECT_EQ(shown.at(0).at("warranty_id").as_string(), "ext_12m");
}

}  // namespace
