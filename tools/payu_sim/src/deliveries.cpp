#include "deliveries.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>

namespace payu_sim {
namespace {
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// The wait before attempt 2, 3, ... 20.
const std::array<seconds, 19> kResendDelays{
    minutes(1), minutes(2), minutes(5), minutes(10), minutes(30), hours(1),  hours(2),
    hours(3),   hours(6),   hours(9),   hours(12),   hours(15),   hours(18), hours(21),
    hours(24),  hours(36),  hours(48),  hours(60),   hours(72)};
}  // namespace

std::optional<seconds> resend_delay(int attempts_made) {
  if (attempts_made < 1 || static_cast<std::size_t>(attempts_made) > kResendDelays.size()) {
    return std::nullopt;
  }
  return kResendDelays.at(static_cast<std::size_t>(attempts_made) - 1);
}

void DeliveryQueue::add(const Notice& notice, platform::TimePoint now,
                        const gateway_sim::FaultConfig& faults) {
  if (faults.drop_notifications) {
    ++dropped_;
    return;
  }
  for (int copy = 0; copy <= faults.duplicate_notifications; ++copy) {
    if (faults.reorder_notifications) {
      held_.push_back(notice);
    } else {
      enqueue(notice, now);
    }
  }
}

void DeliveryQueue::flush(platform::TimePoint now) {
  std::for_each(held_.rbegin(), held_.rend(),
                [this, now](const Notice& notice) { enqueue(notice, now); });
  held_.clear();
}

void DeliveryQueue::enqueue(const Notice& notice, platform::TimePoint now) {
  Delivery delivery;
  delivery.id = next_id_++;
  delivery.notice = notice;
  delivery.next_at = now;
  queue_.push_back(std::move(delivery));
}

std::vector<Delivery> DeliveryQueue::take_due(platform::TimePoint now) {
  std::vector<Delivery> due;
  for (auto& delivery : queue_) {
    if (!delivery.in_flight && delivery.next_at <= now) {
      delivery.in_flight = true;
      due.push_back(delivery);
    }
  }
  return due;
}

void DeliveryQueue::report(std::uint64_t id, int status, platform::TimePoint now) {
  const auto it = std::find_if(queue_.begin(), queue_.end(),
                               [id](const Delivery& delivery) { return delivery.id == id; });
  if (it == queue_.end()) return;  // cleared meanwhile
  ++it->attempts;
  it->in_flight = false;
  it->last_status = status;
  if (status == 200) {
    delivered_.push_back({it->notice.what, it->attempts});
    queue_.erase(it);
    return;
  }
  const auto delay = resend_delay(it->attempts);
  if (!delay) {
    ++abandoned_;
    queue_.erase(it);
    return;
  }
  it->next_at = now + *delay;
}

void DeliveryQueue::clear() {
  queue_.clear();
  held_.clear();
  delivered_.clear();
  dropped_ = 0;
  abandoned_ = 0;
}

boost::json::object DeliveryQueue::state() const {
  namespace json = boost::json;
  json::array pending;
  for (const auto& delivery : queue_) {
    pending.push_back(json::object{{"id", delivery.id},
                                   {"what", delivery.notice.what},
                                   {"attempts", delivery.attempts},
                                   {"last_status", delivery.last_status},
                                   {"next_at", platform::format_rfc3339(delivery.next_at)}});
  }
  json::array delivered;
  for (const auto& done : delivered_) {
    delivered.push_back(json::object{{"what", done.what}, {"attempts", done.attempts}});
  }
  return json::object{{"pending", std::move(pending)},
                      {"held", static_cast<std::int64_t>(held_.size())},
                      {"delivered", std::move(delivered)},
                      {"dropped", static_cast<std::int64_t>(dropped_)},
                      {"abandoned", static_cast<std::int64_t>(abandoned_)}};
}

}  // namespace payu_sim
