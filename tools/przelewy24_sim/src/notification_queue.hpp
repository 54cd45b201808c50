#pragma once
// The notifications waiting to be sent, on the simulator's clock. A payment notification is due
// when the payment is made and again 3, 5, 15, 30, 60, 150 and 450 minutes later, until the
// merchant verifies (P24's resend schedule; each resend is the same body). A refund
// notification is due once. When the clock jumps past several resends, one delivery stands for
// them all. Also the notifications held by the reorder fault. Plain code, no I/O; thread-safe
// (one mutex). Bounded: at most kMaxQueued entries (the oldest are dropped with a count).
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "platform/clock.hpp"

namespace p24_sim {

inline constexpr std::size_t kMaxQueued = 10000;

// Minutes after the payment when P24 (re)sends its notification.
inline constexpr std::array<int, 8> kResendMinutes{0, 3, 5, 15, 30, 60, 150, 450};

struct Delivery {
  std::string url;
  std::string body;
  std::string session_id;
  bool refund = false;
  int attempt = 0;  // 0 the first, then the resends
};

class NotificationQueue {
 public:
  void schedule_payment(std::string session_id, std::string url, std::string body,
                        platform::TimePoint paid_at);
  void schedule_refund(std::string session_id, std::string url, std::string body,
                       platform::TimePoint now);

  // The deliveries due at `now`, in the order they were scheduled; entries whose session
  // `settled` says is verified are removed without a delivery.
  std::vector<Delivery> take_due(platform::TimePoint now,
                                 const std::function<bool(const std::string&)>& settled);

  void hold(Delivery delivery);
  // The held deliveries, newest first.
  std::vector<Delivery> take_held();

  std::size_t scheduled() const;
  std::size_t held() const;
  std::uint64_t overflowed() const;
  void clear();

 private:
  struct Entry {
    Delivery delivery;
    platform::TimePoint start{};
    std::size_t next = 0;  // index into kResendMinutes (refunds: 0 only)
  };
  void push_locked(Entry entry);

  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
  std::vector<Delivery> held_;
  std::uint64_t overflowed_ = 0;
};

}  // namespace p24_sim
