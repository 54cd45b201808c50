#include "platform/httpclient/circuit_breaker.hpp"

#include <algorithm>
#include <stdexcept>

#include "platform/config.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace platform::httpclient {
namespace {

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

int env_int(const std::string& prefix, const char* suffix, int fallback, int min, int max) {
  const std::string name = prefix + suffix;
  return static_cast<int>(config::get_int(name.c_str(), fallback, min, max));
}

std::chrono::milliseconds env_millis(const std::string& prefix, const char* suffix,
                                     std::chrono::milliseconds fallback) {
  const std::string name = prefix + suffix;
  return config::get_millis(name.c_str(), fallback);
}

void validate(const CircuitBreakerConfig& c) {
  auto check = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("circuit breaker config: ") + what);
  };
  check(c.failure_rate_threshold >= 1 && c.failure_rate_threshold <= 100,
        "failure_rate_threshold must be 1..100");
  check(c.slow_call_rate_threshold >= 1 && c.slow_call_rate_threshold <= 100,
        "slow_call_rate_threshold must be 1..100");
  check(c.sliding_window_size >= 1, "sliding_window_size must be >= 1");
  check(c.minimum_number_of_calls >= 1, "minimum_number_of_calls must be >= 1");
  check(c.permitted_calls_in_half_open_state >= 1,
        "permitted_calls_in_half_open_state must be >= 1");
  check(c.slow_call_duration.count() >= 0 && c.wait_duration_in_open_state.count() >= 0,
        "durations must not be negative");
}

metrics::Counter& calls_counter(const std::string& name, const char* outcome) {
  return metrics::registry().counter("circuit_breaker_calls_total",
                                     "Calls through a circuit breaker by outcome",
                                     {{"name", name}, {"outcome", outcome}});
}

}  // namespace

CircuitBreakerConfig CircuitBreakerConfig::from_env(const std::string& prefix) {
  CircuitBreakerConfig c;
  c.failure_rate_threshold = env_int(prefix, "_CB_FAILURE_RATE", c.failure_rate_threshold, 1, 100);
  c.slow_call_rate_threshold =
      env_int(prefix, "_CB_SLOW_CALL_RATE", c.slow_call_rate_threshold, 1, 100);
  c.slow_call_duration = env_millis(prefix, "_CB_SLOW_CALL_MS", c.slow_call_duration);
  c.sliding_window_size = env_int(prefix, "_CB_WINDOW_SIZE", c.sliding_window_size, 1, 10000);
  c.minimum_number_of_calls = env_int(prefix, "_CB_MIN_CALLS", c.minimum_number_of_calls, 1, 10000);
  c.wait_duration_in_open_state =
      env_millis(prefix, "_CB_OPEN_WAIT_MS", c.wait_duration_in_open_state);
  c.permitted_calls_in_half_open_state =
      env_int(prefix, "_CB_HALF_OPEN_CALLS", c.permitted_calls_in_half_open_state, 1, 1000);
  return c;
}

std::string_view state_name(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::closed:
      return "closed";
    case CircuitBreaker::State::open:
      return "open";
    case CircuitBreaker::State::half_open:
      return "half_open";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(std::string name, CircuitBreakerConfig config)
    : CircuitBreaker(std::move(name), config, system_clock()) {}

CircuitBreaker::CircuitBreaker(std::string name, CircuitBreakerConfig config, const Clock& clock)
    : name_(std::move(name)),
      config_((validate(config), config)),
      clock_(clock),
      window_(static_cast<std::size_t>(config_.sliding_window_size)),
      state_gauge_(metrics::registry().gauge("circuit_breaker_state",
                                             "Circuit breaker state: 0 closed, 1 open, 2 half-open",
                                             {{"name", name_}})),
      success_calls_(calls_counter(name_, "success")),
      failure_calls_(calls_counter(name_, "failure")),
      not_permitted_calls_(calls_counter(name_, "not_permitted")) {
  state_gauge_.set(0);
}

bool CircuitBreaker::try_acquire() {
  std::lock_guard lock(mutex_);
  refresh_locked();
  bool permitted = true;
  if (state_ == State::open) {
    permitted = false;
  } else if (state_ == State::half_open) {
    permitted = probes_started_ < config_.permitted_calls_in_half_open_state;
    if (permitted) ++probes_started_;
  }
  if (!permitted) not_permitted_calls_.inc();
  return permitted;
}

void CircuitBreaker::on_success(std::chrono::nanoseconds duration) {
  success_calls_.inc();
  record(false, duration);
}

void CircuitBreaker::on_failure(std::chrono::nanoseconds duration) {
  failure_calls_.inc();
  record(true, duration);
}

void CircuitBreaker::release() {
  std::lock_guard lock(mutex_);
  if (state_ == State::half_open && probes_started_ > probes_finished_) --probes_started_;
}

CircuitBreaker::State CircuitBreaker::state() {
  std::lock_guard lock(mutex_);
  refresh_locked();
  return state_;
}

void CircuitBreaker::record(bool failed, std::chrono::nanoseconds duration) {
  const bool slow = duration > config_.slow_call_duration;
  std::lock_guard lock(mutex_);
  refresh_locked();
  switch (state_) {
    case State::closed: {
      Outcome& slot = window_[next_slot_];
      if (window_calls_ == config_.sliding_window_size) {
        // The oldest outcome leaves the window.
        window_failures_ -= slot.failed ? 1 : 0;
        window_slow_ -= slot.slow ? 1 : 0;
      } else {
        ++window_calls_;
      }
      slot = Outcome{failed, slow};
      window_failures_ += failed ? 1 : 0;
      window_slow_ += slow ? 1 : 0;
      next_slot_ = (next_slot_ + 1) % window_.size();
      const int minimum = std::min(config_.minimum_number_of_calls, config_.sliding_window_size);
      if (window_calls_ >= minimum &&
          rates_exceeded(window_calls_, window_failures_, window_slow_)) {
        transition_locked(State::open);
      }
      break;
    }
    case State::half_open:
      // Only outcomes of probes handed out in this half-open period count; a late result of a
      // call started while closed has no probe to account for.
      if (probes_finished_ >= probes_started_) break;
      ++probes_finished_;
      probe_failures_ += failed ? 1 : 0;
      probe_slow_ += slow ? 1 : 0;
      if (probes_finished_ == config_.permitted_calls_in_half_open_state) {
        transition_locked(rates_exceeded(probes_finished_, probe_failures_, probe_slow_)
                              ? State::open
                              : State::closed);
      }
      break;
    case State::open:
      // A call that started before the breaker opened; the decision is already made.
      break;
  }
}

bool CircuitBreaker::rates_exceeded(int calls, int failures, int slow) const {
  return failures * 100 >= config_.failure_rate_threshold * calls ||
         slow * 100 >= config_.slow_call_rate_threshold * calls;
}

void CircuitBreaker::refresh_locked() {
  if (state_ == State::open && clock_.now() - opened_at_ >= config_.wait_duration_in_open_state) {
    transition_locked(State::half_open);
  }
}

void CircuitBreaker::transition_locked(State to) {
  spdlog::info("circuit breaker {}: {} -> {}", name_, state_name(state_), state_name(to));
  state_ = to;
  std::fill(window_.begin(), window_.end(), Outcome{});
  next_slot_ = 0;
  window_calls_ = window_failures_ = window_slow_ = 0;
  probes_started_ = probes_finished_ = probe_failures_ = probe_slow_ = 0;
  if (to == State::open) opened_at_ = clock_.now();
  state_gauge_.set(static_cast<double>(to));
}

}  // namespace platform::httpclient
