#include "idempotency.hpp"

#include <chrono>
#include <utility>

namespace stripe_sim {
namespace {
constexpr std::chrono::hours kKept{24};
}

IdempotencyStore::Begin IdempotencyStore::begin(const std::string& key, const std::string& request,
                                                platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  std::erase_if(entries_, [now](const auto& item) {
    return item.second.done && now - item.second.stored_at > kKept;
  });
  const auto it = entries_.find(key);
  if (it == entries_.end()) {
    entries_.emplace(key, Entry{request, now, false, {}});
    return {Outcome::fresh, {}};
  }
  if (it->second.request != request) return {Outcome::mismatch, {}};
  if (!it->second.done) return {Outcome::in_flight, {}};
  return {Outcome::replay, it->second.answer};
}

void IdempotencyStore::finish(const std::string& key, StoredAnswer answer) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return;
  it->second.done = true;
  it->second.answer = std::move(answer);
}

void IdempotencyStore::abandon(const std::string& key) {
  const std::lock_guard lock(mutex_);
  entries_.erase(key);
}

std::size_t IdempotencyStore::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

void IdempotencyStore::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
}

}  // namespace stripe_sim
