#pragma once
// Internal: one libpq connection driven by Asio. Used by one coroutine at a time.
#include <libpq-fe.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

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

 private:
  enum class Wait { ready, timeout, failed };
  void sync_socket();
  boost::asio::awaitable<Wait> wait(boost::asio::posix::descriptor_base::wait_type type,
                                    Deadline deadline);

  boost::asio::io_context& io_;
  PGconn* conn_ = nullptr;
  int fd_ = -1;
  std::optional<boost::asio::posix::stream_descriptor> socket_;
  bool broken_ = false;
  bool in_query_ = false;
};

}  // namespace platform::pg::detail
