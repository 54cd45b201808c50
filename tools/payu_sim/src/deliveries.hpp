#pragma once
// The notifications on their way to merchants' notifyUrl, and PayU's resend schedule: a delivery
// is sent at once and, until the merchant answers 200, again after 1, 2, 5, 10 and 30 minutes,
// 1, 2, 3, 6, 9, 12, 15, 18, 21 and 24 hours, then 36, 48, 60 and 72 hours (20 attempts in all;
// reference 2.6). Times are the simulator's clock. The notification faults (duplicate, reorder,
// drop) are applied when a notification is added. Pure and not thread-safe: the simulator holds
// it under its mutex.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "gateway_sim/fault_config.hpp"
#include "platform/clock.hpp"

namespace payu_sim {

// The wait after attempt `attempts_made` (1-based) before the next; std::nullopt after the last.
std::optional<std::chrono::seconds> resend_delay(int attempts_made);

struct Notice {
  std::string url;        // the order's notifyUrl
  std::string body;       // the exact bytes signed
  std::string signature;  // the OpenPayu-Signature value
  std::string what;       // for logs and state: "WZ..:COMPLETED"
};

struct Delivery {
  std::uint64_t id = 0;
  Notice notice;
  int attempts = 0;
  platform::TimePoint next_at{};
  bool in_flight = false;
  int last_status = 0;  // 0: none yet, or no answer
};

class DeliveryQueue {
 public:
  // Queues `notice` (and its duplicates), holds it (reorder) or loses it (drop).
  void add(const Notice& notice, platform::TimePoint now, const gateway_sim::FaultConfig& faults);
  // The held notifications, newest first, due now.
  void flush(platform::TimePoint now);
  // The deliveries due at `now`, in queue order, marked in flight until report().
  std::vector<Delivery> take_due(platform::TimePoint now);
  // The outcome of one attempt: 200 ends it; anything else (0 for no answer) schedules the
  // next attempt, or gives up after the last.
  void report(std::uint64_t id, int status, platform::TimePoint now);
  void clear();

  // {"pending": [...], "held": n, "delivered": [...], "dropped": n, "abandoned": n}
  [[nodiscard]] boost::json::object state() const;
  [[nodiscard]] std::size_t pending() const { return queue_.size(); }

 private:
  void enqueue(const Notice& notice, platform::TimePoint now);

  std::uint64_t next_id_ = 1;
  std::deque<Delivery> queue_;
  std::vector<Notice> held_;
  struct Done {
    std::string what;
    int attempts = 0;
  };
  std::vector<Done> delivered_;
  std::size_t dropped_ = 0;
  std::size_t abandoned_ = 0;
};

}  // namespace payu_sim
