// POST /cart/merge through the real cart_service, Redis and Kafka: a guest's cart merged into the
// signed-in user's, the events both sessions get (checked against their schemas), and every way a
// request is refused with nothing changed.
#include <algorithm>
#include <chrono>
#include <set>

#include "cart_service_fixture.hpp"
#include "platform/http/auth.hpp"
#include "platform/ids.hpp"
#include "platform/testing/eventually.hpp"

namespace cart::testing {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using platform::testing::eventually;

std::string add_body(const std::string& type, const std::string& sku, std::int64_t quantity,
                     const std::string& parent = {}) {
  json::object body{{"type", type}, {"sku", sku}, {"quantity", quantity}};
  if (!parent.empty()) body["parent_item_id"] = parent;
  return json::serialize(body);
}

std::string merge_body(const std::string& guest_token) {
  return json::serialize(json::object{{"guest_token", guest_token}});
}

// What a refused or repeated merge must leave as it was: both carts' lines, session, version,
// counter and stream (not what other services' events show in the view meanwhile).
struct Snapshot {
  std::vector<std::string> state;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

class CartMergeTest : public CartServiceTest {
 protected:
  void SetUp() override {
    user_ = "user-" + platform::new_uuid();
    auto hex = platform::new_uuid();
    std::erase(hex, '-');
    guest_ = "guest-" + hex;
    const auto n = platform::new_uuid().substr(0, 6);
    tv_ = unique("MERGE-TV-" + n);
    fridge_ = unique("MERGE-FRIDGE-" + n);
    carry_in_ = unique("MERGE-CARRY-IN-" + n);
    put_product(product(tv_, 329900));
    put_product(product(fridge_, 249900, "fridge", {"large_appliance"}, 50));
    put_product(product(carry_in_, 9900, "service", {}, 100000));
  }

  std::string add(const std::string& who, const std::string& type, const std::string& sku,
                  std::int64_t quantity, const std::string& parent = {}) {
    auto response = call(who, "POST", "/cart/items", add_body(type, sku, quantity, parent));
    EXPECT_EQ(response.status, 201) << response.body;
    return std::string(json_of(response.body).at("line").at("item_id").as_string());
  }

  json::object view(const std::string& who) {
    auto response = call(who, "GET", "/cart");
    EXPECT_EQ(response.status, 200) << response.body;
    return json_of(response.body);
  }

  HttpResult merge(const std::string& guest_token, const std::string& caller = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    return call(caller.empty() ? user_ : caller, "POST", "/cart/merge", merge_body(guest_token),
                std::move(headers));
  }

  // Enrichment done for both carts: their views stop changing on their own.
  void wait_settled() {
    for (const auto* who : {&user_, &guest_}) {
      ASSERT_TRUE(eventually([&] {
        const auto cart = view(*who);
        for (const auto& line : cart.at("lines").as_array()) {
          if (line.at("enrichment").as_string() != "enriched") return false;
        }
        return true;
      })) << json::serialize(view(*who));
    }
  }

  Snapshot snapshot() {
    wait_settled();
    Snapshot out;
    for (const auto& who : {user_, guest_}) {
      const auto view = redis({"GET", "cart:view:{" + who + "}"});
      if (view.is_nil()) {
        out.state.emplace_back("no view");
      } else {
        const auto doc = json_of(view.as_string());
        for (const auto* field : {"session_id", "version", "lines"}) {
          out.state.push_back(json::serialize(doc.at(field)));
        }
      }
      const auto counter = redis({"GET", "cart:counter:{" + who + "}"});
      out.state.push_back(counter.is_nil() ? "" : counter.as_string());
      out.state.push_back(
          std::to_string(redis({"XLEN", "cart:events:{" + who + "}"}).as_integer()));
    }
    return out;
  }

  static const json::object* line_of(const json::object& cart, std::string_view sku,
                                     std::string_view type = "offer") {
    for (const auto& line : cart.at("lines").as_array()) {
      if (line.at("sku").as_string() == sku && line.at("type").as_string() == type) {
        return &line.as_object();
      }
    }
    return nullptr;
  }

