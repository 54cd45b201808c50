// The Promotion service through its HTTP API and Kafka: the real promotion_service binary against
// the test Redis and Kafka, with its own rules file, fed cart, catalog and checkout events built
// from their contracts' examples, its promotion-events recorded by a probe and checked against
// their JSON Schemas.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "codes.hpp"
#include "contracts/cart_feed.hpp"
#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/app/service.hpp"
#include "platform/ids.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/contract_events.hpp"
#include "platform/testing/event_probe.hpp"
#include "platform/testing/events.hpp"
#include "platform/testing/eventually.hpp"
#include "platform/testing/run.hpp"
#include "platform/testing/service_process.hpp"

namespace {
namespace json = boost::json;
namespace et = contracts::event_type;
using platform::testing::contract_example;
using platform::testing::eventually;

const std::string kCartTopic(contracts::kCartTopic);
const std::string kCatalogTopic(contracts::kCatalogTopic);
const std::string kCheckoutTopic(contracts::kCheckoutTopic);
const std::string kPromotionTopic(contracts::kPromotionTopic);
using contracts::testing::FeedLine;
using TestCart = contracts::testing::CartFeed;

// A line of `quantity` TVs at 3 299,00 zł.
FeedLine tv_line(std::string item_id, std::int64_t quantity = 1) {
  return FeedLine{.item_id = std::move(item_id),
                  .sku = "TV-PROMO-1",
                  .category = "tv",
                  .unit_price = 329900,
                  .quantity = quantity};
}

// Codes unique to this run: their uses live in the test Redis across runs.
const std::string kRun = [] {
  auto id = platform::new_uuid().substr(0, 6);
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return id;
}();
const std::string kWinter = "ZIMA" + kRun;
const std::string kLimited = "LIMIT" + kRun;
const std::string kOld = "STARY" + kRun;
const std::string kSingle = "JEDEN" + kRun;

std::string rules_text() {
  return R"(promotions:
  - id: tv_second_half
    name: Drugi telewizor 50% taniej
    kind: second_item_discount
    target: { categories: [tv] }
    percent: "50%"
    priority: 10
  - id: accessories_opt_in
    name: Akcesoria 20% taniej
    kind: percent_off
    target: { categories: [accessory] }
    percent: "20%"
    opt_in: true
  - id: winter_code
    name: Kod zimowy 10%
    kind: percent_off
    percent: "10%"
    code: )" +
         kWinter + R"(
    code_per_customer_limit: 1
  - id: limited_code
    name: Kod dla dziesięciu
    kind: amount_off
    per: cart
    amount: 5000
    code: )" +
         kLimited + R"(
    code_global_limit: 10
  - id: single_code
    name: Kod dla jednego
    kind: amount_off
    per: cart
    amount: 2000
    code: )" +
         kSingle + R"(
    code_global_limit: 1
  - id: old_code
    name: Stary kod
    kind: percent_off
    percent: "5%"
    code: )" +
         kOld + R"(
    valid_to: "2020-01-01 00:00"
)";
}

class PromotionServiceTest : public ::testing::Test {
 protected:
  struct Suite {
    std::string rules_file;
    std::unique_ptr<platform::testing::ServiceProcess> service;
    std::unique_ptr<platform::testing::EventProbe> probe;
  };
  static Suite& suite() {
    static Suite shared;
    return shared;
  }

  static void SetUpTestSuite() {
    platform::app::ensure_topics({kCartTopic, kCatalogTopic, kCheckoutTopic, kPromotionTopic});
    suite().probe =
        std::make_unique<platform::testing::EventProbe>(std::vector<std::string>{kPromotionTopic});
    suite().rules_file = (std::filesystem::temp_directory_path() /
                          ("promotion_rules-" + platform::new_uuid() + ".yaml"))
                             .string();
    std::ofstream(suite().rules_file) << rules_text();
    suite().service = std::make_unique<platform::testing::ServiceProcess>(
        PROMOTION_SERVICE_BINARY,
        platform::testing::Env{{"PROMOTION_RULES_FILE", suite().rules_file}});
    ASSERT_NO_THROW(suite().service->start());
  }

  static void TearDownTestSuite() {
    suite().service.reset();
    suite().probe.reset();
    std::filesystem::remove(suite().rules_file);
  }

  static void publish(const platform::CloudEvent& event) {
    auto status = platform::testing::publish_event(event);
    ASSERT_TRUE(status) << status.error().message;
  }

