#pragma once
// The seam between an outbox relay and the broker: publish() completes only after the broker
// acknowledged the event (acks=all), so a relay marks an entry done only after it returned ok.
#include <boost/asio/awaitable.hpp>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace platform::outbox {

class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  // Thread-safe. Errors: Errc::unavailable when the broker cannot be reached in time.
  virtual boost::asio::awaitable<Status> publish(CloudEvent event) = 0;
};

}  // namespace platform::outbox
