#pragma once
// CloudEvents 1.0 in Kafka binary mode: the attributes travel as headers (ce_specversion=1.0,
// ce_id, ce_type, ce_source, ce_time, ce_subject, content-type: application/json, traceparent),
// the value is `data` and the key is CloudEvent::key. Pure functions, no I/O, thread-safe.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"

namespace platform::kafka {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One Kafka record as the kit sees it (consumed or about to be produced).
struct Message {
  std::string topic;
  std::int32_t partition = -1;  // -1: let the partitioner pick (by key)
  std::int64_t offset = -1;     // set on consumed messages
  std::string key;
  std::string value;
  Headers headers;  // in order; a name may repeat
};

inline constexpr const char* kSpecVersion = "1.0";
inline constexpr const char* kContentType = "application/json";

// The record to produce for `event` (topic, key, value = data, headers as above, then
// event.extra_headers). Empty optional attributes (time, subject, traceparent) are omitted.
Message to_message(const CloudEvent& event);

// The event carried by `message`, with topic and key filled and every non-CloudEvents header in
// extra_headers. Errc::malformed when ce_specversion (must be "1.0"), ce_id, ce_type or ce_source
// is missing or empty: such a message is poison and goes to the dead-letter topic.
[[nodiscard]] Result<CloudEvent> from_message(const Message& message);

// The first header called `name`, or nullptr.
const std::string* find_header(const Headers& headers, const std::string& name);

// "<topic>.dlq"
std::string dlq_topic(const std::string& topic);

}  // namespace platform::kafka
