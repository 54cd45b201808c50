// A guest's cart merged into the signed-in user's (POST /cart/merge), with the Warranty: the real
// Cart and Warranty binaries against the test Redis and Kafka. The plans the guest chose follow
// their lines into the user's cart (the Warranty reads CartMerged and publishes them for the
// user's session; the Cart shows them), repriced for the user's line; no event built by hand.
#include <functional>

#include "cart_warranty_suite.hpp"

namespace {
namespace json = boost::json;
using platform::testing::eventually;

using e2e_testing::json_of;

class MergeWithWarranty : public e2e_testing::CartWarrantySuite {
 protected:
  static std::string guest_id() {
    auto hex = platform::new_uuid();
    std::erase(hex, '-');
    return "guest-" + hex;
  }

  json::object view(const std::string& who) {
    return json_of(cart()->call(who, "GET", "/cart").body);
  }
  static const json::value* line(const json::object& view, std::string_view item_id) {
    for (const auto& l : view.at("lines").as_array()) {
      if (l.at("item_id").as_string() == item_id) return &l;
    }
    return nullptr;
  }
  // The line's warranties in `who`'s cart view, once `done` holds for them.
  json::array warranties_when(const std::string& who, const std::string& item_id,
                              const std::function<bool(const json::array&)>& done) {
    json::array last;
    EXPECT_TRUE(eventually([&] {
      const auto current = view(who);
      const auto* l = line(current, item_id);
      if (l == nullptr) return false;
      last = l->at("warranties").as_array();
      return done(last);
    })) << json::serialize(last)
        << "\n"
        << warranty()->log_tail();
    return last;
  }

  std::string add(const std::string& who, const std::string& sku, int quantity = 1) {
    auto added = cart()->call(
        who, "POST", "/cart/items",
        R"({"type":"offer","sku":")" + sku + R"(","quantity":)" + std::to_string(quantity) + "}");
    EXPECT_EQ(added.status, 201) << added.body;
    return std::string(json_of(added.body).at("line").at("item_id").as_string());
  }
  // The Warranty knows `who`'s line (it has followed the Cart's event).
  void offered(const std::string& who, const std::string& item_id) {
    EXPECT_TRUE(eventually([&] {
      return warranty()->call(who, "GET", "/warranty/available?item_id=" + item_id).status == 200;
    })) << warranty()->log_tail();
  }
  void select(const std::string& who, const std::string& item_id, const std::string& plan) {
    auto chosen =
        warranty()->call(who, "POST", "/warranty/select",
                         R"({"item_id":")" + item_id + R"(","warranty_id":")" + plan + R"("})");
    EXPECT_EQ(chosen.status, 200) << chosen.body;
  }
  json::object merge() {
    auto merged = cart()->call(
        user_, "POST", "/cart/merge",
        json::serialize(json::object{{"guest_token", platform::testing::token_for(guest_)}}));
    EXPECT_EQ(merged.status, 200) << merged.body;
    return json_of(merged.body);
  }
  // The user's line that `from_item_id` went into, from a merge's answer.
  static std::string merged_into(const json::object& answer, const std::string& from_item_id) {
    for (const auto& merged : answer.at("merged").as_array()) {
      if (merged.at("from_item_id").as_string() == from_item_id) {
        return std::string(merged.at("item_id").as_string());
      }
    }
    ADD_FAILURE() << from_item_id << " not merged: " << json::serialize(answer);
    return {};
  }

  std::string user_ = "e2e-" + platform::new_uuid();
  std::string guest_ = guest_id();
};

TEST_F(MergeWithWarranty, TheGuestsPlansFollowItsLinesIntoTheUsersCart) {
  const auto phone_sku = product("phone", 249900);
  const auto phone = add(guest_, phone_sku);
  offered(guest_, phone);
  select(guest_, phone, "ext_24m");
  select(guest_, phone, "theft_12m");
  warranties_when(guest_, phone, [](const json::array& w) { return w.size() == 2; });

  const auto answer = merge();
  const auto users_phone = merged_into(answer, phone);
  ASSERT_FALSE(users_phone.empty());
  EXPECT_NE(users_phone, phone);
  EXPECT_TRUE(view(guest_).at("lines").as_array().empty());

  const auto shown =
      warranties_when(user_, users_phone, [](const json::array& w) { return w.size() == 2; });
  EXPECT_EQ(shown.at(0).at("warranty_id").as_string(), "ext_24m");
  EXPECT_EQ(shown.at(0).at("price").at("amount").as_int64(), 29988) << "12% of 2 499,00 zł";
  EXPECT_EQ(shown.at(1).at("warranty_id").as_string(), "theft_12m");
  // The Warranty has them for the user's line, and none left for the guest's.
  const auto offers =
      json_of(warranty()->call(user_, "GET", "/warranty/available?item_id=" + users_phone).body);
  EXPECT_EQ(offers.at("selected").as_array().size(), 2U);
  EXPECT_TRUE(eventually([&] {
    return warranty()->call(guest_, "GET", "/warranty/available?item_id=" + phone).status == 404;
  }));
}

TEST_F(MergeWithWarranty, IntoTheUsersLineOfTheSameProductPricedForItsUnitsTheirOwnPlanStays) {
  const auto phone_sku = product("phone", 249900);
  const auto tv_sku = product("tv", 329900);
  const auto users_phone = add(user_, phone_sku);
  const auto users_tv = add(user_, tv_sku);
  offered(user_, users_tv);
  select(user_, users_tv, "ext_12m");  // the user's own choice for the TV
  warranties_when(user_, users_tv, [](const json::array& w) { return w.size() == 1; });

  const auto guest_phone = add(guest_, phone_sku);
  const auto guest_tv = add(guest_, tv_sku);
  offered(guest_, guest_phone);
  offered(guest_, guest_tv);
  select(guest_, guest_phone, "ext_24m");
  select(guest_, guest_tv, "ext_36m");
  warranties_when(guest_, guest_tv, [](const json::array& w) { return w.size() == 1; });

  const auto answer = merge();
  EXPECT_EQ(merged_into(answer, guest_phone), users_phone);
  EXPECT_EQ(merged_into(answer, guest_tv), users_tv);

  // Two phones now: the guest's plan covers both units.
  const auto phone_plans = warranties_when(user_, users_phone, [](const json::array& w) {
    return w.size() == 1 && w.at(0).at("quantity").as_int64() == 2;
  });
  EXPECT_EQ(phone_plans.at(0).at("warranty_id").as_string(), "ext_24m");
  EXPECT_EQ(phone_plans.at(0).at("price").at("amount").as_int64(), 2 * 29988);
  // The TV keeps the user's own extended plan (repriced for its 2 units), not the guest's.
  const auto tv_plans = warranties_when(user_, users_tv, [](const json::array& w) {
    return w.size() == 1 && w.at(0).at("quantity").as_int64() == 2;
  });
  EXPECT_EQ(tv_plans.at(0).at("warranty_id").as_string(), "ext_12m");

  // A second merge changes nothing.
  const auto again = merge();
  EXPECT_TRUE(again.at("merged").as_array().empty());
  EXPECT_EQ(again.at("cart").at("version"), answer.at("cart").at("version"));
}

}  // namespace