  static platform::CloudEvent order_created(const TestCart& cart) {
    auto data = contract_example(et::kOrderCreated);
    data["session_id"] = cart.session();
    data["user_id"] = cart.user();
    data["occurred_at"] = platform::testing::now_rfc3339();
    return platform::testing::test_event(kCheckoutTopic, cart.session(),
                                         std::string(et::kOrderCreated), "/checkout/test",
                                         json::serialize(data));
  }
  static platform::CloudEvent order_cancelled(const TestCart& cart,
                                              const std::vector<std::string>& codes) {
    auto data = contract_example(et::kOrderCancelled);
    data["session_id"] = cart.session();
    data["user_id"] = cart.user();
    data["occurred_at"] = platform::testing::now_rfc3339();
    json::array promo_codes;
    for (const auto& code : codes) promo_codes.emplace_back(code);
    data["promo_codes"] = std::move(promo_codes);
    return platform::testing::test_event(kCheckoutTopic, cart.session(),
                                         std::string(et::kOrderCancelled), "/checkout/test",
                                         json::serialize(data));
  }
  static platform::CloudEvent price_changed(const std::string& sku, std::int64_t old_price,
                                            std::int64_t new_price, std::chrono::hours ago) {
    auto data = contract_example(et::kCatalogPriceChanged);
    data["sku"] = sku;
    data["old_price"] = json::object{{"amount", old_price}, {"currency", "PLN"}};
    data["new_price"] = json::object{{"amount", new_price}, {"currency", "PLN"}};
    data["occurred_at"] = platform::format_rfc3339(std::chrono::system_clock::now() - ago);
    return platform::testing::test_event(kCatalogTopic, sku, std::string(et::kCatalogPriceChanged),
                                         std::string(contracts::kCatalogImportSource),
                                         json::serialize(data));
  }

  // The session's promotion events (type, data), in order, each checked against its schema.
  static std::vector<std::pair<std::string, json::object>> published(const TestCart& cart) {
    std::vector<std::pair<std::string, json::object>> events;
    for (const auto& event : suite().probe->matching(
             [&](const platform::CloudEvent& e) { return e.key == cart.session(); })) {
      if (auto violation = platform::testing::contract_violation(event)) {
        ADD_FAILURE() << event.type << ": " << *violation;
      }
      events.emplace_back(event.type, json::parse(event.data).as_object());
    }
    return events;
  }
  // Waits for an event of the session that `match` accepts and returns it.
  static json::object event_where(
      const TestCart& cart,
      const std::function<bool(const std::string&, const json::object&)>& match) {
    json::object found;
    EXPECT_TRUE(eventually([&] {
      for (const auto& [type, data] : published(cart)) {
        if (match(type, data)) {
          found = data;
          return true;
        }
      }
      return false;
    })) << "no such event for "
        << cart.session() << "\n"
        << suite().service->log_tail();
    return found;
  }

  static platform::testing::HttpResult call(const std::string& user, const std::string& method,
                                            const std::string& target,
                                            const std::string& body = "") {
    return suite().service->call(user, method, target, body);
  }
  static json::object expect(const platform::testing::HttpResult& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
    return json::parse(response.body).as_object();
  }
  // GET /promotions/available once the service has followed the cart to `cart_hash_version`.
  static json::object available(const TestCart& cart, std::int64_t version) {
    json::object doc;
    const auto hash = cart.hash(version);
    EXPECT_TRUE(eventually([&] {
      doc = expect(call(cart.user(), "GET", "/promotions/available"), 200);
      return doc.at("cart_hash") == json::value(hash);
    })) << suite().service->log_tail();
    return doc;
  }
  static platform::testing::HttpResult apply_code(const TestCart& cart, const std::string& code) {
    return call(cart.user(), "POST", "/promotions/apply-code",
                json::serialize(json::object{{"code", code}}));
  }
  static const json::value* applied(const json::object& doc, std::string_view id) {
    for (const auto& promotion : doc.at("applied").as_array()) {
      if (promotion.at("promotion_id").as_string() == id) return &promotion;
    }
    return nullptr;
  }
  static std::int64_t allocated(const json::value& promotion) {
    std::int64_t sum = 0;
    for (const auto& part : promotion.at("allocations").as_array()) {
      sum += part.at("amount").at("amount").as_int64();
    }
    return sum;
  }

  std::string unique(const std::string& base) const { return base + "-" + platform::new_uuid(); }
};

