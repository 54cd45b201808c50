#include "platform/testing/configs.hpp"

#include "platform/testing/env.hpp"

namespace platform::testing {

using std::chrono::milliseconds;

redis::RedisConfig redis_config() {
  redis::RedisConfig config;
  config.host = redis_host();
  config.port = redis_port();
  return config;
}

kafka::ProducerConfig producer_config() {
  kafka::ProducerConfig config;
  config.brokers = kafka_brokers();
  config.linger = milliseconds(1);
  return config;
}

kafka::ConsumerConfig consumer_config(std::string group_id, std::vector<std::string> topics) {
  kafka::ConsumerConfig config;
  config.brokers = kafka_brokers();
  config.group_id = std::move(group_id);
  config.topics = std::move(topics);
  config.session_timeout = milliseconds(6000);
  config.heartbeat_interval = milliseconds(500);
  config.fetch_wait_max = milliseconds(20);
  config.retry_backoff = milliseconds(20);
  config.lag_interval = milliseconds(500);
  return config;
}

}  // namespace platform::testing
