// The Cart through its HTTP API, Redis and Kafka, with the real cart_service binary.
#include <signal.h>

#include <thread>

#include "cart_service_fixture.hpp"
#include "platform/ids.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/eventually.hpp"

namespace cart::testing {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using platform::testing::eventually;

std::string add_body(const std::string& type, const std::string& sku, int quantity,
                     const std::string& parent = {}) {
  json::object body{{"type", type}, {"sku", sku}, {"quantity", quantity}};
  if (!parent.empty()) body["parent_item_id"] = parent;
  return json::serialize(body);
}

// State that a rejected request must leave untouched.
struct Snapshot {
  std::string view;
  std::string counter;
  std::int64_t stream_length = 0;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

class CartApiTest : public CartServiceTest {
 protected:
  void SetUp() override {
    user_ = "user-" + platform::new_uuid();
    tv_ = unique("TV-" + std::to_string(++counter_));
    fridge_ = unique("FRIDGE-" + std::to_string(counter_));
    carry_in_ = unique("SRV-CARRY-IN-" + std::to_string(counter_));
    put_product(product(tv_, 329900));
    put_product(product(fridge_, 249900, "fridge", {"large_appliance"}, 2));
    put_product(product(carry_in_, 9900, "service", {}, 100000));
  }

  std::string add(const std::string& type, const std::string& sku, int quantity,
                  const std::string& parent = {}) {
    auto response = call(user_, "POST", "/cart/items", add_body(type, sku, quantity, parent));
    EXPECT_EQ(response.status, 201) << response.body;
    return std::string(json_of(response.body).at("line").at("item_id").as_string());
  }

  json::object view() {
    auto response = call(user_, "GET", "/cart");
    EXPECT_EQ(response.status, 200) << response.body;
    return json_of(response.body);
  }

  // Waits until enrichment has caught up with every line, so the view stops changing.
  void wait_settled() {
    ASSERT_TRUE(eventually([&] {
      const auto cart = view();
      for (const auto& line : cart.at("lines").as_array()) {
        if (line.at("enrichment").as_string() != "enriched") return false;
      }
      return true;
    })) << json::serialize(view());
  }

  Snapshot snapshot() {
    wait_settled();
    return Snapshot{redis({"GET", "cart:view:{" + user_ + "}"}).as_string(),
                    redis({"GET", "cart:counter:{" + user_ + "}"}).as_string(),
                    redis({"XLEN", "cart:events:{" + user_ + "}"}).as_integer()};
  }

  static inline int counter_ = 0;
  std::string user_, tv_, fridge_, carry_in_;
};

TEST_F(CartApiTest, AnEmptyCartIsAnEmptyView) {
  auto cart = view();
  EXPECT_EQ(cart.at("user_id").as_string(), user_);
  EXPECT_EQ(cart.at("item_count").as_int64(), 0);
  EXPECT_TRUE(cart.at("lines").as_array().empty());
  EXPECT_EQ(cart.at("subtotal").at("amount").as_int64(), 0);
}

TEST_F(CartApiTest, AddChangeAndRemoveKeepViewCounterAndStreamInStep) {
  auto response = call(user_, "POST", "/cart/items", add_body("offer", fridge_, 1));
  ASSERT_EQ(response.status, 201) << response.body;
  auto added = json_of(response.body);
  const auto fridge_id = std::string(added.at("line").at("item_id").as_string());
  EXPECT_EQ(added.at("line").at("unit_price").at("amount").as_int64(), 249900);
  EXPECT_EQ(added.at("line").at("category").as_string(), "fridge");
  EXPECT_EQ(added.at("cart_version").as_int64(), 1);

  const auto carry_id = add("service", carry_in_, 1, fridge_id);
  const auto tv_id = add("offer", tv_, 2);

  auto patched = call(user_, "PATCH", "/cart/items/" + tv_id, R"({"quantity":3})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json_of(patched.body).at("line").at("quantity").as_int64(), 3);

  auto cart = view();
  EXPECT_EQ(cart.at("item_count").as_int64(), 5);
  EXPECT_EQ(cart.at("subtotal").at("amount").as_int64(), 249900 + 9900 + 3 * 329900);
  const auto& lines = cart.at("lines").as_array();
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].at("children").as_array().size(), 1U);
  EXPECT_EQ(lines[1].at("parent_item_id").as_string(), fridge_id);
  EXPECT_EQ(lines[1].at("validation").as_string(), "not_yet_validated");
  EXPECT_EQ(redis({"GET", "cart:counter:{" + user_ + "}"}).as_integer(), 5);

