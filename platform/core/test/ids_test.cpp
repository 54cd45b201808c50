#include "platform/ids.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "platform/clock.hpp"

using platform::TraceContext;

TEST(Ids, UuidsAreVersion4AndDistinct) {
  const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = platform::new_uuid();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(TraceContext, ParsesAValidTraceparentAndKeepsTheTraceInChildren) {
  const std::string header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto ctx = TraceContext::parse_or_generate(header);
  EXPECT_EQ(ctx.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ctx.traceparent(), header);
  auto child = ctx.child();
  EXPECT_EQ(child.trace_id, ctx.trace_id);
  EXPECT_NE(child.span_id, ctx.span_id);
}

TEST(TraceContext, ReplacesMalformedOrZeroTraceparents) {
  for (const char* bad : {"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
    auto ctx = TraceContext::parse_or_generate(bad);
    EXPECT_EQ(ctx.trace_id.size(), 32U) << bad;
    EXPECT_NE(ctx.traceparent(), bad);
  }
}

TEST(Clock, FormatsRfc3339InUtc) {
  platform::TimePoint t{std::chrono::milliseconds(1764497399123)};
  EXPECT_EQ(platform::format_rfc3339(t), "2025-11-30T10:09:59.123Z");
}
