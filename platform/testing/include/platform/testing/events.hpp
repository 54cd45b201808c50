#pragma once
// A CloudEvent with fresh id and trace context, for tests that publish events by hand.
#include <string>

#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"

namespace platform::testing {

inline CloudEvent test_event(std::string topic, std::string key, std::string type,
                             std::string source, std::string data) {
  CloudEvent e;
  e.id = new_uuid();
  e.type = std::move(type);
  e.source = std::move(source);
  e.subject = key;
  e.time = "2026-01-01T10:00:00.000Z";
  e.traceparent = TraceContext::generate().traceparent();
  e.data = std::move(data);
  e.topic = std::move(topic);
  e.key = std::move(key);
  return e;
}

}  // namespace platform::testing
