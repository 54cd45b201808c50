#include "platform/pg/pool.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <deque>
#include <mutex>
#include <stdexcept>

#include "connection.hpp"
#include "platform/config.hpp"
#include "platform/metrics.hpp"

namespace platform::pg {
namespace asio = boost::asio;
using detail::Connection;
using detail::Deadline;

PoolConfig PoolConfig::from_env() {
  PoolConfig c;
  c.dsn = config::get_string("PG_DSN", c.dsn);
  c.size = static_cast<int>(config::get_int("PG_POOL_SIZE", c.size, 1, 1000));
  c.acquire_timeout = config::get_millis("PG_ACQUIRE_TIMEOUT_MS", c.acquire_timeout);
  c.statement_timeout = config::get_millis("PG_STATEMENT_TIMEOUT_MS", c.statement_timeout);
  return c;
}

QueryResult::QueryResult(std::vector<std::string> columns,
                         std::vector<std::vector<std::optional<std::string>>> rows,
                         std::int64_t affected_rows)
    : columns_(std::move(columns)), rows_(std::move(rows)), affected_rows_(affected_rows) {}

std::optional<std::size_t> QueryResult::column_index(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) return i;
  }
  return std::nullopt;
}

const std::optional<std::string>& QueryResult::value(std::size_t row, std::string_view name) const {
  const auto column = column_index(name);
  if (!column) throw std::out_of_range("no column " + std::string(name));
  return value(row, *column);
}

const std::optional<std::string>& QueryResult::value(std::size_t row, std::size_t column) const {
  return rows_.at(row).at(column);
}

std::string QueryResult::text(std::size_t row, std::string_view name) const {
  return value(row, name).value_or("");
}

std::optional<std::int64_t> QueryResult::integer(std::size_t row, std::string_view name) const {
  const auto& text = value(row, name);
  if (!text) return std::nullopt;
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
  if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return out;
}

bool detail::is_retryable(const Error& error) {
  return error.code == Errc::conflict && error.reason == "serialization_failure";
}

struct Pool::Impl {
  // One waiter per coroutine blocked in acquire(). Its state is written under `mutex`; the channel
  // only wakes it (thread-safe, and a wake-up sent before the wait starts is kept).
  struct Waiter {
    explicit Waiter(const asio::any_io_executor& ex) : wake(ex, 1) {}
    asio::experimental::concurrent_channel<void(boost::system::error_code)> wake;
    std::unique_ptr<Connection> conn;
    bool may_connect = false;
  };

  Impl(asio::io_context& io_context, PoolConfig cfg)
      : io(io_context),
        config(std::move(cfg)),
        in_use(metrics::registry().gauge("pg_pool_in_use", "PostgreSQL connections lent out")) {}

  asio::awaitable<Result<std::unique_ptr<Connection>>> acquire();
  void release(std::unique_ptr<Connection> conn);
  void free_slot();
  void count_query(const Result<QueryResult>& result);

  asio::io_context& io;
  PoolConfig config;
  metrics::Gauge& in_use;

  std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;
  int open = 0;  // idle + lent out + being connected
  std::deque<std::shared_ptr<Waiter>> waiters;
};

void Pool::Impl::count_query(const Result<QueryResult>& result) {
  const std::string label = result ? "ok" : std::string(errc_name(result.error().code));
  metrics::registry()
      .counter("pg_queries_total", "PostgreSQL statements by result", {{"result", label}})
      .inc();
}

void Pool::Impl::free_slot() {
  std::shared_ptr<Waiter> woken;
  {
    std::lock_guard lock(mutex);
    --open;
    if (!waiters.empty()) {
      woken = std::move(waiters.front());
      waiters.pop_front();
      woken->may_connect = true;
      ++open;
    }
  }
  if (woken) woken->wake.try_send(boost::system::error_code{});
}

void Pool::Impl::release(std::unique_ptr<Connection> conn) {
  in_use.add(-1);
  if (!conn->reusable()) {
    conn.reset();
    free_slot();
    return;
  }
  std::shared_ptr<Waiter> woken;
  {
    std::lock_guard lock(mutex);
    if (waiters.empty()) {
      idle.push_back(std::move(conn));
      return;
    }
    woken = std::move(waiters.front());
    waiters.pop_front();
    woken->conn = std::move(conn);
  }
  woken->wake.try_send(boost::system::error_code{});
}

