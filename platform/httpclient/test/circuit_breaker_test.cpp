#include "platform/httpclient/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "platform/metrics.hpp"

namespace platform::httpclient {
namespace {

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

class FakeClock final : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  TimePoint now_{std::chrono::seconds(1'700'000'000)};
};

CircuitBreakerConfig small_config() {
  CircuitBreakerConfig c;
  c.failure_rate_threshold = 50;
  c.slow_call_rate_threshold = 100;
  c.slow_call_duration = 1s;
  c.sliding_window_size = 4;
  c.minimum_number_of_calls = 4;
  c.wait_duration_in_open_state = 10s;
  c.permitted_calls_in_half_open_state = 2;
  return c;
}

// Runs one call through the breaker; false when it was not permitted.
bool call(CircuitBreaker& breaker, bool fail, std::chrono::milliseconds took = 10ms) {
  if (!breaker.try_acquire()) return false;
  if (fail) {
    breaker.on_failure(took);
  } else {
    breaker.on_success(took);
  }
  return true;
}

void open_it(CircuitBreaker& breaker) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(call(breaker, true));
  ASSERT_EQ(breaker.state(), State::open);
}

double gauge(const std::string& name) {
  return metrics::registry().gauge("circuit_breaker_state", "", {{"name", name}}).value();
}

std::uint64_t calls(const std::string& name, const char* outcome) {
  return metrics::registry()
      .counter("circuit_breaker_calls_total", "", {{"name", name}, {"outcome", outcome}})
      .value();
}

TEST(CircuitBreaker, StaysClosedBelowMinimumNumberOfCalls) {
  FakeClock clock;
  CircuitBreaker breaker("cb_min_calls", small_config(), clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(call(breaker, true));
  EXPECT_EQ(breaker.state(), State::closed);  // 100% failures, but only 3 of 4 minimum calls
  EXPECT_TRUE(call(breaker, true));
  EXPECT_EQ(breaker.state(), State::open);
}

TEST(CircuitBreaker, OpensAtFailureRateThresholdNotBelow) {
  FakeClock clock;
  CircuitBreaker breaker("cb_rate", small_config(), clock);
  // 1 failure of 4 = 25% < 50%.
  call(breaker, true);
  for (int i = 0; i < 3; ++i) call(breaker, false);
  EXPECT_EQ(breaker.state(), State::closed);
  // The window slides: the oldest (the failure) leaves, so 1 of 4 again.
  call(breaker, true);
  EXPECT_EQ(breaker.state(), State::closed);
  // Now 2 failures among the last 4 = 50% >= 50%.
  call(breaker, true);
  EXPECT_EQ(breaker.state(), State::open);
}

TEST(CircuitBreaker, OpenFailsFastAndCountsNotPermitted) {
  FakeClock clock;
  CircuitBreaker breaker("cb_fail_fast", small_config(), clock);
  open_it(breaker);
  EXPECT_FALSE(breaker.try_acquire());
  clock.advance(9999ms);
  EXPECT_FALSE(breaker.try_acquire());
  EXPECT_EQ(breaker.state(), State::open);
  EXPECT_EQ(calls("cb_fail_fast", "not_permitted"), 2u);
  EXPECT_EQ(calls("cb_fail_fast", "failure"), 4u);
  EXPECT_EQ(gauge("cb_fail_fast"), 1.0);
}

TEST(CircuitBreaker, SlowCallsOpenIt) {
  FakeClock clock;
  auto config = small_config();
  config.slow_call_rate_threshold = 50;
  CircuitBreaker breaker("cb_slow", config, clock);
  call(breaker, false, 1500ms);  // successful but slow
  call(breaker, false, 10ms);
  call(breaker, false, 1000ms);  // exactly the limit is not slow
  EXPECT_EQ(breaker.state(), State::closed);
  call(breaker, false, 2000ms);  // 2 slow of 4 = 50%
  EXPECT_EQ(breaker.state(), State::open);
}

TEST(CircuitBreaker, DefaultSlowThresholdNeedsAllCallsSlow) {
  FakeClock clock;
  CircuitBreaker breaker("cb_slow_default", small_config(), clock);
  for (int i = 0; i < 3; ++i) call(breaker, false, 5s);
  call(breaker, false, 10ms);
  EXPECT_EQ(breaker.state(), State::closed);
  call(breaker, false, 5s);  // window: slow, slow, fast, slow -> 75%
  EXPECT_EQ(breaker.state(), State::closed);
  for (int i = 0; i < 3; ++i) call(breaker, false, 5s);
  EXPECT_EQ(breaker.state(), State::open);
}

TEST(CircuitBreaker, OpenBecomesHalfOpenAfterWaitDuration) {
  FakeClock clock;
  CircuitBreaker breaker("cb_half_open", small_config(), clock);
  open_it(breaker);
  clock.advance(10s);
  EXPECT_EQ(breaker.state(), State::half_open);
  EXPECT_EQ(gauge("cb_half_open"), 2.0);
}

TEST(CircuitBreaker, HalfOpenPermitsOnlyConfiguredProbes) {
  FakeClock clock;
  CircuitBreaker breaker("cb_probes", small_config(), clock);
  open_it(breaker);
  clock.advance(10s);
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
  EXPECT_EQ(breaker.state(), State::half_open);
  // A released probe (e.g. cancelled) frees its permit.
  breaker.release();
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
}

TEST(CircuitBreaker, HalfOpenClosesWhenProbesSucceed) {
  FakeClock clock;
  CircuitBreaker breaker("cb_close", small_config(), clock);
  open_it(breaker);
  clock.advance(10s);
  ASSERT_TRUE(breaker.try_acquire());
  ASSERT_TRUE(breaker.try_acquire());
  breaker.on_success(10ms);
  EXPECT_EQ(breaker.state(), State::half_open);  // still waiting for the second probe
  breaker.on_success(10ms);
  EXPECT_EQ(breaker.state(), State::closed);
  EXPECT_EQ(gauge("cb_close"), 0.0);
  // The closed window starts afresh: three failures are below the minimum number of calls.
  for (int i = 0; i < 3; ++i) call(breaker, true);
  EXPECT_EQ(breaker.state(), State::closed);
}

TEST(CircuitBreaker, HalfOpenReopensWhenProbesFail) {
  FakeClock clock;
  CircuitBreaker breaker("cb_reopen", small_config(), clock);
  open_it(breaker);
  clock.advance(10s);
  ASSERT_TRUE(call(breaker, false));
  ASSERT_TRUE(call(breaker, true));  // 1 of 2 = 50% >= 50%
  EXPECT_EQ(breaker.state(), State::open);
  EXPECT_FALSE(breaker.try_acquire());
  // The wait starts again from the reopening.
  clock.advance(9s);
  EXPECT_EQ(breaker.state(), State::open);
  clock.advance(1s);
  EXPECT_EQ(breaker.state(), State::half_open);
}

TEST(CircuitBreaker, HalfOpenReopensWhenProbesAreSlow) {
  FakeClock clock;
  CircuitBreaker breaker("cb_reopen_slow", small_config(), clock);
  open_it(breaker);
  clock.advance(10s);
  ASSERT_TRUE(call(breaker, false, 3s));
  ASSERT_TRUE(call(breaker, false, 3s));
  EXPECT_EQ(breaker.state(), State::open);
}

TEST(CircuitBreaker, LateResultsWhileOpenAreIgnored) {
  FakeClock clock;
  CircuitBreaker breaker("cb_late", small_config(), clock);
  ASSERT_TRUE(breaker.try_acquire());  // a long call starts while closed
  open_it(breaker);
  breaker.on_success(10ms);  // ...and ends while open
  EXPECT_EQ(breaker.state(), State::open);
  clock.advance(10s);
  breaker.on_success(10ms);  // a late result in half-open is not a probe
  ASSERT_TRUE(breaker.try_acquire());
  ASSERT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
}

TEST(CircuitBreakerConfig, FromEnvReadsPrefixedValues) {
  ::setenv("CBTEST_CB_FAILURE_RATE", "30", 1);
  ::setenv("CBTEST_CB_OPEN_WAIT_MS", "250", 1);
  ::setenv("CBTEST_CB_HALF_OPEN_CALLS", "5", 1);
  const auto config = CircuitBreakerConfig::from_env("CBTEST");
  EXPECT_EQ(config.failure_rate_threshold, 30);
  EXPECT_EQ(config.wait_duration_in_open_state, 250ms);
  EXPECT_EQ(config.permitted_calls_in_half_open_state, 5);
  EXPECT_EQ(config.sliding_window_size, 20);
  EXPECT_EQ(config.minimum_number_of_calls, 10);
  EXPECT_EQ(config.slow_call_duration, 2s);
  ::setenv("CBTEST_CB_FAILURE_RATE", "101", 1);
  EXPECT_THROW(CircuitBreakerConfig::from_env("CBTEST"), std::invalid_argument);
}

}  // namespace
}  // namespace platform::httpclient