  auto removed = call(user_, "DELETE", "/cart/items/" + fridge_id);
  ASSERT_EQ(removed.status, 200) << removed.body;
  auto after = json_of(removed.body);
  ASSERT_EQ(after.at("lines").as_array().size(), 1U) << "the carry-in went with its fridge";
  EXPECT_EQ(after.at("lines").as_array()[0].at("item_id").as_string(), tv_id);
  EXPECT_EQ(redis({"GET", "cart:counter:{" + user_ + "}"}).as_integer(), 3);
  EXPECT_EQ(view().at("item_count").as_int64(), 3);
  (void)carry_id;

  // add, add, add, quantity, remove child, remove parent
  ASSERT_TRUE(eventually([&] { return cart_events_of(user_).size() >= 6; }))
      << cart_events_of(user_).size() << " events";
  auto events = cart_events_of(user_);
  std::vector<std::string> types;
  for (const auto& e : events) {
    if (e.type != "CartItemStockChanged" && e.type != "CartItemPriceChanged")
      types.push_back(e.type);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"CartItemAdded", "CartItemAdded", "CartItemAdded",
                                             "CartItemQuantityChanged", "CartItemRemoved",
                                             "CartItemRemoved"}));
  const auto session = std::string(view().at("session_id").as_string());
  for (const auto& e : events) {
    EXPECT_EQ(e.key, session);
    EXPECT_EQ(e.subject, session);
    EXPECT_EQ(e.source, "/checkout/cart");
    EXPECT_FALSE(e.traceparent.empty());
    EXPECT_TRUE(validates(e));
  }
}

TEST_F(CartApiTest, EveryChangeMakesTheCartLiveItsTimeToLiveAgain) {
  // The fixture runs the service with CART_TTL_DAYS=2.
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  const auto tv_id = add("offer", tv_, 1);
  const std::vector<std::string> keys{"cart:view:{" + user_ + "}", "cart:counter:{" + user_ + "}",
                                      "cart:events:{" + user_ + "}"};
  for (const auto& key : keys) {
    const auto ttl = redis({"PTTL", key}).as_integer();
    EXPECT_GT(ttl, kDayMs) << key;
    EXPECT_LE(ttl, 2 * kDayMs) << key;
  }
  // An abandoned cart would expire; the next change gives it the full time again.
  for (const auto& key : keys) redis({"PEXPIRE", key, "600000"});
  auto patched = call(user_, "PATCH", "/cart/items/" + tv_id, R"({"quantity":2})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  for (const auto& key : keys) EXPECT_GT(redis({"PTTL", key}).as_integer(), kDayMs) << key;
}

TEST_F(CartApiTest, EventVersionsAreConsecutivePerSession) {
  const auto id = add("offer", tv_, 1);
  ASSERT_EQ(call(user_, "PATCH", "/cart/items/" + id, R"({"quantity":2})").status, 200);
  ASSERT_EQ(call(user_, "DELETE", "/cart/items/" + id).status, 200);
  ASSERT_TRUE(eventually([&] { return cart_events_of(user_).size() >= 3; }));
  std::vector<std::int64_t> versions;
  for (const auto& e : cart_events_of(user_)) {
    versions.push_back(json_of(e.data).at("version").as_int64());
  }
  std::sort(versions.begin(), versions.end());
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i], static_cast<std::int64_t>(i + 1));
  }
}

