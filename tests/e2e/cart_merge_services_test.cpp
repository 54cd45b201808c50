// A guest's cart merged into the signed-in user's (POST /cart/merge), with the Services: the
// real Cart and Services binaries against the test Redis and Kafka. A service line that moves
// with its product into the user's cart waits for the Services' word again, and gets it: their
// copy of the user's cart follows the merge's line events and CartMerged to the cart's version,
// so their verdict is for the cart as it is (no event built by hand).
#include <functional>

#include "cart_services_suite.hpp"

namespace {
namespace json = boost::json;
using platform::testing::eventually;

class MergeWithServices : public e2e_testing::CartServicesSuite {
 protected:
  json::object view(const std::string& who) {
    return json_of(cart()->call(who, "GET", "/cart").body);
  }
  static const json::value* line(const json::object& view, std::string_view item_id) {
    for (const auto& l : view.at("lines").as_array()) {
      if (l.at("item_id").as_string() == item_id) return &l;
    }
    return nullptr;
  }
  // The cart once `done` holds for it (the Services answered and the Cart applied it).
  json::object view_when(const std::string& who,
                         const std::function<bool(const json::object&)>& done) {
    json::object last;
    EXPECT_TRUE(eventually([&] {
      last = view(who);
      return done(last);
    })) << json::serialize(last)
        << "\n"
        << services()->log_tail();
    return last;
  }

  std::string add(const std::string& who, const std::string& body, int status = 201) {
    auto added = cart()->call(who, "POST", "/cart/items", body);
    EXPECT_EQ(added.status, status) << added.body;
    if (added.status != 201) return added.body;
    return std::string(json_of(added.body).at("line").at("item_id").as_string());
  }
  std::string add_service(const std::string& who, const std::string& sku, const std::string& parent,
                          std::int64_t quantity = 1, int status = 201) {
    return add(who,
               R"({"type":"service","sku":")" + sku + R"(","quantity":)" +
                   std::to_string(quantity) + R"(,"parent_item_id":")" + parent + R"("})",
               status);
  }

  std::string user_ = "e2e-" + platform::new_uuid();
  std::string guest_ = [] {
    auto hex = platform::new_uuid();
    std::erase(hex, '-');
    return "guest-" + hex;
  }();
};

bool validated(const json::value* line) {
  return line != nullptr && line->at("validation").as_string() == "validated";
}

TEST_F(MergeWithServices, AMergedServiceLineIsValidatedAgainUnderItsLineInTheUsersCart) {
  const auto sku = washer();
  const auto guest_washer = add(guest_, R"({"type":"offer","sku":")" + sku + R"(","quantity":1})");
  const auto guest_install = add_service(guest_, "SRV-INSTALL-WASHER", guest_washer);
  view_when(guest_, [&](const json::object& v) { return validated(line(v, guest_install)); });

  const auto merged = cart()->call(
      user_, "POST", "/cart/merge",
      json::serialize(json::object{{"guest_token", platform::testing::token_for(guest_)}}));
  ASSERT_EQ(merged.status, 200) << merged.body;
  const auto answer = json_of(merged.body);
  std::string users_washer;
  std::string users_install;
  for (const auto& moved : answer.at("merged").as_array()) {
    const std::string into(moved.at("item_id").as_string());
    (moved.at("from_item_id").as_string() == guest_washer ? users_washer : users_install) = into;
  }
  ASSERT_FALSE(users_install.empty()) << merged.body;
  const auto& cart_after = answer.at("cart").as_object();
  EXPECT_EQ(line(cart_after, users_install)->at("validation").as_string(), "not_yet_validated");
  EXPECT_EQ(line(cart_after, users_install)->at("parent_item_id").as_string(), users_washer);

  const auto after =
      view_when(user_, [&](const json::object& v) { return validated(line(v, users_install)); });
  const auto& install = *line(after, users_install);
  EXPECT_EQ(install.at("unit_price").at("amount").as_int64(), 12900) << "the rules' price";
  EXPECT_EQ(install.at("quantity").as_int64(), 1);
  // The Cart moves a line only on a verdict for its current version: the Services' copy of the
  // user's cart took CartMerged's version step too.
  EXPECT_GT(after.at("version").as_int64(), cart_after.at("version").as_int64());
}

}  // namespace
