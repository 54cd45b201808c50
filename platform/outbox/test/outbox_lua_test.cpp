// The outbox and dedupe Lua run in the real test Redis: the stream entry outbox_append and
// outbox_append_argv write (fields and their order as redis_outbox.hpp documents them), what a
// failing script leaves behind, and when the dedupe wrapper marks an event as seen.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "platform/outbox/dedupe.hpp"
#include "platform/outbox/redis_outbox.hpp"
#include "platform/redis/client.hpp"
#include "platform/testing/configs.hpp"
#include "platform/testing/env.hpp"
#include "platform/testing/run.hpp"

namespace platform::outbox {
namespace {

namespace asio = boost::asio;
using redis::Reply;
using redis::Script;
using std::chrono::milliseconds;

// Every field different, so a swapped pair shows; data with quotes, a newline and UTF-8.
CloudEvent sample_event(const std::string& tag) {
  CloudEvent e;
  e.id = "id-" + tag;
  e.type = "CartItemAdded-" + tag;
  e.source = "/checkout/cart/" + tag;
  e.subject = "session-" + tag;
  e.time = "2026-01-01T10:00:00.000Z";
  e.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  e.data = R"({"sku":"TV-SAM-55Q80C","name":"Telewizor \"55\"","note":"zażółć\ngęślą","tag":")" +
           tag + "\"}";
  e.topic = "cart-events-" + tag;
  e.key = "key-" + tag;
  return e;
}

// The entry's field/value list as redis_outbox.hpp documents it:
//   id type source subject time traceparent topic key data
std::vector<std::string> documented_fields(const CloudEvent& e) {
  return {"id",      e.id,      "type", e.type, "source",      e.source,
          "subject", e.subject, "time", e.time, "traceparent", e.traceparent,
          "topic",   e.topic,   "key",  e.key,  "data",        e.data};
}

struct Entry {
  std::string id;
  std::vector<std::string> fields;  // field, value, field, value, ...
};

class OutboxLua : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::run(io_, redis_.wait_connected(milliseconds(5000))))
        << "no Redis at " << testing::redis_host() << ":" << testing::redis_port();
  }
  void TearDown() override {
    for (const auto& key : {stream_, dedupe_key_, counter_key_}) {
      (void)testing::run(io_, redis_.command("DEL", key));
    }
  }

  // Runs `body` after outbox_lua_append(), as a service script does.
  Reply run_script(const std::string& body, std::vector<std::string> args) {
    const auto script =
        Script::from_source("outbox_lua_test", std::string(outbox_lua_append()) + body);
    std::vector<std::string> keys{stream_};
    auto reply = testing::run(io_, redis_.eval(script, std::move(keys), std::move(args)));
    EXPECT_TRUE(reply) << reply.error().message;
    return reply ? *reply : Reply{};
  }

  // XRANGE <stream> - +
  std::vector<Entry> entries() {
    auto reply = testing::run(io_, redis_.command("XRANGE", stream_, "-", "+"));
    EXPECT_TRUE(reply && reply->is_array());
    std::vector<Entry> out;
    if (!reply) return out;
    for (const auto& raw : reply->elements()) {
      Entry entry;
      EXPECT_EQ(raw.elements().size(), 2u);
      if (raw.elements().size() != 2) continue;
      entry.id = raw.elements()[0].as_string();
      for (const auto& f : raw.elements()[1].elements()) {
        EXPECT_EQ(f.type, Reply::Type::string);
        entry.fields.push_back(f.as_string());
      }
      out.push_back(std::move(entry));
    }
    return out;
  }

  bool stream_exists() {
    auto reply = testing::run(io_, redis_.command("EXISTS", stream_));
    EXPECT_TRUE(reply);
    return reply && reply->as_integer() == 1;
  }

  asio::io_context io_;
  redis::RedisClient redis_{io_, testing::redis_config()};
  std::string suffix_ = testing::unique_suffix();
  std::string stream_ = outbox_stream("lua-test-" + suffix_);
  std::string dedupe_key_ = dedupe_key("lua-test", suffix_);
  std::string counter_key_ = "lua-test:count:{" + suffix_ + "}";
};

TEST_F(OutboxLua, AppendWritesTheDocumentedFieldsInOrder) {
  const auto e = sample_event(suffix_);
  // The parameters in the order of outbox_append's signature, independent of outbox_argv().
  const auto reply = run_script(
      "return outbox_append(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], "
      "ARGV[7], ARGV[8], ARGV[9])",
      {e.id, e.type, e.source, e.subject, e.time, e.traceparent, e.topic, e.key, e.data});

  const auto got = entries();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(reply.type, Reply::Type::string);
  EXPECT_EQ(reply.as_string(), got[0].id);  // returns the new entry id
  EXPECT_EQ(got[0].fields, documented_fields(e));
}

