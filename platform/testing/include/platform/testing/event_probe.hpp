#pragma once
// Records every event on some topics, for integration tests: a consumer with a fresh group id
// (reading from the earliest offset) on its own io_context thread. Thread-safe snapshots.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/cloud_event.hpp"

namespace platform::testing {

class EventProbe {
 public:
  explicit EventProbe(std::vector<std::string> topics);
  ~EventProbe();
  EventProbe(const EventProbe&) = delete;
  EventProbe& operator=(const EventProbe&) = delete;

  std::vector<CloudEvent> events() const;
  std::vector<CloudEvent> matching(const std::function<bool(const CloudEvent&)>& filter) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace platform::testing