TEST_F(CartApiTest, AddingTheSameSkuTwiceMergesTheLine) {
  add("offer", tv_, 1);
  add("offer", tv_, 2);
  auto cart = view();
  ASSERT_EQ(cart.at("lines").as_array().size(), 1U);
  EXPECT_EQ(cart.at("lines").as_array()[0].at("quantity").as_int64(), 3);
}

TEST_F(CartApiTest, EnrichmentFillsStockStatusAfterTheAdd) {
  add("offer", fridge_, 1);  // stock 2: at the low-stock threshold
  ASSERT_TRUE(eventually([&] {
    auto line = view().at("lines").as_array()[0].as_object();
    return line.at("enrichment").as_string() == "enriched";
  })) << json::serialize(view());
  EXPECT_EQ(view().at("lines").as_array()[0].at("stock_status").as_string(), "low_stock");
}

TEST_F(CartApiTest, CatalogPriceChangeRepricesEveryHolderAndShowsOldAndNew) {
  const auto id = add("offer", tv_, 2);
  const std::string other = "user-" + platform::new_uuid();
  ASSERT_EQ(call(other, "POST", "/cart/items", add_body("offer", tv_, 1)).status, 201);

  put_product(product(tv_, 299900));
  publish_catalog_event("CatalogPriceChanged", tv_,
                        R"({"sku":")" + tv_ +
                            R"(","old_price":{"amount":329900,"currency":"PLN"},)"
                            R"("new_price":{"amount":299900,"currency":"PLN"},)"
                            R"("occurred_at":"2026-11-30T10:00:00.000Z"})");
  for (const auto& user : {user_, other}) {
    ASSERT_TRUE(eventually([&] {
      auto cart = json_of(call(user, "GET", "/cart").body);
      return cart.at("lines").as_array()[0].at("unit_price").at("amount").as_int64() == 299900;
    })) << user;
  }
  auto line = view().at("lines").as_array()[0].as_object();
  EXPECT_EQ(line.at("price_change").at("old_unit_price").at("amount").as_int64(), 329900);
  EXPECT_EQ(line.at("price_change").at("new_unit_price").at("amount").as_int64(), 299900);
  EXPECT_EQ(view().at("subtotal").at("amount").as_int64(), 2 * 299900);

  ASSERT_TRUE(eventually([&] {
    for (const auto& e : cart_events_of(user_)) {
      if (e.type == "CartItemPriceChanged") return validates(e) == true;
    }
    return false;
  }));

  auto acknowledged =
      call(user_, "POST", "/cart/price-changes/acknowledge", R"({"item_ids":[")" + id + R"("]})");
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.body;
  EXPECT_TRUE(view().at("lines").as_array()[0].at("price_change").is_null());
}

TEST_F(CartApiTest, RepricingDoesNotLoseAConcurrentCustomerChange) {
  const auto id = add("offer", tv_, 1);
  std::atomic<bool> done{false};
  std::thread customer([&] {
    for (int q = 2; q <= 30; ++q) {
      EXPECT_EQ(
          call(user_, "PATCH", "/cart/items/" + id, json::serialize(json::object{{"quantity", q}}))
              .status,
          200);
    }
    done = true;
  });
  for (int price = 300000; !done; price -= 100) {
    put_product(product(tv_, price));
    publish_catalog_event(
        "CatalogPriceChanged", tv_,
        R"({"sku":")" + tv_ +
            R"(","old_price":{"amount":1,"currency":"PLN"},"new_price":{"amount":)" +
            std::to_string(price) +
            R"(,"currency":"PLN"},"occurred_at":"2026-11-30T10:00:00.000Z"})");
  }
  customer.join();
  put_product(product(tv_, 123400));
  publish_catalog_event(
      "CatalogStockChanged", tv_,
      R"({"sku":")" + tv_ +
          R"(","old_stock":20,"new_stock":20,"occurred_at":"2026-11-30T10:00:00.000Z"})");
  ASSERT_TRUE(eventually([&] {
    auto line = view().at("lines").as_array()[0].as_object();
    return line.at("unit_price").at("amount").as_int64() == 123400;
  }));
  auto line = view().at("lines").as_array()[0].as_object();
  EXPECT_EQ(line.at("quantity").as_int64(), 30) << "the customer's last change survived";
}