TEST_F(PromotionServiceTest, DiscountsFollowTheCartAndAddUpToTheGrosz) {
  TestCart cart(unique("u"));
  publish(cart.put(tv_line("it-tv", 2)));
  const auto doc = available(cart, 1);
  const auto* half = applied(doc, "tv_second_half");
  ASSERT_NE(half, nullptr) << json::serialize(doc);
  EXPECT_EQ(half->at("discount").at("amount").as_int64(), 164950) << "50% of one of the two TVs";
  EXPECT_EQ(allocated(*half), 164950);
  const auto event = event_where(cart, [](const std::string& type, const json::object& data) {
    return type == et::kPromotionApplied && data.at("promotion_id") == "tv_second_half";
  });
  EXPECT_EQ(event.at("discount").at("amount").as_int64(), 164950);
  EXPECT_EQ(event.at("allocations").at(0).at("sku").as_string(), "TV-PROMO-1");

  // One TV: no pair any more.
  publish(cart.put(tv_line("it-tv", 1), et::kCartItemQuantityChanged));
  const auto removed = event_where(cart, [](const std::string& type, const json::object& data) {
    return type == et::kPromotionRemoved && data.at("promotion_id") == "tv_second_half";
  });
  EXPECT_EQ(removed.at("reason").as_string(), "no_longer_eligible");
  EXPECT_EQ(applied(available(cart, 2), "tv_second_half"), nullptr);
}

TEST_F(PromotionServiceTest, CodesAreAppliedOrRefusedWithTheReasonAndAnEvent) {
  TestCart cart(unique("u"));
  publish(cart.put(tv_line("it-tv")));
  available(cart, 1);
  const auto unknown = expect(apply_code(cart, "NO-SUCH-CODE"), 422);
  EXPECT_NE(unknown.at("type").as_string().find("code_unknown"), std::string::npos);
  const auto old = expect(apply_code(cart, kOld), 422);
  EXPECT_NE(old.at("type").as_string().find("code_expired"), std::string::npos);
  const auto invalid = event_where(cart, [](const std::string& type, const json::object&) {
    return type == et::kPromoCodeInvalid;
  });
  EXPECT_EQ(invalid.at("reason").as_string(), "unknown");

  const auto accepted = expect(apply_code(cart, " " + kWinter + " "), 200);
  const auto* winter = applied(accepted, "winter_code");
  ASSERT_NE(winter, nullptr) << json::serialize(accepted);
  EXPECT_EQ(winter->at("discount").at("amount").as_int64(), 32990);
  const auto event = event_where(cart, [](const std::string& type, const json::object&) {
    return type == et::kPromoCodeApplied;
  });
  EXPECT_EQ(event.at("code").as_string(), kWinter);
  expect(apply_code(cart, kWinter), 200);  // again: nothing changes

  // Removing it gives the use back.
  expect(call(cart.user(), "DELETE", "/promotions/winter_code"), 200);
  const auto removed = event_where(cart, [](const std::string& type, const json::object& data) {
    return type == et::kPromotionRemoved && data.at("promotion_id") == "winter_code";
  });
  EXPECT_EQ(removed.at("reason").as_string(), "removed_by_customer");
  EXPECT_EQ(removed.at("code").as_string(), kWinter);
}

TEST_F(PromotionServiceTest, OptInPromotionsApplyWhenChosen) {
  TestCart cart(unique("u"));
  publish(cart.put({.item_id = "it-cable",
                    .sku = "ACC-PROMO-1",
                    .category = "accessory",
                    .unit_price = 4999,
                    .type = "accessory"}));
  const auto before = available(cart, 1);
  EXPECT_EQ(applied(before, "accessories_opt_in"), nullptr);
  const auto chosen = expect(
      call(cart.user(), "POST", "/promotions/apply", R"({"promotion_id":"accessories_opt_in"})"),
      200);
  const auto* opt_in = applied(chosen, "accessories_opt_in");
  ASSERT_NE(opt_in, nullptr) << json::serialize(chosen);
  EXPECT_EQ(opt_in->at("discount").at("amount").as_int64(), 1000) << "20% of 49,99 zł: 999,8 gr";
  expect(call(cart.user(), "POST", "/promotions/apply", R"({"promotion_id":"tv_second_half"})"),
         422);
  expect(call(cart.user(), "POST", "/promotions/apply", R"({"promotion_id":"nope"})"), 404);
  expect(call(cart.user(), "DELETE", "/promotions/tv_second_half"), 404);
  expect(call(cart.user(), "DELETE", "/promotions/accessories_opt_in"), 200);
}

