#pragma once
// What every store over the Redis client repeats: the error for a reply a command or script
// should never give (a bug, or a key someone else wrote), and a duration as the text of
// milliseconds that PEXPIRE and the stores' scripts take. Pure.
#include <chrono>
#include <string>

#include "platform/error.hpp"
#include "platform/redis/client.hpp"

namespace platform::redis {

inline Error unexpected_reply(const Reply& reply) {
  return make_error(Errc::internal, "unexpected redis reply: " + reply.as_string());
}

inline std::string milliseconds_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count());
}

}  // namespace platform::redis
