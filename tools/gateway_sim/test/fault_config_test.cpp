// The uniform POST /control/faults body: every field, the defaults, the refusals, and the
// amount_delta bound each gateway chooses.
#include "gateway_sim/fault_config.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <optional>

namespace gateway_sim {
namespace {
using namespace std::chrono_literals;

TEST(FaultConfig, ParsesTheWholeConfiguration) {
  const auto config = parse_fault_config(
      R"({"duplicate_notifications":2,"reorder_notifications":true,"drop_notifications":true,)"
      R"("bad_signature":true,"amount_delta":-100,"api_status":503,"api_delay_ms":250})");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->duplicate_notifications, 2);
  EXPECT_TRUE(config->reorder_notifications);
  EXPECT_TRUE(config->drop_notifications);
  EXPECT_TRUE(config->bad_signature);
  EXPECT_EQ(config->amount_delta, -100);
  EXPECT_EQ(config->api_status, 503);
  EXPECT_EQ(config->api_delay, 250ms);
  EXPECT_EQ(*parse_fault_config("{}"), FaultConfig{});
  EXPECT_EQ(parse_fault_config(R"({"api_status":0})")->api_status, std::nullopt);
  EXPECT_EQ(parse_fault_config(R"({"api_status":null})")->api_status, std::nullopt);
}

TEST(FaultConfig, RefusesBadValues) {
  for (const char* body :
       {R"({"duplicate_notifications":11})", R"({"duplicate_notifications":-1})",
        R"({"reorder_notifications":1})", R"({"drop_notifications":1})", R"({"api_status":200})",
        R"({"api_delay_ms":60001})", R"({"api_delay_ms":-1})", R"({"amount_delta":1.5})",
        R"({"amount_delta":"1"})", R"({"amount_delta":1000000001})", R"({"unknown":true})", "[]",
        "not json"}) {
    const auto config = parse_fault_config(body);
    ASSERT_FALSE(config) << body;
    EXPECT_EQ(config.error().code, platform::Errc::malformed) << body;
  }
}

TEST(FaultConfig, AmountDeltaWithinTheGatewaysBound) {
  EXPECT_EQ(parse_fault_config(R"({"amount_delta":-1000000000})")->amount_delta, -1000000000);
  const auto refused = parse_fault_config(R"({"amount_delta":-1000000001})");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("from -1000000000 to 1000000000"), std::string::npos);

  const FaultLimits unbounded{.max_amount_delta = std::nullopt};
  EXPECT_EQ(parse_fault_config(R"({"amount_delta":-5000000000})", unbounded)->amount_delta,
            -5000000000);
  EXPECT_FALSE(parse_fault_config(R"({"amount_delta":1.5})", unbounded));
}

TEST(FaultConfig, WritesTheSameFieldsBack) {
  const auto config = parse_fault_config(R"({"duplicate_notifications":3,"api_delay_ms":5})");
  ASSERT_TRUE(config);
  const auto out = to_json(*config);
  EXPECT_EQ(out.at("duplicate_notifications").as_int64(), 3);
  EXPECT_EQ(out.at("api_delay_ms").as_int64(), 5);
  EXPECT_TRUE(out.at("api_status").is_null());
  EXPECT_EQ(out.size(), 7U);
}

TEST(FaultStore, HoldsTheLastConfiguration) {
  FaultStore store;
  FaultConfig config;
  config.drop_notifications = true;
  store.set(config);
  EXPECT_EQ(store.current(), config);
  store.reset();
  EXPECT_EQ(store.current(), FaultConfig{});
}

}  // namespace
}  // namespace gateway_sim
