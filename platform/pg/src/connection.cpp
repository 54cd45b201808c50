#include "connection.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <string_view>
#include <vector>

namespace platform::pg::detail {
namespace asio = boost::asio;

namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* text) {
  std::string out = text ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Error map_sql_error(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string_view sqlstate = state ? state : "";
  std::string message = trimmed(PQresultErrorMessage(result));
  if (sqlstate == "23505") return make_error(Errc::conflict, message, "unique_violation");
  if (sqlstate == "40001" || sqlstate == "40P01")
    return make_error(Errc::conflict, message, "serialization_failure");
  if (sqlstate.starts_with("23")) return make_error(Errc::invalid, message, "constraint_violation");
  if (sqlstate == "57014") return make_error(Errc::timeout, message, "statement_timeout");
  // 08: connection exceptions; 57P0x: server shutting down; 53: out of resources.
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate.starts_with("53"))
    return make_error(Errc::unavailable, message, "database_unavailable");
  return make_error(Errc::internal, message, "sql_error");
}

QueryResult to_query_result(const PGresult* result) {
  const int ncols = PQnfields(result);
  const int nrows = PQntuples(result);
  std::vector<std::string> columns;
  columns.reserve(ncols);
  for (int c = 0; c < ncols; ++c) columns.emplace_back(PQfname(result, c));
  std::vector<std::vector<std::optional<std::string>>> rows(nrows);
  for (int r = 0; r < nrows; ++r) {
    rows[r].reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(result, r, c)) {
        rows[r].emplace_back(std::nullopt);
      } else {
        rows[r].emplace_back(std::string(PQgetvalue(result, r, c), PQgetlength(result, r, c)));
      }
    }
  }
  std::int64_t affected = 0;
  // libpq's PQcmdTuples takes a non-const result but only reads it.
  const std::string_view tuples =
      PQcmdTuples(const_cast<PGresult*>(result));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), affected);
  return {std::move(columns), std::move(rows), affected};
}

}  // namespace

Connection::~Connection() {
  // libpq owns the descriptor: take it back from Asio before PQfinish closes it.
  if (socket_) socket_->release();
  if (conn_) PQfinish(conn_);
}

void Connection::sync_socket() {
  // libpq may replace its socket while connecting (e.g. trying the next host).
  const int fd = PQsocket(conn_);
  if (fd == fd_) return;
  if (socket_) {
    socket_->release();
    socket_.reset();
  }
  fd_ = fd;
  if (fd >= 0) socket_.emplace(io_, fd);
}

asio::awaitable<Connection::Wait> Connection::wait(asio::posix::descriptor_base::wait_type type,
                                                   Deadline deadline) {
  sync_socket();
  if (!socket_) co_return Wait::failed;
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
  auto [order, socket_ec, timer_ec] =
      co_await asio::experimental::make_parallel_group(socket_->async_wait(type, asio::deferred),
                                                       timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (order[0] == 0) co_return socket_ec ? Wait::failed : Wait::ready;
  co_return timer_ec ? Wait::failed : Wait::timeout;
}

asio::awaitable<Result<std::unique_ptr<Connection>>> Connection::open(
    asio::io_context& io, std::string dsn, std::chrono::milliseconds statement_timeout,
    Deadline deadline) {
  auto connection = std::make_unique<Connection>(io);
  // Non-blocking only for numeric host addresses: a host name is resolved synchronously by libpq.
  connection->conn_ = PQconnectStart(dsn.c_str());
  if (!connection->conn_) {
    co_return make_error(Errc::unavailable, "libpq could not allocate a connection",
                         "database_unavailable");
  }
  PGconn* conn = connection->conn_;
  if (PQstatus(conn) == CONNECTION_BAD) {
    co_return make_error(Errc::unavailable, "postgres: " + trimmed(PQerrorMessage(conn)),
                         "database_unavailable");
  }
  // Server notices go to the log, not to libpq's default stderr printer.
  PQsetNoticeProcessor(
      conn, [](void*, const char* message) { spdlog::debug("postgres: {}", trimmed(message)); },
      nullptr);
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) {
      co_return make_error(Errc::unavailable, "postgres: " + trimmed(PQerrorMessage(conn)),
                           "database_unavailable");
    }
    const auto type = state == PGRES_POLLING_READING ? asio::posix::descriptor_base::wait_read
                                                     : asio::posix::descriptor_base::wait_write;
    const Wait waited = co_await connection->wait(type, deadline);
    if (waited == Wait::timeout) {
      co_return make_error(Errc::unavailable, "postgres: connect timed out",
                           "database_unavailable");
    }
    if (waited == Wait::failed) {
      co_return make_error(Errc::unavailable, "postgres: connect interrupted",
                           "database_unavailable");
    }
    state = PQconnectPoll(conn);
  }
  connection->sync_socket();
  if (PQsetnonblocking(conn, 1) != 0) {
    co_return make_error(Errc::unavailable, "postgres: " + trimmed(PQerrorMessage(conn)),
                         "database_unavailable");
  }
  auto set = co_await connection->execute(
      "SET statement_timeout = " + std::to_string(statement_timeout.count()), {}, deadline);
  if (!set) co_return set.error();
  co_return std::move(connection);
}

