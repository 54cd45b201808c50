#pragma once
// Retry delays: exponential backoff with full jitter, and Retry-After parsing. Pure, no I/O.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

namespace platform::httpclient {

// delay(n) is uniform in [0, min(max, initial * 2^n)] ("full jitter"). Thread-safe. A fixed
// seed makes the sequence reproducible in tests.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed);

  // The upper bound for retry number `retry` (0 for the first retry), before jitter.
  std::chrono::milliseconds ceiling(int retry) const;
  std::chrono::milliseconds delay(int retry);
  std::chrono::milliseconds max() const { return max_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::mutex mutex_;
  std::mt19937_64 rng_;
};

// A Retry-After header in delta-seconds form ("3"); nullopt for anything else (HTTP-dates are
// not honoured: the computed backoff is used instead).
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

}  // namespace platform::httpclient
