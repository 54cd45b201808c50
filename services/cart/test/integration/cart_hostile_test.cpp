// The Cart used the way a hostile or unlucky client would: user ids and Idempotency-Keys chosen to
// collide, a crash between a change and its idempotency record, junk acknowledgement bodies.
#include <boost/asio/io_context.hpp>
#include <optional>

#include "cart_service.hpp"
#include "cart_service_fixture.hpp"
#include "http_api.hpp"
#include "platform/clock.hpp"
#include "platform/idempotency/idempotency.hpp"
#include "platform/ids.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"
#include "store.hpp"

namespace cart::testing {
namespace {
namespace asio = boost::asio;
namespace http = platform::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using platform::idempotency::Claim;
using platform::idempotency::Handled;
using platform::testing::eventually;

std::string add_body(const std::string& sku, int quantity) {
  return json::serialize(json::object{{"type", "offer"}, {"sku", sku}, {"quantity", quantity}});
}

class CartHostileTest : public CartServiceTest {
 protected:
  void SetUp() override {
    user_ = "user-" + platform::new_uuid();
    const auto n = platform::new_uuid().substr(0, 6);
    tv_ = unique("HOSTILE-TV-" + n);
    fridge_ = unique("HOSTILE-FRIDGE-" + n);
    cable_ = unique("HOSTILE-CABLE-" + n);
    put_product(product(tv_, 329900));
    put_product(product(fridge_, 249900, "fridge"));
    put_product(product(cable_, 4900, "accessory"));
  }

  HttpResult add(const std::string& user, const std::string& sku,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    return call(user, "POST", "/cart/items", add_body(sku, 1), std::move(headers));
  }

  std::string add_line(const std::string& sku) {
    auto response = add(user_, sku);
    EXPECT_EQ(response.status, 201) << response.body;
    return std::string(json_of(response.body).at("line").at("item_id").as_string());
  }

  json::object view(const std::string& user) { return json_of(call(user, "GET", "/cart").body); }

  static const json::object* line_of(const json::object& cart, const std::string& item_id) {
    for (const auto& line : cart.at("lines").as_array()) {
      if (line.at("item_id").as_string() == item_id) return &line.as_object();
    }
    return nullptr;
  }

  void reprice(const std::string& sku, std::int64_t old_price, std::int64_t new_price,
               const std::string& category = "tv") {
    put_product(product(sku, new_price, category));
    publish_catalog_event(
        "CatalogPriceChanged", sku,
        R"({"sku":")" + sku + R"(","old_price":{"amount":)" + std::to_string(old_price) +
            R"(,"currency":"PLN"},"new_price":{"amount":)" + std::to_string(new_price) +
            R"(,"currency":"PLN"},"occurred_at":"2026-11-30T10:00:00.000Z"})");
  }