TEST_F(OutboxLua, AppendArgvReadsNineValuesFromFirstAndKeepsCallOrder) {
  const auto first = sample_event(suffix_ + "-a");
  auto second = sample_event(suffix_ + "-b");
  second.traceparent.clear();  // an empty value stays an empty field, not a missing one
  // ARGV: two of the service's own values, then each event's nine values from outbox_argv().
  std::vector<std::string> args{"service-arg-1", "service-arg-2"};
  for (const auto& e : {first, second}) {
    auto values = outbox_argv(e);
    args.insert(args.end(), values.begin(), values.end());
  }
  const auto reply = run_script(
      "local a = outbox_append_argv(KEYS[1], 3)\n"
      "local b = outbox_append_argv(KEYS[1], 12)\n"
      "return {a, b}",
      std::move(args));

  const auto got = entries();
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(reply.elements().size(), 2u);
  EXPECT_EQ(reply.elements()[0].as_string(), got[0].id);
  EXPECT_EQ(reply.elements()[1].as_string(), got[1].id);
  EXPECT_EQ(got[0].fields, documented_fields(first));
  EXPECT_EQ(got[1].fields, documented_fields(second));
}

TEST_F(OutboxLua, ScriptFailingBeforeTheAppendLeavesNoEntry) {
  const auto values = outbox_argv(sample_event(suffix_));
  std::vector<std::string> args{"reject"};
  args.insert(args.end(), values.begin(), values.end());
  const auto reply = run_script(
      "if ARGV[1] == 'reject' then error('rejected by the service') end\n"
      "return outbox_append_argv(KEYS[1], 2)",
      std::move(args));
  EXPECT_TRUE(reply.is_error());
  EXPECT_NE(reply.as_string().find("rejected by the service"), std::string::npos)
      << reply.as_string();
  EXPECT_FALSE(stream_exists());
}

TEST_F(OutboxLua, AppendWithAMissingValueFailsAndLeavesNoEntry) {
  auto values = outbox_argv(sample_event(suffix_));
  values.pop_back();  // eight values: data would be nil
  const auto reply = run_script("return outbox_append_argv(KEYS[1], 1)", std::move(values));
  EXPECT_TRUE(reply.is_error());
  EXPECT_FALSE(stream_exists());
}

// Redis does not roll a script back: an entry appended before the error stays. So the append
// must come after the last step of a service script that can fail.
TEST_F(OutboxLua, ErrorAfterTheAppendKeepsTheEntry) {
  const auto e = sample_event(suffix_);
  const auto reply = run_script("outbox_append_argv(KEYS[1], 1)\nerror('failed after the append')",
                                outbox_argv(e));
  EXPECT_TRUE(reply.is_error());
  const auto got = entries();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].fields, documented_fields(e));
}

TEST_F(OutboxLua, StreamNameIsPrefixed) {
  EXPECT_EQ(outbox_stream("cart"), "outbox:cart");
}

// The dedupe wrapper marks the event only after its effect ran without error, and then skips it.
TEST_F(OutboxLua, DedupeMarksTheEventOnlyAfterASuccessfulEffect) {
  EXPECT_EQ(dedupe_key("cart", "s-1"), "cart:processed:{s-1}");
  const auto script = dedupe_script("lua_test_count",
                                    "if ARGV[1] == 'fail' then error('effect failed') end\n"
                                    "return redis.call('INCR', KEYS[1])");
  const std::string event_id = "event-" + suffix_;
  auto apply = [&](const std::string& mode) {
    return testing::run(io_, apply_once(redis_, script, dedupe_key_, event_id, {counter_key_},
                                        {mode}, milliseconds(60000)));
  };

  const auto failed = apply("fail");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::internal);
  auto member = testing::run(io_, redis_.command("SISMEMBER", dedupe_key_, event_id));
  ASSERT_TRUE(member);
  EXPECT_EQ(member->as_integer(), 0);  // not marked: a redelivery runs the effect again

  const auto applied = apply("ok");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_FALSE(applied->duplicate);
  EXPECT_EQ(applied->effect.as_integer(), 1);

  const auto again = apply("ok");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_TRUE(again->effect.is_nil());

  auto count = testing::run(io_, redis_.command("GET", counter_key_));
  ASSERT_TRUE(count);
  EXPECT_EQ(count->as_integer(), 1);
  auto ttl = testing::run(io_, redis_.command("PTTL", dedupe_key_));
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->as_integer(), 0);
  EXPECT_LE(ttl->as_integer(), 60000);
}

}  // namespace
}  // namespace platform::outbox
