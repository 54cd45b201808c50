#pragma once
// The events the simulated account sends to the webhook URL, and their delivery state.
// publish() wraps each change in Stripe's event envelope (evt_ id, api_version, created on the
// simulator's clock, type, data.object) and queues it as the faults say: dropped, held until
// the next flush (reorder; a flush sends the held ones newest first) or queued, followed by
// duplicate deliveries of the same event. Deliveries go out one at a time in queue order
// (next_due); a delivery the receiver did not answer with 2xx is retried after 60 s, 120 s,
// 240 s... (at most 1 h apart) of the simulator's clock, 8 attempts in all, then given up.
// Pure (no I/O): the caller sends and reports back. Thread-safe (one mutex).
#include <boost/json/object.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults.hpp"
#include "ledger.hpp"
#include "platform/clock.hpp"

namespace stripe_sim {

inline constexpr int kMaxAttempts = 8;

struct Delivery {
  std::uint64_t seq = 0;
  std::string event_id;
  std::string type;
  std::string body;  // the exact bytes to sign and send
  int attempts = 0;  // before this one
};

class Outbox {
 public:
  explicit Outbox(std::string webhook_url);

  void set_url(std::string url);
  std::string url() const;

  // Returns the new events' ids.
  std::vector<std::string> publish(const Events& events, const FaultConfig& faults,
                                   platform::TimePoint now);
  // The first queued delivery due at `now`; it stays in flight until delivered() or failed().
  std::optional<Delivery> next_due(platform::TimePoint now);
  void delivered(std::uint64_t seq, int status);
  void failed(std::uint64_t seq, std::string result, platform::TimePoint now);
  // Sends the held events (newest first) and makes every waiting retry due now.
  void flush(platform::TimePoint now);

  boost::json::object state() const;
  void clear();

 private:
  enum class Stage { held, queued, in_flight, delivered, dropped, given_up };
  struct Item {
    Delivery delivery;
    Stage stage = Stage::queued;
    platform::TimePoint due{};
    std::string last_result;
  };
  static std::string_view stage_name(Stage stage);
  Item* find(std::uint64_t seq);
  void trim();

  mutable std::mutex mutex_;
  std::string url_;
  std::vector<Item> items_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t next_event_ = 0;
  std::int64_t events_created_ = 0;
};

}  // namespace stripe_sim