  std::string user_, tv_, fridge_, cable_;
};

// Defect: the record key was <prefix><user>:<key>, so user "X:k1" with key "k2" and user "X" with
// key "k1:k2" shared one record, and the second got the first user's line replayed.
TEST_F(CartHostileTest, UsersWhoseIdAndKeyConcatenateAlikeDoNotShareARecord) {
  const std::string base = "rep-" + platform::new_uuid();
  auto first = add(base + ":k1", tv_, {{"Idempotency-Key", "k2"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto second = add(base, tv_, {{"Idempotency-Key", "k1:k2"}});
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.header("idempotent-replayed"), "") << second.body;
  EXPECT_NE(json_of(second.body).at("line").at("item_id"),
            json_of(first.body).at("line").at("item_id"));
  EXPECT_EQ(view(base).at("lines").as_array().size(), 1U) << "the add was applied to its user";
}

TEST_F(CartHostileTest, IdempotencyKeyReusedWithAnotherBodyIs422AndChangesNothing) {
  const std::vector<std::pair<std::string, std::string>> key{{"Idempotency-Key", "reuse"}};
  ASSERT_EQ(add(user_, tv_, key).status, 201);
  const auto before = redis({"GET", "cart:view:{" + user_ + "}"}).as_string();
  auto reused = add(user_, fridge_, key);
  EXPECT_EQ(reused.status, 422) << reused.body;
  EXPECT_EQ(reused.header("content-type"), "application/problem+json");
  EXPECT_EQ(redis({"GET", "cart:view:{" + user_ + "}"}).as_string(), before);
}

// The Cart's use cases and routes in this process, over a Redis connection of their own and an
// outbox stream of their own (nothing relays it).
struct InProcessCart {
  asio::io_context io;
  platform::redis::RedisClient redis_client{io, platform::testing::redis_config()};
  CartConfig config = [] {
    CartConfig c;
    c.outbox_stream = "outbox:cart-hostile-" + platform::new_uuid();
    return c;
  }();
  CartStore store{redis_client, config.outbox_stream, 1h};
  platform::SystemClock clock;
  CartService service{store, config, clock};
  platform::idempotency::IdempotencyStore idempotency{redis_client, "cart:idempotency:"};
  const http::JwtVerifier guest_tokens{http::JwtConfig::from_env()};
  CartHttpApi api{service, idempotency, guest_tokens};

  bool connected() { return platform::testing::run(io, redis_client.wait_connected(5s)); }
};

// Stands where the idempotency store stands: runs the Cart's `step` (an add, a merge) under its
// claim, checks that the record is already final once the step's commit is done, then fails
// before the store's own post-step (as a process killed there, or a Redis gone before the record
// is written, would).
asio::awaitable<Handled> step_then_crash(platform::idempotency::ClaimHandler step,
                                         platform::redis::RedisClient* redis,
                                         std::optional<std::string>* state_after_commit,
                                         http::Request request, std::optional<Claim> claim) {
  (void)co_await step(request, claim);
  if (!claim) throw std::logic_error("expected a claim");
  auto state = co_await redis->command("HGET", claim->record_key(), "state");
  if (state && !state->is_nil()) *state_after_commit = state->as_string();
  throw std::runtime_error("crashed after the commit, before the record step");
}

// Defect: the record became final only after the commit, in a second call; a failure in
// between left the client with a 201 and a retry that applied the add again.
TEST_F(CartHostileTest, ARetryAfterACrashBetweenTheCommitAndTheRecordIsAReplay) {
  InProcessCart cart;
  ASSERT_TRUE(cart.connected());
  auto& api = cart.api;

  http::Request request;
  request.method = "POST";
  request.path = "/cart/items";
  request.headers = {{"idempotency-key", "crash-1"}};
  request.body = add_body(tv_, 1);
  request.user_id = user_;
  request.trace = platform::TraceContext::generate();

  platform::idempotency::ClaimHandler plain = [&api](http::Request r, std::optional<Claim> c) {
    return api.add_item_once(std::move(r), std::move(c));
  };
  std::optional<std::string> state_after_commit;
  platform::idempotency::ClaimHandler crashing = [&](http::Request r, std::optional<Claim> c) {
    return step_then_crash(plain, &cart.redis_client, &state_after_commit, std::move(r),
                           std::move(c));
  };
  EXPECT_THROW(platform::testing::run(cart.io, cart.idempotency.run(request, user_, crashing)),
               std::runtime_error);
  EXPECT_EQ(state_after_commit, "done") << "the record is final in the add's own commit";
  const auto first = json_of(redis({"GET", "cart:view:{" + user_ + "}"}).as_string());
  ASSERT_EQ(first.at("lines").as_array().size(), 1U);

  const auto retry = platform::testing::run(cart.io, cart.idempotency.run(request, user_, plain));
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.headers.size(), 1U);
  ASSERT_FALSE(retry.headers.empty());
  EXPECT_EQ(retry.headers.back(),
            (std::pair<std::string, std::string>{"Idempotent-Replayed", "true"}));
  const auto replayed = json_of(retry.body);
  EXPECT_EQ(replayed.at("line").at("item_id"), first.at("lines").as_array()[0].at("item_id"));
  EXPECT_EQ(replayed.at("line").at("quantity").as_int64(), 1);
  const auto after = json_of(redis({"GET", "cart:view:{" + user_ + "}"}).as_string());
  EXPECT_EQ(after.at("lines").as_array()[0].at("quantity").as_int64(), 1) << "applied once";
  EXPECT_EQ(redis({"XLEN", cart.config.outbox_stream}).as_integer(), 1) << "one CartItemAdded";
  redis({"DEL", cart.config.outbox_stream});
}

// The same for a merge: both carts, the events of both sessions and the record are one commit,
// so a retry after a crash right after it replays the answer and merges nothing twice.
TEST_F(CartHostileTest, ARetriedMergeAfterACrashBetweenTheCommitAndTheRecordIsAReplay) {
  auto hex = platform::new_uuid();
  std::erase(hex, '-');
  const auto guest = "guest-" + hex;
  ASSERT_EQ(add(guest, tv_).status, 201);
  ASSERT_EQ(add(guest, fridge_).status, 201);
  InProcessCart cart;
  ASSERT_TRUE(cart.connected());
  auto& api = cart.api;

  http::Request request;
  request.method = "POST";
  request.path = "/cart/merge";
  request.headers = {{"idempotency-key", "merge-crash-1"}};
  request.body = json::serialize(json::object{{"guest_token", token(guest)}});
  request.user_id = user_;
  request.trace = platform::TraceContext::generate();

  platform::idempotency::ClaimHandler plain = [&api](http::Request r, std::optional<Claim> c) {
    return api.merge_once(std::move(r), std::move(c));
  };
  std::optional<std::string> state_after_commit;
  platform::idempotency::ClaimHandler crashing = [&](http::Request r, std::optional<Claim> c) {
    return step_then_crash(plain, &cart.redis_client, &state_after_commit, std::move(r),
                           std::move(c));
  };
  EXPECT_THROW(platform::testing::run(cart.io, cart.idempotency.run(request, user_, crashing)),
               std::runtime_error);
  EXPECT_EQ(state_after_commit, "done") << "the record is final in the merge's own commit";
  const auto merged = view(user_);
  ASSERT_EQ(merged.at("lines").as_array().size(), 2U);
  EXPECT_TRUE(view(guest).at("lines").as_array().empty());
  // 2 CartItemAdded and CartMerged for the user, 2 CartItemRemoved for the guest.
  EXPECT_EQ(redis({"XLEN", cart.config.outbox_stream}).as_integer(), 5);

  const auto retry = platform::testing::run(cart.io, cart.idempotency.run(request, user_, plain));
  EXPECT_EQ(retry.status, 200) << retry.body;
  ASSERT_FALSE(retry.headers.empty());
  EXPECT_EQ(retry.headers.back(),
            (std::pair<std::string, std::string>{"Idempotent-Replayed", "true"}));
  const auto replayed = json_of(retry.body);
  EXPECT_EQ(replayed.at("cart").at("version"), merged.at("version"));
  EXPECT_EQ(replayed.at("merged").as_array().size(), 2U);
  EXPECT_EQ(view(user_).at("item_count").as_int64(), 2) << "merged once";
  EXPECT_EQ(redis({"XLEN", cart.config.outbox_stream}).as_integer(), 5) << "no event twice";
  redis({"DEL", cart.config.outbox_stream});
}

// The acknowledgement names the lines whose new price the customer saw: only those are cleared,
// and anything else is refused without a change.
TEST_F(CartHostileTest, AcknowledgingPriceChangesClearsExactlyTheNamedLines) {
  const auto tv_id = add_line(tv_);
  const auto fridge_id = add_line(fridge_);
  const auto cable_id = add_line(cable_);
  reprice(tv_, 329900, 299900);
  reprice(fridge_, 249900, 239900, "fridge");
  // Settled: every line enriched, both price changes shown.
  ASSERT_TRUE(eventually([&] {
    const auto cart = view(user_);
    for (const auto& line : cart.at("lines").as_array()) {
      if (line.at("enrichment").as_string() != "enriched") return false;
    }
    return !line_of(cart, tv_id)->at("price_change").is_null() &&
           !line_of(cart, fridge_id)->at("price_change").is_null();
  })) << json::serialize(view(user_));

  const auto before = redis({"GET", "cart:view:{" + user_ + "}"}).as_string();
  struct Case {
    std::string name, body;
    int status;
    std::string detail;  // a text the problem's detail must hold
  };
  const std::vector<Case> cases = {
      {"no body", "", 400, ""},
      {"not JSON", "hello", 400, ""},
      {"deeper than 32", std::string(100, '[') + std::string(100, ']'), 400, ""},
      {"an array", "[1,2]", 422, ""},
      {"a string", R"("all")", 422, ""},
      {"no item_ids", "{}", 422, "item_ids"},
      {"empty item_ids", R"({"item_ids":[]})", 422, "item_ids"},
      {"unknown field", R"({"item_ids":[")" + tv_id + R"("],"all":true})", 422, "all"},
      {"not a string", R"({"item_ids":[1]})", 422, "item_ids"},
      {"nested arrays", R"({"item_ids":[[[[")" + tv_id + R"("]]]]})", 422, "item_ids"},
      {"twice", R"({"item_ids":[")" + tv_id + R"(",")" + tv_id + R"("]})", 422, tv_id},
      {"unknown line", R"({"item_ids":[")" + tv_id + R"(","no-such-line"]})", 422, "no-such-line"},
      {"no pending change", R"({"item_ids":[")" + tv_id + R"(",")" + cable_id + R"("]})", 422,
       cable_id},
  };
  for (const auto& c : cases) {
    auto response = call(user_, "POST", "/cart/price-changes/acknowledge", c.body);
    EXPECT_EQ(response.status, c.status) << c.name << ": " << response.body;
    EXPECT_EQ(response.header("content-type"), "application/problem+json") << c.name;
    if (!c.detail.empty()) {
      EXPECT_NE(json_of(response.body).at("detail").as_string().find(c.detail), std::string::npos)
          << c.name << ": " << response.body;
    }
  }
  // Another user cannot acknowledge this user's line: it is not a line of their cart.
  auto stranger = call("user-" + platform::new_uuid(), "POST", "/cart/price-changes/acknowledge",
                       R"({"item_ids":[")" + tv_id + R"("]})");
  EXPECT_EQ(stranger.status, 422) << stranger.body;
  EXPECT_EQ(redis({"GET", "cart:view:{" + user_ + "}"}).as_string(), before) << "nothing changed";

  auto acknowledged = call(user_, "POST", "/cart/price-changes/acknowledge",
                           R"({"item_ids":[")" + tv_id + R"("]})");
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.body;
  const auto cart = json_of(acknowledged.body);
  EXPECT_TRUE(line_of(cart, tv_id)->at("price_change").is_null());
  EXPECT_FALSE(line_of(cart, fridge_id)->at("price_change").is_null()) << "not named: stays";
  EXPECT_EQ(line_of(cart, tv_id)->at("unit_price").at("amount").as_int64(), 299900);
  EXPECT_EQ(view(user_), cart);

  auto again = call(user_, "POST", "/cart/price-changes/acknowledge",
                    R"({"item_ids":[")" + tv_id + R"("]})");
  EXPECT_EQ(again.status, 422) << "already acknowledged: " << again.body;
}

}  // namespace
}  // namespace cart::testing
