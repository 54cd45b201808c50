#pragma once
// A count-based circuit breaker in the manner of resilience4j. Pure logic: no I/O, time comes
// from a platform::Clock so tests drive it with a fake clock. Thread-safe (one mutex, never held
// while the protected call runs).
//
// Protocol: call try_acquire() before each call; when it returns true, report exactly one of
// on_success(), on_failure() or release() (an outcome that must not count, e.g. cancellation).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "platform/clock.hpp"

namespace platform::metrics {
class Counter;
class Gauge;
}  // namespace platform::metrics

namespace platform::httpclient {

struct CircuitBreakerConfig {
  int failure_rate_threshold = 50;     // percent of failed calls in the window that opens it
  int slow_call_rate_threshold = 100;  // percent of slow calls in the window that opens it
  std::chrono::milliseconds slow_call_duration{2000};
  int sliding_window_size = 20;      // the last N calls are evaluated
  int minimum_number_of_calls = 10;  // no decision before this many calls in the window
  std::chrono::milliseconds wait_duration_in_open_state{10000};
  int permitted_calls_in_half_open_state = 3;

  // Reads <prefix>_CB_FAILURE_RATE, _CB_SLOW_CALL_RATE, _CB_SLOW_CALL_MS, _CB_WINDOW_SIZE,
  // _CB_MIN_CALLS, _CB_OPEN_WAIT_MS, _CB_HALF_OPEN_CALLS, each defaulting to the values above.
  // Throws std::invalid_argument on unparsable or out-of-range values.
  static CircuitBreakerConfig from_env(const std::string& prefix);
};

class CircuitBreaker {
 public:
  enum class State { closed = 0, open = 1, half_open = 2 };

  // `name` labels the metrics circuit_breaker_state{name} and circuit_breaker_calls_total{name,
  // outcome}. `clock` must outlive the breaker; the default is the system clock.
  CircuitBreaker(std::string name, CircuitBreakerConfig config);
  CircuitBreaker(std::string name, CircuitBreakerConfig config, const Clock& clock);
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // False when the call must fail fast: open, or half-open with all probes already handed out.
  [[nodiscard]] bool try_acquire();
  void on_success(std::chrono::nanoseconds duration);
  void on_failure(std::chrono::nanoseconds duration);
  // Gives back a permit without recording an outcome.
  void release();

  // The current state; an open breaker whose wait has elapsed reports (and becomes) half-open.
  State state();
  const std::string& name() const { return name_; }
  const CircuitBreakerConfig& config() const { return config_; }

 private:
  struct Outcome {
    bool failed = false;
    bool slow = false;
  };

  void record(bool failed, std::chrono::nanoseconds duration);
  void refresh_locked();
  void transition_locked(State to);
  bool rates_exceeded(int calls, int failures, int slow) const;

  const std::string name_;
  const CircuitBreakerConfig config_;
  const Clock& clock_;

  std::mutex mutex_;
  State state_ = State::closed;
  // Closed: a ring buffer of the last sliding_window_size outcomes.
  std::vector<Outcome> window_;
  std::size_t next_slot_ = 0;
  int window_calls_ = 0;
  int window_failures_ = 0;
  int window_slow_ = 0;
  // Open.
  TimePoint opened_at_{};
  // Half-open.
  int probes_started_ = 0;
  int probes_finished_ = 0;
  int probe_failures_ = 0;
  int probe_slow_ = 0;

  metrics::Gauge& state_gauge_;
  metrics::Counter& success_calls_;
  metrics::Counter& failure_calls_;
  metrics::Counter& not_permitted_calls_;
};

std::string_view state_name(CircuitBreaker::State state);

}  // namespace platform::httpclient
