#pragma once
// Startup-time topic administration (blocking; call before serving traffic).
#include <chrono>
#include <string>
#include <vector>

#include "platform/error.hpp"

namespace platform::kafka {

// Creates each topic with `partitions` partitions and its "<topic>.dlq" with `dlq_partitions`,
// replication factor `replication`, when missing; topics that already exist are left as they are.
// Returns once the topics are visible in the cluster metadata. Errc::unavailable when the broker
// cannot be reached, Errc::timeout when creation does not finish within `timeout`.
[[nodiscard]] Status ensure_topics(const std::string& brokers,
                                   const std::vector<std::string>& topics, int partitions,
                                   std::chrono::milliseconds timeout, int dlq_partitions = 1,
                                   int replication = 1);

}  // namespace platform::kafka