TEST_F(CartApiTest, TwoConnectionsAddingAtOnceKeepViewCounterAndStreamConsistent) {
  std::vector<std::string> skus;
  for (int i = 0; i < 40; ++i) {
    skus.push_back(unique("ACC-" + std::to_string(counter_) + "-" + std::to_string(i)));
    put_product(product(skus.back(), 1000 + i, "accessory"));
  }
  auto worker = [&](int first) {
    for (int i = first; i < 40; i += 2) {
      auto response = call(user_, "POST", "/cart/items", add_body("offer", skus[i], 1 + i % 3));
      EXPECT_EQ(response.status, 201) << response.body;
    }
  };
  std::thread a(worker, 0);
  std::thread b(worker, 1);
  a.join();
  b.join();
  auto cart = view();
  std::int64_t expected_items = 0;
  std::int64_t expected_subtotal = 0;
  for (int i = 0; i < 40; ++i) {
    expected_items += 1 + i % 3;
    expected_subtotal += (1000 + i) * (1 + i % 3);
  }
  EXPECT_EQ(cart.at("lines").as_array().size(), 40U);
  EXPECT_EQ(cart.at("item_count").as_int64(), expected_items);
  EXPECT_EQ(cart.at("subtotal").at("amount").as_int64(), expected_subtotal);
  EXPECT_EQ(redis({"GET", "cart:counter:{" + user_ + "}"}).as_integer(), expected_items);
  EXPECT_GE(redis({"XLEN", "cart:events:{" + user_ + "}"}).as_integer(), 40);

  // The view rebuilt from the stream is the view.
  wait_settled();
  const auto before = redis({"GET", "cart:view:{" + user_ + "}"}).as_string();
  platform::testing::ChildProcess rebuild(
      CART_SERVICE_BINARY, {"rebuild-view", user_},
      {{"REDIS_HOST", platform::testing::redis_host()},
       {"REDIS_PORT", std::to_string(platform::testing::redis_port())}},
      "/tmp/cart_rebuild_" + user_ + ".log");
  redis({"DEL", "cart:view:{" + user_ + "}"});
  rebuild.start();
  ASSERT_TRUE(eventually([&] { return !rebuild.running(); }, 20s)) << rebuild.log_tail();
  auto rebuilt = json_of(redis({"GET", "cart:view:{" + user_ + "}"}).as_string());
  auto original = json_of(before);
  rebuilt.erase("revision");
  original.erase("revision");
  EXPECT_EQ(rebuilt, original);
}

TEST_F(CartApiTest, IdempotencyKeyReplaysTheFirstResponse) {
  const std::vector<std::pair<std::string, std::string>> key{{"Idempotency-Key", "k-" + user_}};
  auto first = call(user_, "POST", "/cart/items", add_body("offer", tv_, 1), key);
  auto second = call(user_, "POST", "/cart/items", add_body("offer", tv_, 1), key);
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.header("idempotent-replayed"), "true");
  EXPECT_EQ(view().at("lines").as_array()[0].at("quantity").as_int64(), 1);
  auto other = call(user_, "POST", "/cart/items", add_body("offer", tv_, 2), key);
  EXPECT_EQ(other.status, 422) << other.body;
}