TEST_F(PromotionServiceTest, OtherUsersAndBadBodiesChangeNothing) {
  TestCart cart(unique("u"));
  publish(cart.put(tv_line("it-tv")));
  available(cart, 1);
  TestCart stranger(unique("stranger"));
  expect(apply_code(stranger, kWinter), 404);
  expect(call(stranger.user(), "DELETE", "/promotions/tv_second_half"), 404);
  EXPECT_TRUE(expect(call(stranger.user(), "GET", "/promotions/available"), 200)
                  .at("session_id")
                  .is_null());
  expect(call(cart.user(), "POST", "/promotions/apply-code", "{\"code\": "), 400);
  expect(call(cart.user(), "POST", "/promotions/apply-code", R"({"code": 7})"), 422);
  expect(call(cart.user(), "POST", "/promotions/apply-code", R"({"code":"X","more":1})"), 422);
  expect(call("", "GET", "/promotions/available"), 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(published(cart).empty() || published(cart).front().first != et::kPromoCodeApplied);
}

TEST_F(PromotionServiceTest, ACodeLimitedToTenIsUsedExactlyTenTimesUnderConcurrency) {
  std::vector<TestCart> carts;
  carts.reserve(100);
  for (int i = 0; i < 100; ++i) carts.emplace_back(unique("rush"));
  for (auto& cart : carts) publish(cart.put(tv_line("it-tv")));
  for (auto& cart : carts) available(cart, 1);

  std::vector<std::future<int>> answers;
  answers.reserve(carts.size());
  for (const auto& cart : carts) {
    answers.push_back(
        std::async(std::launch::async, [&cart] { return apply_code(cart, kLimited).status; }));
  }
  std::vector<std::size_t> winners;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const int status = answers[i].get();
    EXPECT_TRUE(status == 200 || status == 422) << status;
    if (status == 200) winners.push_back(i);
  }
  ASSERT_EQ(winners.size(), 10U);

  // Three order, two give the code back, one is abandoned (its hold lapses): five uses remain
  // counted (3 confirmed + 2 held), so exactly five more customers get it.
  for (std::size_t k = 0; k < 3; ++k) publish(order_created(carts[winners[k]]));
  for (std::size_t k = 3; k < 5; ++k) {
    expect(call(carts[winners[k]].user(), "DELETE", "/promotions/limited_code"), 200);
  }
  platform::testing::redis_command({"HSET", "promo_codes:holds:{" + kLimited + "}",
                                    carts[winners[5]].session(), carts[winners[5]].user() + " 1"});
  const auto usage = "promo_codes:usage:{" + kLimited + "}";
  EXPECT_TRUE(eventually([&] {
    const auto confirmed = platform::testing::redis_command({"HGET", usage, "confirmed"});
    return !confirmed.is_nil() && confirmed.str == "3";
  })) << suite().service->log_tail();
  int second_round = 0;
  for (const auto& cart : carts) {
    if (std::find(winners.begin(), winners.end(), &cart - carts.data()) != winners.end()) continue;
    if (apply_code(cart, kLimited).status == 200) ++second_round;
  }
  EXPECT_EQ(second_round, 3) << "10 - 3 ordered - 4 still held";
}

TEST_F(PromotionServiceTest, TheLowestPriceOfThe30DaysBeforeIsShownWithTheReduction) {
  const std::string sku = "TV-OMNI-" + kRun;
  publish(price_changed(sku, 299900, 299900, std::chrono::hours(24 * 40)));
  publish(price_changed(sku, 299900, 279900, std::chrono::hours(24 * 20)));
  publish(price_changed(sku, 279900, 349900, std::chrono::hours(24 * 10)));
  publish(price_changed(sku, 349900, 329900, std::chrono::hours(1)));
  ASSERT_TRUE(eventually([&] {
    const auto history =
        platform::testing::redis_command({"GET", "promotions:prices:{" + sku + "}"});
    return !history.is_nil() && history.str.find("329900") != std::string::npos;
  })) << suite().service->log_tail();
  TestCart cart(unique("u"));
  auto line = tv_line("it-tv", 2);
  line.sku = sku;
  publish(cart.put(line));
  const auto doc = available(cart, 1);
  const auto* half = applied(doc, "tv_second_half");
  ASSERT_NE(half, nullptr);
  EXPECT_EQ(half->at("allocations").at(0).at("lowest_price_30d").at("amount").as_int64(), 279900)
      << "the 20-day-old price, not the 40-day-old one or today's";
}

