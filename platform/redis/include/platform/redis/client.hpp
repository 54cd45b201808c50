#pragma once
// An asynchronous Redis client: one hiredis connection driven by the process's io_context,
// commands pipelined on it, reconnected in the background with capped exponential backoff.
//
// Thread-safety: every RedisClient member may be called from any thread or coroutine; the
// hiredis context lives on one strand. Errors (values, never exceptions):
//   - Errc::unavailable ("redis unavailable"): not connected (fails fast, no waiting for a
//     reconnect), or the connection died while the command was in flight;
//   - Errc::unavailable ("redis not ready: <reply>"): the server answered that it cannot serve
//     yet (LOADING its data after a restart, BUSY running a script, MASTERDOWN, CLUSTERDOWN,
//     TRYAGAIN); a pipeline with one such reply fails as a whole, and ping() is false;
//   - Errc::timeout: no reply within command_timeout (the reply, if it comes, is dropped);
//   - a Redis error reply (WRONGTYPE, a script's error_reply, ...) is NOT an Errc: it is a
//     Reply with is_error() true, so a pipeline keeps one reply per command.
// Cancellation: a call ends on a reply, a dead connection or its timeout; cancelling the
// awaiting coroutine does not abort the command already sent.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "platform/error.hpp"

namespace boost::asio {
class io_context;
}

namespace platform::redis {

// One RESP2 reply.
struct Reply {
  enum class Type { nil, integer, string, status, error, array };

  Type type = Type::nil;
  std::int64_t integer = 0;
  std::string str;           // the text of string, status and error replies
  std::vector<Reply> array;  // the elements of an array reply

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
  bool is_array() const { return type == Type::array; }
  // The text of a string, status or error reply; empty for the other types.
  const std::string& as_string() const { return str; }
  // An integer reply, or a string reply holding a decimal integer; 0 otherwise.
  std::int64_t as_integer() const;
  // The elements of an array reply; empty for the other types.
  const std::vector<Reply>& elements() const { return array; }
};

struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6390;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds reconnect_backoff_initial{50};
  std::chrono::milliseconds reconnect_backoff_max{1000};

  // REDIS_HOST (127.0.0.1), REDIS_PORT (6390), REDIS_CONNECT_TIMEOUT_MS (1000),
  // REDIS_COMMAND_TIMEOUT_MS (2000), REDIS_RECONNECT_BACKOFF_MAX_MS (1000).
  // Throws std::invalid_argument on an unparsable value (startup failure).
  static RedisConfig from_env();
};

// A Lua script run with EVALSHA; the sha1 is computed locally so the first call needs no
// SCRIPT LOAD round trip unless the server does not know the script yet (NOSCRIPT).
struct Script {
  std::string name;    // for logs
  std::string source;  // Lua
  std::string sha;     // lowercase hex SHA-1 of source

  static Script from_source(std::string name, std::string source);
};

class RedisClient {
 public:
  // Starts connecting at once, in the background, on `io`. `io` must outlive the client.
  RedisClient(boost::asio::io_context& io, RedisConfig config);
  // Calls stop(). Safe whether or not the io_context is still running.
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command, e.g. {"SET", key, value}. Arguments are binary-safe.
  [[nodiscard]] boost::asio::awaitable<Result<Reply>> command(std::vector<std::string> args);
  // The same with separate arguments: co_await redis.command("SET", key, value). Prefer it
  // inside coroutines: g++ 12 rejects a braced std::string list in a co_await expression
  // ("array used as initializer"). The arguments are copied before this returns.
  template <class... Args>
  requires(sizeof...(Args) > 0 && (std::is_convertible_v<const Args&, std::string_view> && ...))
      [[nodiscard]] boost::asio::awaitable<Result<Reply>> command(const Args&... args) {
    return command(std::vector<std::string>{std::string(std::string_view(args))...});
  }
  // Several commands sent together; one Reply per command in order. Fails as a whole
  // (unavailable/timeout) if the connection dies or the replies are not all in within
  // command_timeout.
  [[nodiscard]] boost::asio::awaitable<Result<std::vector<Reply>>> pipeline(
      std::vector<std::vector<std::string>> commands);
  // EVALSHA; on NOSCRIPT loads the script (SCRIPT LOAD) and retries once.
  [[nodiscard]] boost::asio::awaitable<Result<Reply>> eval(const Script& script,
                                                           std::vector<std::string> keys,
                                                           std::vector<std::string> args);
  // PING answered with PONG (for /readyz).
  [[nodiscard]] boost::asio::awaitable<bool> ping();
  // Polls connected() until true or `timeout` passes (for startup and tests).
  [[nodiscard]] boost::asio::awaitable<bool> wait_connected(std::chrono::milliseconds timeout);

  // True while the connection is established (a snapshot).
  bool connected() const;
  // Stops reconnecting and closes the connection; in-flight and later calls fail with
  // Errc::unavailable. Idempotent, non-blocking.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace platform::redis
