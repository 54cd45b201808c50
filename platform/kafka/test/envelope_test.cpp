#include "platform/kafka/envelope.hpp"

#include <gtest/gtest.h>

namespace platform::kafka {
namespace {

CloudEvent sample() {
  CloudEvent e;
  e.id = "e-1";
  e.type = "CartItemAdded";
  e.source = "/checkout/cart";
  e.subject = "s-1";
  e.time = "2026-01-01T00:00:00.000Z";
  e.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  e.data = R"({"a":1})";
  e.topic = "cart-events";
  e.key = "s-1";
  e.extra_headers = {{"x-extra", "1"}};
  return e;
}

TEST(Envelope, RoundTripKeepsEveryAttribute) {
  auto m = to_message(sample());
  EXPECT_EQ(*find_header(m.headers, "ce_specversion"), "1.0");
  EXPECT_EQ(*find_header(m.headers, "content-type"), "application/json");
  EXPECT_EQ(m.key, "s-1");
  EXPECT_EQ(m.value, R"({"a":1})");
  auto back = from_message(m);
  ASSERT_TRUE(back);
  auto e = sample();
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->source, e.source);
  EXPECT_EQ(back->subject, e.subject);
  EXPECT_EQ(back->time, e.time);
  EXPECT_EQ(back->traceparent, e.traceparent);
  EXPECT_EQ(back->data, e.data);
  EXPECT_EQ(back->topic, e.topic);
  EXPECT_EQ(back->key, e.key);
  EXPECT_EQ(back->extra_headers, e.extra_headers);
}

TEST(Envelope, MissingRequiredHeaderIsPoison) {
  for (const char* name : {"ce_specversion", "ce_id", "ce_type", "ce_source"}) {
    auto m = to_message(sample());
    std::erase_if(m.headers, [&](const auto& h) { return h.first == name; });
    auto parsed = from_message(m);
    ASSERT_FALSE(parsed) << name;
    EXPECT_EQ(parsed.error().code, Errc::malformed);
    EXPECT_NE(parsed.error().message.find(name), std::string::npos);
  }
}

TEST(Envelope, WrongSpecVersionIsPoison) {
  auto m = to_message(sample());
  m.headers[0].second = "0.3";
  EXPECT_FALSE(from_message(m));
}

TEST(Envelope, OptionalAttributesMayBeAbsent) {
  auto e = sample();
  e.time.clear();
  e.subject.clear();
  e.traceparent.clear();
  auto m = to_message(e);
  EXPECT_EQ(find_header(m.headers, "ce_time"), nullptr);
  EXPECT_TRUE(from_message(m));
  EXPECT_EQ(dlq_topic("cart-events"), "cart-events.dlq");
}

}  // namespace
}  // namespace platform::kafka