TEST_F(PromotionServiceTest, OrderCreatedConfirmsTheCodeAndEndsTheSession) {
  TestCart cart(unique("u"));
  publish(cart.put(tv_line("it-tv")));
  available(cart, 1);
  expect(apply_code(cart, kWinter), 200);
  publish(order_created(cart));
  EXPECT_TRUE(eventually([&] {
    return expect(call(cart.user(), "GET", "/promotions/available"), 200)
        .at("session_id")
        .is_null();
  }));
  const auto mine = platform::testing::redis_command(
      {"HGET", "promo_codes:usage:{" + kWinter + "}", "user:" + cart.user()});
  EXPECT_EQ(mine.str, "1");
  publish(order_created(cart));  // redelivered: counted once
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(platform::testing::redis_command(
                {"HGET", "promo_codes:usage:{" + kWinter + "}", "user:" + cart.user()})
                .str,
            "1");
}

TEST_F(PromotionServiceTest, OrderCancelledGivesTheOrdersCodeUseBackOnce) {
  TestCart first(unique("u"));
  TestCart second(unique("u"));
  publish(first.put(tv_line("it-tv")));
  publish(second.put(tv_line("it-tv")));
  available(first, 1);
  available(second, 1);
  const auto usage = "promo_codes:usage:{" + kSingle + "}";
  const auto field = [&](const std::string& name) {
    const auto reply = platform::testing::redis_command({"HGET", usage, name});
    return reply.is_nil() ? std::string("nil") : reply.str;
  };
  // Every event of a session is handled in order (one key): once an OrderCancelled naming a
  // throwaway code has left its "returned" mark, everything published before it was handled.
  int markers = 0;
  const auto settle = [&](const TestCart& cart) {
    const auto marker = "MARK" + kRun + std::to_string(++markers);
    publish(order_cancelled(cart, {marker}));
    ASSERT_TRUE(eventually([&] {
      return platform::testing::redis_command(
                 {"HGET", "promo_codes:usage:{" + marker + "}", "order:" + cart.session()})
                 .str == "returned";
    })) << suite().service->log_tail();
  };

  expect(apply_code(first, kSingle), 200);
  publish(order_created(first));
  ASSERT_TRUE(eventually([&] { return field("confirmed") == "1"; })) << suite().service->log_tail();
  EXPECT_EQ(field("order:" + first.session()), "1");
  EXPECT_EQ(field("user:" + first.user()), "1");
  const auto refused = expect(apply_code(second, kSingle), 422);
  EXPECT_NE(refused.at("type").as_string().find("code_usage_limit_reached"), std::string::npos)
      << json::serialize(refused);

  const auto cancelled = order_cancelled(first, {kSingle});
  publish(cancelled);
  ASSERT_TRUE(eventually([&] { return field("confirmed") == "0"; })) << suite().service->log_tail();
  EXPECT_EQ(field("order:" + first.session()), "returned");
  EXPECT_EQ(field("user:" + first.user()), "nil");
  expect(apply_code(second, kSingle), 200);

  // Redelivered (the same event, and the same again under a new id): nothing more comes back.
  publish(cancelled);
  publish(order_cancelled(first, {kSingle}));
  settle(first);
  EXPECT_EQ(field("confirmed"), "0");
  EXPECT_EQ(field("user:" + first.user()), "nil");
  EXPECT_EQ(field("order:" + first.session()), "returned");
  expect(apply_code(second, kSingle), 200);  // still its own held use

  // OrderCreated redelivered after the give-back: the use is not counted again.
  publish(order_created(first));
  settle(first);
  EXPECT_EQ(field("confirmed"), "0");
  EXPECT_EQ(field("user:" + first.user()), "nil");
  EXPECT_EQ(field("order:" + first.session()), "returned");
  TestCart third(unique("u"));
  publish(third.put(tv_line("it-tv")));
  available(third, 1);
  const auto held = expect(apply_code(third, kSingle), 422);  // the second session holds it
  EXPECT_NE(held.at("type").as_string().find("code_usage_limit_reached"), std::string::npos)
      << json::serialize(held);
}