  // The session's events other than enrichment's, in order.
  std::vector<platform::CloudEvent> session_events(const std::string& who,
                                                   const std::string& session) {
    std::vector<platform::CloudEvent> out;
    for (auto& event : cart_events_of(who)) {
      if (event.key != session || event.type == "CartItemStockChanged" ||
          event.type == "CartItemPriceChanged") {
        continue;
      }
      out.push_back(std::move(event));
    }
    return out;
  }

  std::string user_, guest_, tv_, fridge_, carry_in_;
};

TEST_F(CartMergeTest, TheGuestsLinesJoinTheUsersCartWithTheirServicesAndTheGuestEmpties) {
  const auto user_tv = add(user_, "offer", tv_, 1);
  const auto guest_tv = add(guest_, "offer", tv_, 2);
  const auto guest_fridge = add(guest_, "offer", fridge_, 1);
  const auto guest_carry = add(guest_, "service", carry_in_, 1, guest_fridge);
  const auto user_before = view(user_);
  const auto guest_session = std::string(view(guest_).at("session_id").as_string());

  auto response = merge(token(guest_));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto answer = json_of(response.body);
  const auto& cart = answer.at("cart").as_object();
  EXPECT_EQ(cart.at("user_id").as_string(), user_);
  EXPECT_EQ(cart.at("session_id"), user_before.at("session_id"));
  // 1 (the user's add) + quantity, fridge, carry-in + CartMerged.
  EXPECT_EQ(cart.at("version").as_int64(), 5);
  EXPECT_EQ(cart.at("item_count").as_int64(), 5);
  EXPECT_EQ(answer.at("from_session_id").as_string(), guest_session);
  ASSERT_EQ(cart.at("lines").as_array().size(), 3U);
  EXPECT_EQ(line_of(cart, tv_)->at("item_id").as_string(), user_tv);
  EXPECT_EQ(line_of(cart, tv_)->at("quantity").as_int64(), 3);
  const auto* fridge = line_of(cart, fridge_);
  const auto* carry = line_of(cart, carry_in_, "service");
  ASSERT_NE(fridge, nullptr);
  ASSERT_NE(carry, nullptr);
  EXPECT_EQ(carry->at("parent_item_id"), fridge->at("item_id")) << "the service kept its line";
  EXPECT_EQ(fridge->at("children").as_array().size(), 1U);
  EXPECT_EQ(carry->at("validation").as_string(), "not_yet_validated");

  const auto& merged = answer.at("merged").as_array();
  ASSERT_EQ(merged.size(), 3U);
  EXPECT_EQ(merged[0].at("from_item_id").as_string(), guest_tv);
  EXPECT_EQ(merged[0].at("item_id").as_string(), user_tv);
  EXPECT_EQ(merged[0].at("added").as_int64(), 2);
  EXPECT_FALSE(merged[0].at("clamped").as_bool());
  EXPECT_TRUE(answer.at("left_out").as_array().empty());

  // GET /cart says the same; the guest's cart is empty (its session stays, with the removals).
  const auto after = view(user_);
  EXPECT_EQ(after.at("version"), cart.at("version"));
  EXPECT_EQ(after.at("lines").as_array().size(), 3U);
  const auto guest_after = view(guest_);
  EXPECT_TRUE(guest_after.at("lines").as_array().empty());
  EXPECT_EQ(guest_after.at("item_count").as_int64(), 0);
  EXPECT_EQ(redis({"GET", "cart:counter:{" + guest_ + "}"}).as_integer(), 0);
  EXPECT_EQ(redis({"SISMEMBER", "cart:holders:{" + fridge_ + "}", guest_}).as_integer(), 0);
  EXPECT_EQ(redis({"SISMEMBER", "cart:holders:{" + fridge_ + "}", user_}).as_integer(), 1);

  // The user's session: its line events, then CartMerged mapping each guest line.
  const auto session = std::string(cart.at("session_id").as_string());
  std::vector<platform::CloudEvent> events;
  ASSERT_TRUE(eventually([&] {
    events = session_events(user_, session);
    return events.size() >= 5;
  })) << events.size();
  std::vector<std::string> types;
  for (const auto& event : events) {
    types.push_back(event.type);
    EXPECT_TRUE(validates(event)) << event.type;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"CartItemAdded", "CartItemQuantityChanged",
                                             "CartItemAdded", "CartItemAdded", "CartMerged"}));
  const auto merged_data = json_of(events.back().data);
  EXPECT_EQ(merged_data.at("version").as_int64(), 5);
  EXPECT_EQ(merged_data.at("from_session_id").as_string(), guest_session);
  EXPECT_EQ(merged_data.at("from_user_id").as_string(), guest_);
  const auto& items = merged_data.at("items").as_array();
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[2].at("from_item_id").as_string(), guest_carry);
  EXPECT_EQ(items[2].at("item_id"), carry->at("item_id"));

  // The guest's session: a CartItemRemoved per line, the service first, with its parent.
  std::vector<platform::CloudEvent> removals;
  ASSERT_TRUE(eventually([&] {
    removals.clear();
    for (auto& event : session_events(guest_, guest_session)) {
      if (event.type == "CartItemRemoved") removals.push_back(std::move(event));
    }
    return removals.size() >= 3;
  }));
  const auto first_removed = json_of(removals[0].data);
  EXPECT_EQ(first_removed.at("line").at("item_id").as_string(), guest_carry);
  EXPECT_EQ(first_removed.at("removed_with_parent").as_string(), guest_fridge);
  for (const auto& event : removals) EXPECT_TRUE(validates(event));
}

