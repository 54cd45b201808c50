#pragma once
// Redis key names: "<prefix>{<id>}". The braces are a Redis Cluster hash tag, so every key of one
// id (a session, a user) lands in one slot. Pure.
#include <string>
#include <string_view>

namespace platform::redis {

inline std::string tagged_key(std::string_view prefix, std::string_view id) {
  std::string key;
  key.reserve(prefix.size() + id.size() + 2);
  key.append(prefix).append("{").append(id).append("}");
  return key;
}

}  // namespace platform::redis
