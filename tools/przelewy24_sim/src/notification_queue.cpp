#include "notification_queue.hpp"

#include <algorithm>
#include <utility>

namespace p24_sim {

void NotificationQueue::push_locked(Entry entry) {
  if (entries_.size() >= kMaxQueued) {
    entries_.pop_front();
    ++overflowed_;
  }
  entries_.push_back(std::move(entry));
}

void NotificationQueue::schedule_payment(std::string session_id, std::string url, std::string body,
                                         platform::TimePoint paid_at) {
  const std::lock_guard lock(mutex_);
  push_locked(Entry{Delivery{std::move(url), std::move(body), std::move(session_id), false, 0},
                    paid_at, 0});
}

void NotificationQueue::schedule_refund(std::string session_id, std::string url, std::string body,
                                        platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  push_locked(
      Entry{Delivery{std::move(url), std::move(body), std::move(session_id), true, 0}, now, 0});
}

std::vector<Delivery> NotificationQueue::take_due(
    platform::TimePoint now, const std::function<bool(const std::string&)>& settled) {
  const std::lock_guard lock(mutex_);
  std::vector<Delivery> due;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->delivery.refund && settled(it->delivery.session_id)) {
      it = entries_.erase(it);
      continue;
    }
    const auto at = [&](std::size_t index) {
      return it->start + std::chrono::minutes(kResendMinutes.at(index));
    };
    if (at(it->next) > now) {
      ++it;
      continue;
    }
    // Past several resends at once: one delivery, numbered after the latest of them.
    std::size_t index = it->next;
    while (index + 1 < kResendMinutes.size() && at(index + 1) <= now) ++index;
    Delivery delivery = it->delivery;
    delivery.attempt = static_cast<int>(index);
    due.push_back(std::move(delivery));
    it->next = index + 1;
    if (it->delivery.refund || it->next >= kResendMinutes.size()) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  return due;
}

void NotificationQueue::hold(Delivery delivery) {
  const std::lock_guard lock(mutex_);
  if (held_.size() >= kMaxQueued) {
    held_.erase(held_.begin());
    ++overflowed_;
  }
  held_.push_back(std::move(delivery));
}

std::vector<Delivery> NotificationQueue::take_held() {
  const std::lock_guard lock(mutex_);
  std::vector<Delivery> out = std::move(held_);
  held_.clear();
  std::reverse(out.begin(), out.end());
  return out;
}

std::size_t NotificationQueue::scheduled() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t NotificationQueue::held() const {
  const std::lock_guard lock(mutex_);
  return held_.size();
}

std::uint64_t NotificationQueue::overflowed() const {
  const std::lock_guard lock(mutex_);
  return overflowed_;
}

void NotificationQueue::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
  held_.clear();
  overflowed_ = 0;
}

}  // namespace p24_sim