Error Connection::broke(const std::string& what) {
  broken_ = true;
  return make_error(Errc::unavailable, "postgres: " + what, "database_unavailable");
}

asio::awaitable<Result<const std::string*>> Connection::prepared(const std::string& sql,
                                                                 std::size_t param_count,
                                                                 Deadline deadline) {
  if (auto found = prepared_.find(sql); found != prepared_.end()) co_return &found->second;
  if (prepared_.size() >= kMaxPrepared) co_return static_cast<const std::string*>(nullptr);
  std::string name = "platform_" + std::to_string(prepared_.size() + 1);
  in_query_ = true;
  if (!PQsendPrepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(param_count), nullptr)) {
    co_return broke(trimmed(PQerrorMessage(conn_)));
  }
  // A text the server refuses (an error in the SQL, an aborted transaction) is not kept.
  PLATFORM_CO_CHECK(co_await finish(deadline));
  co_return &prepared_.emplace(sql, std::move(name)).first->second;
}

asio::awaitable<Result<QueryResult>> Connection::execute(const std::string& sql,
                                                         const Params& params, Deadline deadline) {
  if (in_query_ || broken_) co_return make_error(Errc::internal, "connection is not idle");
  const std::string* name = nullptr;
  if (!params.empty()) {
    PLATFORM_CO_TRY(name, co_await prepared(sql, params.size(), deadline));
  }
  // Until the last result is read the connection is mid-protocol: if this coroutine is cancelled
  // or times out, in_query_ stays set and the pool discards the connection.
  in_query_ = true;
  int sent = 0;
  if (params.empty()) {
    sent = PQsendQuery(conn_, sql.c_str());
  } else {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    const int count = static_cast<int>(values.size());
    sent = name != nullptr ? PQsendQueryPrepared(conn_, name->c_str(), count, values.data(),
                                                 nullptr, nullptr, 0)
                           : PQsendQueryParams(conn_, sql.c_str(), count, nullptr, values.data(),
                                               nullptr, nullptr, 0);
  }
  if (!sent) co_return broke(trimmed(PQerrorMessage(conn_)));
  co_return co_await finish(deadline);
}

asio::awaitable<Result<QueryResult>> Connection::finish(Deadline deadline) {
  for (;;) {
    const int flushed = PQflush(conn_);
    if (flushed == 0) break;
    if (flushed < 0) co_return broke(trimmed(PQerrorMessage(conn_)));
    const Wait waited = co_await wait(asio::posix::descriptor_base::wait_write, deadline);
    if (waited == Wait::timeout) {
      broken_ = true;
      co_return make_error(Errc::timeout, "postgres: sending the query timed out", "query_timeout");
    }
    if (waited == Wait::failed) co_return broke("wait failed");
  }

  ResultPtr last;
  std::optional<Error> sql_error;
  for (;;) {
    for (;;) {
      if (!PQconsumeInput(conn_)) co_return broke(trimmed(PQerrorMessage(conn_)));
      if (!PQisBusy(conn_)) break;
      const Wait waited = co_await wait(asio::posix::descriptor_base::wait_read, deadline);
      if (waited == Wait::timeout) {
        broken_ = true;
        co_return make_error(Errc::timeout, "postgres: no answer before the deadline",
                             "query_timeout");
      }
      if (waited == Wait::failed) co_return broke("wait failed");
    }
    ResultPtr result(PQgetResult(conn_));
    if (!result) break;
    switch (PQresultStatus(result.get())) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        last = std::move(result);
        break;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        co_return broke("COPY is not supported");
      default:
        if (!sql_error) sql_error = map_sql_error(result.get());
        break;
    }
  }
  in_query_ = false;
  if (PQstatus(conn_) == CONNECTION_BAD) {
    broken_ = true;
    if (!sql_error || sql_error->code == Errc::internal)
      co_return make_error(Errc::unavailable, "postgres: " + trimmed(PQerrorMessage(conn_)),
                           "database_unavailable");
  }
  if (sql_error) co_return *sql_error;
  if (!last) co_return QueryResult{};
  co_return to_query_result(last.get());
}

bool Connection::reusable() const {
  return !broken_ && !in_query_ && conn_ && PQstatus(conn_) == CONNECTION_OK &&
         PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::alive() {
  if (!reusable()) return false;
  // An idle connection has nothing to read unless the server closed it or sent an error.
  if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    return false;
  }
  return true;
}

}  // namespace platform::pg::detail
