#pragma once
// A PostgreSQL connection pool that never blocks the event loop: libpq runs in non-blocking mode
// and its socket is waited on with Asio. Thread-safe among the threads running its io_context:
// await it only from coroutines of that io_context (a process with two io_contexts has a pool for
// each; a wait spanning two of them races and crashes). A Transaction belongs to one coroutine at
// a time.
//
// Errors (platform::Result): Errc::unavailable when the database cannot be reached or no
// connection frees up within acquire_timeout; Errc::conflict on a unique violation
// ("unique_violation") or a serialization failure / deadlock ("serialization_failure");
// Errc::timeout when a statement exceeds statement_timeout; Errc::invalid for other constraint
// violations; Errc::internal for anything else (usually a bug in the SQL). Cancelling the awaiting
// coroutine discards the connection in use (the server rolls back its open transaction).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error.hpp"

namespace boost::asio {
class io_context;
}

namespace platform::pg {

struct PoolConfig {
  std::string dsn = "host=127.0.0.1 port=5440 dbname=checkout user=checkout";
  int size = 4;
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::milliseconds statement_timeout{5000};

  // PG_DSN, PG_POOL_SIZE (4), PG_ACQUIRE_TIMEOUT_MS (2000), PG_STATEMENT_TIMEOUT_MS (5000).
  static PoolConfig from_env();
};

// Query parameters in text format; std::nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

// A fully read result set (text format). Cheap to move; independent of libpq.
class QueryResult {
 public:
  QueryResult() = default;
  QueryResult(std::vector<std::string> columns,
              std::vector<std::vector<std::optional<std::string>>> rows,
              std::int64_t affected_rows);

  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const std::vector<std::string>& columns() const { return columns_; }
  // Index of a column by name; std::nullopt when there is no such column.
  std::optional<std::size_t> column_index(std::string_view name) const;
  // The value at `row` in column `name`; std::nullopt for NULL. Throws std::out_of_range for an
  // unknown column or row (a bug in the caller).
  const std::optional<std::string>& value(std::size_t row, std::string_view name) const;
  const std::optional<std::string>& value(std::size_t row, std::size_t column) const;
  // The value as text, "" for NULL (same throws as value()).
  std::string text(std::size_t row, std::string_view name) const;
  // The value as a decimal integer; std::nullopt for NULL or text that is not one.
  std::optional<std::int64_t> integer(std::size_t row, std::string_view name) const;
  // Rows inserted, updated or deleted (PQcmdTuples), 0 when not applicable.
  std::int64_t affected_rows() const { return affected_rows_; }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::optional<std::string>>> rows_;
  std::int64_t affected_rows_ = 0;
};

class Pool;

// An open transaction on one pooled connection. Move-only. Destroying it without commit() or
// rollback() discards the connection (the server then rolls back).
class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) noexcept;
  ~Transaction();

  // With no params the SQL may hold several statements (simple protocol); the last result counts.
  [[nodiscard]] boost::asio::awaitable<Result<QueryResult>> query(std::string sql,
                                                                  Params params = {});
  [[nodiscard]] boost::asio::awaitable<Status> commit();
  boost::asio::awaitable<void> rollback();

 private:
  friend class Pool;
  struct Lease;
  explicit Transaction(std::unique_ptr<Lease> lease);
  std::unique_ptr<Lease> lease_;
};

class Pool {
 public:
  // Connections are opened lazily, at most config.size at a time. The pool must outlive every
  // query and Transaction it handed out.
  Pool(boost::asio::io_context& io, PoolConfig config);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  const PoolConfig& config() const;

  // One statement outside an explicit transaction (autocommit).
  [[nodiscard]] boost::asio::awaitable<Result<QueryResult>> query(std::string sql,
                                                                  Params params = {});

  // BEGIN on a pooled connection. Prefer transaction() below.
  [[nodiscard]] boost::asio::awaitable<Result<Transaction>> begin();

  // Runs `body` between BEGIN and COMMIT. ROLLBACK when body returns an error or throws (the
  // exception is rethrown). A serialization failure (in body or at COMMIT) reruns the whole body,
  // up to 3 attempts, so body must only touch the database through `tx`.
  template <class T>
  [[nodiscard]] boost::asio::awaitable<Result<T>> transaction(
      std::function<boost::asio::awaitable<Result<T>>(Transaction&)> body);

 private:
  friend class Transaction;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

namespace detail {
bool is_retryable(const Error& error);
}

template <class T>
boost::asio::awaitable<Result<T>> Pool::transaction(
    std::function<boost::asio::awaitable<Result<T>>(Transaction&)> body) {
  constexpr int kMaxAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    auto tx = co_await begin();
    if (!tx) co_return tx.error();
    std::optional<Result<T>> result;
    std::exception_ptr failure;
    try {
      result.emplace(co_await body(*tx));
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      co_await tx->rollback();
      std::rethrow_exception(failure);
    }
    if (!*result) {
      co_await tx->rollback();
      if (attempt < kMaxAttempts && detail::is_retryable(result->error())) continue;
      co_return std::move(*result);
    }
    auto committed = co_await tx->commit();
    if (!committed) {
      if (attempt < kMaxAttempts && detail::is_retryable(committed.error())) continue;
      co_return committed.error();
    }
    co_return std::move(*result);
  }
}

}  // namespace platform::pg
