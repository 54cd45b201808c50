#pragma once
// Client configurations pointed at the test infrastructure (platform/testing/env.hpp), tuned for
// fast tests: 1 ms linger, short consumer timeouts.
#include <string>
#include <vector>

#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/redis/client.hpp"

namespace platform::testing {

redis::RedisConfig redis_config();
kafka::ProducerConfig producer_config();
kafka::ConsumerConfig consumer_config(std::string group_id, std::vector<std::string> topics);

}  // namespace platform::testing
