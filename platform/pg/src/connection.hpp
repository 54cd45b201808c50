#pragma once
// Internal: one libpq connection driven by Asio. Used by one coroutine at a time.
// A statement with parameters is prepared on its first use on the connection and executed by
// name from then on: the server parses and plans each text once per connection, not on every
// call (a third of PostgreSQL's CPU per order went to that). At most kMaxPrepared texts are kept
// per connection; texts beyond them are sent unprepared, as before.
#include <libpq-fe.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "platform/error.hpp"
#include "platform/pg/pool.hpp"

namespace platform::pg::detail {

using Deadline = std::chrono::steady_clock::time_point;

class Connection {
 public:
  explicit Connection(boost::asio::io_context& io) : io_(io) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens the connection and sets statement_timeout. Errc::unavailable on failure or deadline.
  static boost::asio::awaitable<Result<std::unique_ptr<Connection>>> open(
      boost::asio::io_context& io, std::string dsn, std::chrono::milliseconds statement_timeout,
      Deadline deadline);

  boost::asio::awaitable<Result<QueryResult>> execute(const std::string& sql, const Params& params,
                                                      Deadline deadline);

  // False when the connection broke, timed out, or is not idle (e.g. a transaction left open or a
  // query interrupted by cancellation): it must not go back to the pool.
  bool reusable() const;
  // Non-blocking probe of an idle connection: reads a pending EOF or error from the server.
  bool alive();

  static constexpr std::size_t kMaxPrepared = 256;

 private:
  enum class Wait { ready, timeout, failed };
  void sync_socket();
  // The statement name of `sql` on this connection, preparing it first if it is new (one round
  // trip); nullptr when the cache is full.
  boost::asio::awaitable<Result<const std::string*>> prepared(const std::string& sql,
                                                              std::size_t param_count,
                                                              Deadline deadline);
  // Flushes what was sent and reads every result of it.
  boost::asio::awaitable<Result<QueryResult>> finish(Deadline deadline);
  Error broke(const std::string& what);
  boost::asio::awaitable<Wait> wait(boost::asio::posix::descriptor_base::wait_type type,
                                    Deadline deadline);

  boost::asio::io_context& io_;
  PGconn* conn_ = nullptr;
  int fd_ = -1;
  std::optional<boost::asio::posix::stream_descriptor> socket_;
  bool broken_ = false;
  bool in_query_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace platform::pg::detail
