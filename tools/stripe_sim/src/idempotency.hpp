#pragma once
// Stripe's Idempotency-Key store (payment-gateways.md section 3.7): the first answer to a key
// (any status, 500s included) is kept for 24 hours (of the simulator's clock) and replayed to a
// repeat with the same method, path and body; a repeat with other parameters is refused (400
// idempotency_error); a repeat while the first is still executing gets 409. Pure; thread-safe.
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "platform/clock.hpp"

namespace stripe_sim {

struct StoredAnswer {
  int status = 200;
  std::string body;
};

class IdempotencyStore {
 public:
  enum class Outcome { fresh, replay, mismatch, in_flight };
  struct Begin {
    Outcome outcome = Outcome::fresh;
    StoredAnswer answer;  // for replay
  };

  // `request` identifies the parameters: method, path and body.
  Begin begin(const std::string& key, const std::string& request, platform::TimePoint now);
  // Stores the answer of a fresh begin().
  void finish(const std::string& key, StoredAnswer answer);
  // Forgets a fresh begin() whose request was refused before it executed.
  void abandon(const std::string& key);
  std::size_t size() const;
  void clear();

 private:
  struct Entry {
    std::string request;
    platform::TimePoint stored_at;
    bool done = false;
    StoredAnswer answer;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace stripe_sim