TEST_F(CartMergeTest, AQuantityOverTheLimitIsClampedAndTheAnswerSaysSo) {
  const auto user_tv = add(user_, "offer", tv_, 98);
  add(guest_, "offer", tv_, 5);
  auto response = merge(token(guest_));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto answer = json_of(response.body);
  EXPECT_EQ(line_of(answer.at("cart").as_object(), tv_)->at("quantity").as_int64(), 99);
  const auto& merged = answer.at("merged").as_array().at(0);
  EXPECT_EQ(merged.at("item_id").as_string(), user_tv);
  EXPECT_EQ(merged.at("requested").as_int64(), 5);
  EXPECT_EQ(merged.at("added").as_int64(), 1);
  EXPECT_TRUE(merged.at("clamped").as_bool());
  EXPECT_TRUE(view(guest_).at("lines").as_array().empty()) << "what did not fit is not kept";
}

TEST_F(CartMergeTest, AFullCartLeavesNewLinesOutAndSaysWhy) {
  // The fixture runs the service with CART_MAX_LINES=50.
  for (int i = 0; i < 50; ++i) {
    const auto sku = unique("MF-" + std::to_string(i));
    put_product(product(sku, 1000, "accessory"));
    add(user_, "offer", sku, 1);
  }
  const auto guest_fridge = add(guest_, "offer", fridge_, 1);
  add(guest_, "service", carry_in_, 1, guest_fridge);
  auto response = merge(token(guest_));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto answer = json_of(response.body);
  EXPECT_EQ(answer.at("cart").at("lines").as_array().size(), 50U);
  EXPECT_TRUE(answer.at("merged").as_array().empty());
  const auto& left = answer.at("left_out").as_array();
  ASSERT_EQ(left.size(), 2U);
  EXPECT_EQ(left[0].at("from_item_id").as_string(), guest_fridge);
  EXPECT_EQ(left[0].at("reason").at("code").as_string(), "too_many_lines");
  EXPECT_EQ(left[1].at("reason").at("code").as_string(), "parent_left_out");
  EXPECT_TRUE(view(guest_).at("lines").as_array().empty());
}

TEST_F(CartMergeTest, ASecondMergeChangesNothing) {
  add(user_, "offer", tv_, 1);
  add(guest_, "offer", tv_, 1);
  add(guest_, "offer", fridge_, 1);
  auto first = merge(token(guest_));
  ASSERT_EQ(first.status, 200) << first.body;
  const auto before = snapshot();

  auto second = merge(token(guest_));
  ASSERT_EQ(second.status, 200) << second.body;
  const auto answer = json_of(second.body);
  EXPECT_TRUE(answer.at("merged").as_array().empty());
  EXPECT_TRUE(answer.at("left_out").as_array().empty());
  EXPECT_EQ(answer.at("cart").at("version"), json_of(first.body).at("cart").at("version"));
  EXPECT_EQ(answer.at("cart").at("lines").as_array().size(), 2U);
  EXPECT_EQ(snapshot().state, before.state) << "no write, no event";
}

