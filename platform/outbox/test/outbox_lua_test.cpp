#include <gtest/gtest.h>

#include "platform/outbox/dedupe.hpp"
#include "platform/outbox/redis_outbox.hpp"

namespace platform::outbox {
namespace {

TEST(OutboxLua, ArgvFollowsTheEntryFieldOrder) {
  CloudEvent e{"id", "type", "src", "subj", "time", "tp", "data", "topic", "key", {}};
  EXPECT_EQ(outbox_argv(e), (std::vector<std::string>{"id", "type", "src", "subj", "time", "tp",
                                                      "topic", "key", "data"}));
  EXPECT_EQ(outbox_stream("cart"), "outbox:cart");
  auto lua = outbox_lua_append();
  EXPECT_NE(lua.find("local function outbox_append(stream"), std::string_view::npos);
  EXPECT_NE(lua.find("local function outbox_append_argv(stream, first)"), std::string_view::npos);
  EXPECT_NE(lua.find("'data', f_data"), std::string_view::npos);
}

TEST(Dedupe, KeyUsesTheScopeAsHashTag) {
  EXPECT_EQ(dedupe_key("cart", "s-1"), "cart:processed:{s-1}");
  auto lua = dedupe_lua("return 7");
  // The mark must come after the effect (Redis does not roll back a failed script).
  EXPECT_LT(lua.find("return 7"), lua.find("SADD"));
  EXPECT_LT(lua.find("SISMEMBER"), lua.find("return 7"));
}

}  // namespace
}  // namespace platform::outbox