TEST_F(CartApiTest, BadInputGetsAClearErrorAndChangesNothing) {
  const auto fridge_id = add("offer", fridge_, 1);
  const std::string stranger = "user-" + platform::new_uuid();
  const std::string big(70 * 1024, 'x');
  struct Case {
    std::string name, user, method, target, body;
    int status;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  const std::vector<Case> cases = {
      {"unknown sku", user_, "POST", "/cart/items", add_body("offer", "NO-SUCH-SKU", 1), 422, {}},
      {"quantity 0", user_, "POST", "/cart/items", add_body("offer", tv_, 0), 422, {}},
      {"quantity 100", user_, "POST", "/cart/items", add_body("offer", tv_, 100), 422, {}},
      {"patch quantity 100",
       user_,
       "PATCH",
       "/cart/items/" + fridge_id,
       R"({"quantity":100})",
       422,
       {}},
      {"service without parent",
       user_,
       "POST",
       "/cart/items",
       add_body("service", carry_in_, 1),
       422,
       {}},
      {"service with unknown parent",
       user_,
       "POST",
       "/cart/items",
       add_body("service", carry_in_, 1, "no-such-line"),
       422,
       {}},
      {"malformed json", user_, "POST", "/cart/items", R"({"type": "offer",)", 400, {}},
      {"unknown field",
       user_,
       "POST",
       "/cart/items",
       R"({"type":"offer","sku":"X","quantity":1,"price":1})",
       422,
       {}},
      {"another user's line (delete)", stranger, "DELETE", "/cart/items/" + fridge_id, "", 404, {}},
      {"another user's line (patch)",
       stranger,
       "PATCH",
       "/cart/items/" + fridge_id,
       R"({"quantity":2})",
       404,
       {}},
      {"body over 64 KiB", user_, "POST", "/cart/items", big, 413, {}},
      {"missing token", "", "POST", "/cart/items", add_body("offer", tv_, 1), 401, {}},
      {"bad token",
       "",
       "POST",
       "/cart/items",
       add_body("offer", tv_, 1),
       401,
       {{"Authorization", "Bearer not.a.token"}}},
      {"wrong method", user_, "PUT", "/cart", "", 405, {}},
  };
  const auto before = snapshot();
  for (const auto& c : cases) {
    auto response = call(c.user, c.method, c.target, c.body, c.headers);
    EXPECT_EQ(response.status, c.status) << c.name << ": " << response.body;
    if (c.status != 405) {
      EXPECT_EQ(response.header("content-type"), "application/problem+json") << c.name;
      auto problem = json_of(response.body);
      EXPECT_EQ(problem.at("status").as_int64(), c.status) << c.name;
      EXPECT_FALSE(problem.at("detail").as_string().empty()) << c.name;
    }
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_F(CartApiTest, TooManyLinesIsRejected) {
  for (int i = 0; i < 50; ++i) {
    const auto sku = unique("MANY-" + std::to_string(counter_) + "-" + std::to_string(i));
    put_product(product(sku, 100, "accessory"));
    add("offer", sku, 1);
  }
  const auto extra = unique("MANY-EXTRA-" + std::to_string(counter_));
  put_product(product(extra, 100, "accessory"));
  const auto before = snapshot();
  auto response = call(user_, "POST", "/cart/items", add_body("offer", extra, 1));
  EXPECT_EQ(response.status, 422) << response.body;
  EXPECT_EQ(snapshot(), before);
}

// A change committed right before a SIGKILL is published after the restart, once. The test
// leaves the service running again, so the order of the tests does not matter.
TEST_F(CartApiTest, KilledRightAfterAChangeStillPublishesAfterRestart) {
  // Holding the outbox lease keeps the relay from publishing, so the kill lands between the
  // Redis write and the publish.
  redis({"SET", "outbox:cart:lease", "test-holds-the-lease", "PX", "60000"});
  const auto id = add("offer", tv_, 1);
  stop_service(SIGKILL);
  EXPECT_TRUE(cart_events_of(user_).empty());
  EXPECT_GE(redis({"XLEN", "outbox:cart"}).as_integer(), 1);
  redis({"DEL", "outbox:cart:lease"});
  start_service();
  ASSERT_TRUE(eventually([&] {
    for (const auto& e : cart_events_of(user_)) {
      if (e.type == "CartItemAdded") return true;
    }
    return false;
  })) << service_->log_tail();
  std::size_t added = 0;
  for (const auto& e : cart_events_of(user_)) {
    if (e.type == "CartItemAdded") ++added;
  }
  EXPECT_EQ(added, 1U);
  (void)id;
}

}  // namespace
}  // namespace cart::testing