TEST_F(PromotionServiceTest, AnOrderCancelledWithoutItsCodesGoesToTheDeadLetterTopic) {
  TestCart cart(unique("u"));
  platform::testing::EventProbe dead_letters({kCheckoutTopic + ".dlq"});
  auto cancelled = order_cancelled(cart, {kSingle});
  auto data = json::parse(cancelled.data).as_object();
  data["promo_codes"] = 7;
  cancelled.data = json::serialize(data);
  publish(cancelled);
  const auto dead = [&] {
    return dead_letters.matching([&](const auto& e) { return e.id == cancelled.id; });
  };
  std::string reason;
  ASSERT_TRUE(eventually([&] {
    for (const auto& letter : dead()) {
      for (const auto& [name, value] : letter.extra_headers) {
        if (name == "dlq_error" && value.find("promo_codes") != std::string::npos) reason = value;
      }
    }
    return !reason.empty();
  })) << suite().service->log_tail();
  EXPECT_TRUE(platform::testing::redis_command(
                  {"HGET", "promo_codes:usage:{" + kSingle + "}", "order:" + cart.session()})
                  .is_nil());
}

// The give-back script itself, for what the service's flow cannot reach: an OrderCreated that
// still finds the session's code (its session not ended yet) after the order was cancelled.
TEST(CodeUsageTest, AGivenBackUseIsNeitherConfirmedNorGivenBackAgain) {
  boost::asio::io_context io;
  platform::redis::RedisClient redis(io, platform::testing::redis_config());
  ASSERT_TRUE(platform::testing::run(io, redis.wait_connected(std::chrono::seconds(5))));
  platform::SystemClock clock;
  promotion::CodeUsage codes(redis, clock);
  const auto code = "GIVE" + kRun;
  const std::string session = "cs_give_" + kRun;
  const std::string user = "u_give_" + kRun;
  const auto in_use = [&] {
    auto count = platform::testing::run(io, codes.in_use(code));
    EXPECT_TRUE(count) << count.error().message;
    return count ? *count : -1;
  };
  const auto give_back = [&] {
    auto given = platform::testing::run(io, codes.give_back(code, session, user));
    EXPECT_TRUE(given) << given.error().message;
    return given && *given;
  };

  ASSERT_TRUE(platform::testing::run(io, codes.confirm(code, session, user)));
  EXPECT_EQ(in_use(), 1);
  EXPECT_TRUE(give_back());
  EXPECT_EQ(in_use(), 0);
  EXPECT_FALSE(give_back()) << "given back once";
  ASSERT_TRUE(platform::testing::run(io, codes.confirm(code, session, user)));
  EXPECT_EQ(in_use(), 0) << "a late OrderCreated confirms nothing";
  EXPECT_FALSE(give_back());
  EXPECT_EQ(in_use(), 0);

  // A cancelled order that never confirmed: nothing comes back, and nothing confirms later.
  const std::string other = "cs_give_other_" + kRun;
  auto given = platform::testing::run(io, codes.give_back(code, other, user));
  ASSERT_TRUE(given);
  EXPECT_FALSE(*given);
  ASSERT_TRUE(platform::testing::run(io, codes.confirm(code, other, user)));
  EXPECT_EQ(in_use(), 0);
}

TEST_F(PromotionServiceTest, RulesReloadOnSighupAndABadFileKeepsTheOldOnes) {
  TestCart cart(unique("u"));
  publish(cart.put(tv_line("it-tv", 2)));
  available(cart, 1);
  auto half_discount = [&] {
    const auto doc = expect(call(cart.user(), "GET", "/promotions/available"), 200);
    const auto* half = applied(doc, "tv_second_half");
    return half == nullptr ? -1 : half->at("discount").at("amount").as_int64();
  };
  ASSERT_EQ(half_discount(), 164950);
  auto reload = [&](const std::string& text) {
    std::ofstream(suite().rules_file, std::ios::trunc) << text;
    ASSERT_EQ(::kill(suite().service->pid(), SIGHUP), 0);
  };
  auto rules = rules_text();
  const std::string half = "percent: \"50%\"";
  reload(rules.replace(rules.find(half), half.size(), "percent: \"40%\""));
  EXPECT_TRUE(eventually([&] { return half_discount() == 131960; })) << suite().service->log_tail();
  reload(rules_text().replace(0, 11, "promotionz:"));
  EXPECT_TRUE(eventually([&] {
    return suite().service->metric(R"(rules_reload_total{rules="promotion",result="invalid"})") >=
           1;
  })) << suite().service->log_tail();
  EXPECT_EQ(half_discount(), 131960) << "the bad file is rejected, the last good rules stay";
  reload(rules_text());
  EXPECT_TRUE(eventually([&] { return half_discount() == 164950; }));
}

}  // namespace
