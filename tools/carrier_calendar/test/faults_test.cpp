#include "faults.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {
using namespace std::chrono;
using carrier_sim::FaultConfig;
using carrier_sim::FaultInjector;
using carrier_sim::parse_fault_config;

TEST(CarrierFaults, AnEmptyObjectMeansNoFaults) {
  const auto config = parse_fault_config("{}");
  ASSERT_TRUE(config);
  EXPECT_EQ(*config, FaultConfig{});
}

TEST(CarrierFaults, ReadsEveryField) {
  const auto config = parse_fault_config(
      R"({"latency_ms": 250, "error_status": 503, "error_rate": 0.25, "hang": true,
          "drop": false, "seed": 7})");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->latency, milliseconds{250});
  EXPECT_EQ(config->error_status, 503);
  EXPECT_DOUBLE_EQ(config->error_rate, 0.25);
  EXPECT_TRUE(config->hang);
  EXPECT_FALSE(config->drop);
  EXPECT_EQ(config->seed, 7U);
  const auto cleared = parse_fault_config(R"({"error_status": null, "error_rate": 1})");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->error_status, std::nullopt);
  EXPECT_DOUBLE_EQ(cleared->error_rate, 1.0);
}

TEST(CarrierFaults, RejectsUnknownFieldsAndBadValuesNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"latency": 5})", "latency"},
      {R"({"latency_ms": -1})", "latency_ms"},
      {R"({"latency_ms": 60001})", "latency_ms"},
      {R"({"latency_ms": 1.5})", "latency_ms"},
      {R"({"latency_ms": "5"})", "latency_ms"},
      {R"({"error_status": 200})", "error_status"},
      {R"({"error_status": 600})", "error_status"},
      {R"({"error_status": "500"})", "error_status"},
      {R"({"error_rate": 1.5})", "error_rate"},
      {R"({"error_rate": -0.1})", "error_rate"},
      {R"({"error_rate": null})", "error_rate"},
      {R"({"hang": 1})", "hang"},
      {R"({"drop": "true"})", "drop"},
      {R"({"seed": -1})", "seed"},
  };
  for (const auto& [body, field] : bad) {
    const auto config = parse_fault_config(body);
    ASSERT_FALSE(config) << body;
    EXPECT_EQ(config.error().code, platform::Errc::malformed) << body;
    EXPECT_NE(config.error().message.find("'" + field + "'"), std::string::npos)
        << body << ": " << config.error().message;
  }
  EXPECT_FALSE(parse_fault_config("[]"));
  EXPECT_FALSE(parse_fault_config("{"));
  EXPECT_FALSE(parse_fault_config(""));
}

std::vector<bool> draws(FaultInjector& injector, int count) {
  std::vector<bool> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) out.push_back(injector.next().error_status.has_value());
  return out;
}

TEST(CarrierFaults, TheErrorRateIsDrawnFromTheSeed) {
  FaultInjector injector;
  FaultConfig config;
  config.error_status = 500;
  config.error_rate = 0.5;
  config.seed = 7;
  injector.set(config);
  const auto first = draws(injector, 200);
  injector.set(config);
  EXPECT_EQ(draws(injector, 200), first);
  const auto errors = std::count(first.begin(), first.end(), true);
  EXPECT_GT(errors, 60);
  EXPECT_LT(errors, 140);
  config.seed = 8;
  injector.set(config);
  EXPECT_NE(draws(injector, 200), first);
}

TEST(CarrierFaults, RateOneAlwaysAndRateZeroNever) {
  FaultInjector injector;
  FaultConfig config;
  config.error_status = 503;
  injector.set(config);
  EXPECT_EQ(draws(injector, 50), std::vector<bool>(50, true));
  config.error_rate = 0.0;
  injector.set(config);
  EXPECT_EQ(draws(injector, 50), std::vector<bool>(50, false));
  injector.reset();
  EXPECT_EQ(injector.current(), FaultConfig{});
}

TEST(CarrierFaults, PlansCarryLatencyHangAndDrop) {
  FaultInjector injector;
  FaultConfig config;
  config.latency = milliseconds{100};
  config.hang = true;
  config.drop = true;
  injector.set(config);
  const auto plan = injector.next();
  EXPECT_EQ(plan.latency, milliseconds{100});
  EXPECT_TRUE(plan.hang);
  EXPECT_TRUE(plan.drop);
  EXPECT_FALSE(plan.error_status);
}

TEST(CarrierFaults, ConfigAsJson) {
  FaultConfig config;
  config.error_status = 503;
  const auto json = carrier_sim::to_json(config);
  EXPECT_EQ(json.at("error_status").as_int64(), 503);
  EXPECT_EQ(json.at("latency_ms").as_int64(), 0);
  EXPECT_DOUBLE_EQ(json.at("error_rate").as_double(), 1.0);
  EXPECT_TRUE(carrier_sim::to_json(FaultConfig{}).at("error_status").is_null());
}

}  // namespace