TEST_F(CartMergeTest, AnIdempotencyKeyReplaysTheAnswer) {
  add(guest_, "offer", tv_, 2);
  const std::vector<std::pair<std::string, std::string>> key{{"Idempotency-Key", "merge-1"}};
  auto first = merge(token(guest_), {}, key);
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = merge(token(guest_), {}, key);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(line_of(view(user_), tv_)->at("quantity").as_int64(), 2) << "merged once";
  // The same key with another body is refused.
  auto reused = call(user_, "POST", "/cart/merge", merge_body(token(guest_) + "x"), key);
  EXPECT_EQ(reused.status, 422) << reused.body;
}

TEST_F(CartMergeTest, ForgedForeignAndNonGuestTokensAreRefusedAndNothingChanges) {
  add(user_, "offer", tv_, 1);
  add(guest_, "offer", fridge_, 1);
  const auto before = snapshot();

  auto forged_config = platform::http::JwtConfig::from_env();
  forged_config.secret = "not-the-shops-secret";
  const auto forged = platform::http::issue_token(forged_config, guest_, 1h);
  auto expired_config = platform::http::JwtConfig::from_env();
  const auto expired = platform::http::issue_token(expired_config, guest_, -1h);
  auto other_audience = platform::http::JwtConfig::from_env();
  other_audience.audience = "another-shop";
  const auto foreign = platform::http::issue_token(other_audience, guest_, 1h);
  const std::string someone = "user-" + platform::new_uuid();

  struct Case {
    std::string name;
    std::string caller;
    std::string body;
    int status;
    std::string type;  // the problem type's last segment
  };
  const std::vector<Case> cases = {
      {"forged", user_, merge_body(forged), 422, "guest_token_invalid"},
      {"expired", user_, merge_body(expired), 422, "guest_token_invalid"},
      {"another shop's", user_, merge_body(foreign), 422, "guest_token_invalid"},
      {"not a JWT", user_, merge_body("abc.def.ghi"), 422, "guest_token_invalid"},
      {"a signed-in user's", user_, merge_body(token(someone)), 422, "not_a_guest_token"},
      {"the caller's own", user_, merge_body(token(user_)), 422, "not_a_guest_token"},
      {"a guest calling", guest_, merge_body(token(guest_)), 403, "guest_cannot_merge"},
      {"no token", user_, "{}", 422, "invalid_field"},
      {"not JSON", user_, "{", 400, ""},
  };
  for (const auto& c : cases) {
    auto response = call(c.caller, "POST", "/cart/merge", c.body);
    EXPECT_EQ(response.status, c.status) << c.name << ": " << response.body;
    EXPECT_EQ(response.header("content-type"), "application/problem+json") << c.name;
    if (!c.type.empty()) {
      EXPECT_TRUE(json_of(response.body).at("type").as_string().ends_with("/" + c.type))
          << c.name << ": " << response.body;
    }
  }
  // Without a token of the caller's own, nobody merges.
  EXPECT_EQ(call("", "POST", "/cart/merge", merge_body(token(guest_))).status, 401);
  EXPECT_EQ(snapshot().state, before.state);
  EXPECT_EQ(view(guest_).at("lines").as_array().size(), 1U);
}

TEST_F(CartMergeTest, AMergeIntoAnEmptyCartOpensTheUsersSession) {
  add(guest_, "offer", tv_, 1);
  auto response = merge(token(guest_));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto cart = json_of(response.body).at("cart").as_object();
  ASSERT_TRUE(cart.at("session_id").is_string());
  EXPECT_NE(cart.at("session_id").as_string(), view(guest_).at("session_id").as_string());
  EXPECT_EQ(cart.at("version").as_int64(), 2) << "CartItemAdded, CartMerged";
  // An empty guest cart (nothing ever added) merges nothing and opens nothing.
  const std::string fresh = "user-" + platform::new_uuid();
  auto hex = platform::new_uuid();
  std::erase(hex, '-');
  auto nothing = merge(token("guest-" + hex), fresh);
  ASSERT_EQ(nothing.status, 200) << nothing.body;
  const auto answer = json_of(nothing.body);
  EXPECT_TRUE(answer.at("cart").at("session_id").is_null());
  EXPECT_TRUE(answer.at("from_session_id").is_null());
  EXPECT_TRUE(redis({"GET", "cart:view:{" + fresh + "}"}).is_nil());
}

}  // namespace
}  // namespace cart::testing
