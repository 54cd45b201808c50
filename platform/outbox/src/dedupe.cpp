#include "platform/outbox/dedupe.hpp"

namespace platform::outbox {

std::string dedupe_key(std::string_view service, std::string_view scope) {
  std::string key(service);
  key += ":processed:{";
  key += scope;
  key += '}';
  return key;
}

std::string dedupe_lua(std::string_view effect_lua) {
  std::string lua = R"lua(local dedupe_key = KEYS[1]
local dedupe_id = ARGV[1]
local dedupe_ttl = tonumber(ARGV[2])
if redis.call('SISMEMBER', dedupe_key, dedupe_id) == 1 then return {1} end
local dedupe_effect = (function(KEYS, ARGV)
)lua";
  lua += effect_lua;
  lua += R"lua(
end)({unpack(KEYS, 2)}, {unpack(ARGV, 3)})
if type(dedupe_effect) == 'table' and dedupe_effect.err then return dedupe_effect end
redis.call('SADD', dedupe_key, dedupe_id)
redis.call('PEXPIRE', dedupe_key, dedupe_ttl)
return {0, dedupe_effect}
)lua";
  return lua;
}

redis::Script dedupe_script(std::string name, std::string_view effect_lua) {
  return redis::Script::from_source(std::move(name), dedupe_lua(effect_lua));
}

boost::asio::awaitable<Result<DedupeOutcome>> apply_once(
    redis::RedisClient& redis, const redis::Script& script, std::string dedupe_key,
    std::string event_id, std::vector<std::string> keys, std::vector<std::string> args,
    std::chrono::milliseconds ttl) {
  keys.insert(keys.begin(), std::move(dedupe_key));
  args.insert(args.begin(), {std::move(event_id), std::to_string(ttl.count())});
  auto reply = co_await redis.eval(script, std::move(keys), std::move(args));
  if (!reply) co_return reply.error();
  if (reply->is_error()) {
    co_return make_error(Errc::internal, "script " + script.name + ": " + reply->as_string(),
                         "script_failed");
  }
  const auto& parts = reply->elements();
  if (parts.empty()) {
    co_return make_error(Errc::internal, "script " + script.name + ": unexpected reply",
                         "script_failed");
  }
  DedupeOutcome outcome;
  outcome.duplicate = parts[0].as_integer() == 1;
  if (parts.size() > 1) outcome.effect = parts[1];
  co_return outcome;
}

}  // namespace platform::outbox
