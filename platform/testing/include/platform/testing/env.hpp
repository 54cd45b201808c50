#pragma once
// Where the test infrastructure started by `./dev test` listens (read from the environment that
// scripts/env.sh exports), and a unique suffix so each test gets its own keys and topics.
#include <string>

namespace platform::testing {

std::string redis_host();
int redis_port();
std::string kafka_brokers();
std::string pg_dsn();
// A short random suffix, e.g. "t5f3a9c", for key prefixes, topic names and schemas.
std::string unique_suffix();

}  // namespace platform::testing
