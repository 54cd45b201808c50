#pragma once
// The seam between an outbox relay and the broker: publish() completes only after the broker
// acknowledged the event (acks=all), so a relay marks an entry done only after it returned ok.
#include <boost/asio/awaitable.hpp>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace platform::outbox {

class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  // Thread-safe. Errors: Errc::unavailable when the broker cannot be reached in time.
  virtual boost::asio::awaitable<Status> publish(CloudEvent event) = 0;
  // Publishes several events in order and returns one Status per event. The default awaits each
  // publish() in turn; a broker client overrides it to send them all before awaiting the acks,
  // which is what lets a relay keep up with a busy service.
  virtual boost::asio::awaitable<std::vector<Status>> publish_all(std::vector<CloudEvent> events);
};

inline boost::asio::awaitable<std::vector<Status>> EventPublisher::publish_all(
    std::vector<CloudEvent> events) {
  std::vector<Status> results;
  results.reserve(events.size());
  for (auto& event : events) results.push_back(co_await publish(std::move(event)));
  co_return results;
}

}  // namespace platform::outbox
