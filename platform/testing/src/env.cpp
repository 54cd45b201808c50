#include "platform/testing/env.hpp"

#include "platform/config.hpp"
#include "platform/ids.hpp"

namespace platform::testing {

std::string redis_host() {
  return config::get_string("REDIS_HOST", "127.0.0.1");
}
int redis_port() {
  return static_cast<int>(config::get_int("REDIS_PORT", 16390, 1, 65535));
}
std::string kafka_brokers() {
  return config::get_string("KAFKA_BROKERS", "127.0.0.1:19092");
}
std::string pg_dsn() {
  return config::get_string("PG_DSN", "host=127.0.0.1 port=15440 dbname=checkout user=checkout");
}
std::string unique_suffix() {
  return "t" + random_hex(4);
}

}  // namespace platform::testing