asio::awaitable<Result<std::unique_ptr<Connection>>> Pool::Impl::acquire() {
  const Deadline deadline = std::chrono::steady_clock::now() + config.acquire_timeout;
  auto executor = co_await asio::this_coro::executor;
  for (;;) {
    std::unique_ptr<Connection> conn;  // stays empty when this coroutine holds a slot to connect
    std::shared_ptr<Waiter> waiter;
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        conn = std::move(idle.back());
        idle.pop_back();
      } else if (open < config.size) {
        ++open;
      } else {
        waiter = std::make_shared<Waiter>(executor);
        waiters.push_back(waiter);
      }
    }
    if (waiter) {
      asio::steady_timer timer(executor, deadline);
      co_await asio::experimental::make_parallel_group(waiter->wake.async_receive(asio::deferred),
                                                       timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
      std::lock_guard lock(mutex);
      if (waiter->conn) {
        conn = std::move(waiter->conn);
      } else if (!waiter->may_connect) {
        std::erase(waiters, waiter);
        co_return make_error(Errc::unavailable,
                             "postgres: no pooled connection became free in time",
                             "pool_exhausted");
      }
    }
    if (conn) {
      if (conn->alive()) {
        in_use.add(1);
        co_return std::move(conn);
      }
      conn.reset();
      free_slot();
      continue;
    }
    auto opened = co_await Connection::open(io, config.dsn, config.statement_timeout, deadline);
    if (!opened) {
      free_slot();
      co_return opened.error();
    }
    in_use.add(1);
    co_return std::move(*opened);
  }
}

struct Transaction::Lease {
  Lease(Pool::Impl& p, std::unique_ptr<Connection> c) : pool(p), conn(std::move(c)) {}
  ~Lease() {
    if (conn) pool.release(std::move(conn));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  asio::awaitable<Result<QueryResult>> execute(const std::string& sql, const Params& params) {
    // Slightly longer than statement_timeout so the server's own timeout usually answers first.
    const Deadline deadline =
        std::chrono::steady_clock::now() + pool.config.statement_timeout + std::chrono::seconds(1);
    auto result = co_await conn->execute(sql, params, deadline);
    pool.count_query(result);
    co_return result;
  }

  Pool::Impl& pool;
  std::unique_ptr<Connection> conn;
};

Transaction::Transaction(std::unique_ptr<Lease> lease) : lease_(std::move(lease)) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction& Transaction::operator=(Transaction&&) noexcept = default;
Transaction::~Transaction() = default;

asio::awaitable<Result<QueryResult>> Transaction::query(std::string sql, Params params) {
  if (!lease_) co_return make_error(Errc::internal, "transaction already finished");
  co_return co_await lease_->execute(sql, params);
}

asio::awaitable<Status> Transaction::commit() {
  if (!lease_) co_return make_error(Errc::internal, "transaction already finished");
  auto result = co_await lease_->execute("COMMIT", {});
  lease_.reset();
  if (!result) co_return result.error();
  co_return Status{};
}

asio::awaitable<void> Transaction::rollback() {
  if (!lease_) co_return;
  // A failed ROLLBACK leaves the connection non-idle, so the lease discards it.
  (void)co_await lease_->execute("ROLLBACK", {});
  lease_.reset();
}

Pool::Pool(asio::io_context& io, PoolConfig config)
    : impl_(std::make_unique<Impl>(io, std::move(config))) {}

Pool::~Pool() = default;

const PoolConfig& Pool::config() const {
  return impl_->config;
}

asio::awaitable<Result<QueryResult>> Pool::query(std::string sql, Params params) {
  auto conn = co_await impl_->acquire();
  if (!conn) {
    impl_->count_query(conn.error());
    co_return conn.error();
  }
  Transaction::Lease lease(*impl_, std::move(*conn));
  co_return co_await lease.execute(sql, params);
}

asio::awaitable<Result<Transaction>> Pool::begin() {
  auto conn = co_await impl_->acquire();
  if (!conn) {
    impl_->count_query(conn.error());
    co_return conn.error();
  }
  auto lease = std::make_unique<Transaction::Lease>(*impl_, std::move(*conn));
  auto begun = co_await lease->execute("BEGIN", {});
  if (!begun) co_return begun.error();
  co_return Transaction(std::move(lease));
}

}  // namespace platform::pg
