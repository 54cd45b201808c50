#pragma once
// One event as it travels: a CloudEvents 1.0 envelope (binary mode in Kafka: the attributes are
// the ce_* headers, `data` is the message value) plus where it goes (topic, key).
#include <string>
#include <utility>
#include <vector>

namespace platform {

struct CloudEvent {
  std::string id;           // ce_id: unique per event (UUID); consumers deduplicate on it
  std::string type;         // ce_type: e.g. "CartItemAdded"
  std::string source;       // ce_source: e.g. "/checkout/cart"
  std::string subject;      // ce_subject: e.g. the session id
  std::string time;         // ce_time: RFC 3339
  std::string traceparent;  // W3C trace context, also a Kafka header
  std::string data;         // JSON text (content-type: application/json)

  std::string topic;  // Kafka topic
  std::string key;    // Kafka key: the session id, so a session's events stay ordered

  // Headers that are not CloudEvents attributes (kept when an event goes to a DLQ).
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

}  // namespace platform
