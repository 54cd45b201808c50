#pragma once
// Events built from their contracts, for integration tests that feed a service by hand: the
// example data of contracts/events/examples/<type>.json to start from, the current time as events
// carry it, and publishing to the test Kafka. Blocking; for GoogleTest tests only.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace platform::testing {

// The example data of event type `type`; throws std::runtime_error when there is none.
boost::json::object contract_example(std::string_view type);

// Now, in RFC 3339 (an event's occurred_at).
std::string now_rfc3339();

// Publishes `event` to the test Kafka and waits for the broker's acknowledgement.
[[nodiscard]] Status publish_event(const CloudEvent& event);

}  // namespace platform::testing
