#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <stdexcept>
#include <thread>

#include "pg_test_support.hpp"
#include "platform/metrics.hpp"

namespace platform::pg::test {
namespace {
namespace asio = boost::asio;

class PoolTest : public PgTest {};

asio::awaitable<Result<QueryResult>> insert_and_select(Pool& pool, std::string schema) {
  auto created = co_await pool.query("CREATE TABLE " + schema + ".items (id int, note text)");
  if (!created) co_return created.error();
  Params params{"1", std::nullopt};
  auto inserted = co_await pool.query("INSERT INTO " + schema + ".items VALUES ($1::int, $2)",
                                      std::move(params));
  if (!inserted) co_return inserted.error();
  EXPECT_EQ(inserted->affected_rows(), 1);
  Params select_params{"1"};
  co_return co_await pool.query(
      "SELECT id, note, 'x' || $1 AS tag FROM " + schema + ".items WHERE id = $1::int",
      std::move(select_params));
}

TEST_F(PoolTest, QueryWithParamsReturnsColumnsByName) {
  auto result = run(insert_and_select(*pool_, schema_));
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ(result->value(0, "id"), "1");
  EXPECT_EQ(result->value(0, "note"), std::nullopt);
  EXPECT_EQ(result->value(0, "tag"), "x1");
}

asio::awaitable<Result<QueryResult>> numbered(Pool& pool, int n) {
  Params params{std::to_string(n)};
  co_return co_await pool.query("SELECT pg_sleep(0.01), $1::int AS n", std::move(params));
}

TEST_F(PoolTest, FiftyConcurrentQueriesShareFourConnectionsOnTwoThreads) {
  const std::string app = "pool_" + schema_;
  PoolConfig config = test_config();
  config.dsn += " application_name=" + app;
  config.size = 4;
  asio::io_context io;
  auto pool = std::make_unique<Pool>(io, config);
  std::vector<std::future<Result<QueryResult>>> results;
  results.reserve(50);
  for (int i = 0; i < 50; ++i)
    results.push_back(asio::co_spawn(io, numbered(*pool, i), asio::use_future));
  std::thread other([&io] { io.run(); });
  io.run();
  other.join();
  for (int i = 0; i < 50; ++i) {
    auto result = results[i].get();
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->value(0, "n"), std::to_string(i));
  }
  EXPECT_EQ(metrics::registry().gauge("pg_pool_in_use", "").value(), 0);
  EXPECT_LE(std::stoi(scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" +
                             app + "'")),
            4);
  pool.reset();
}

asio::awaitable<Result<int>> insert_then_fail(Transaction& tx, std::string schema) {
  auto inserted = co_await tx.query("INSERT INTO " + schema + ".items VALUES (1)");
  if (!inserted) co_return inserted.error();
  co_return make_error(Errc::invalid, "business rule says no");
}

asio::awaitable<Result<int>> insert_then_throw(Transaction& tx, std::string schema) {
  auto inserted = co_await tx.query("INSERT INTO " + schema + ".items VALUES (2)");
  if (!inserted) co_return inserted.error();
  throw std::runtime_error("bug");
}

asio::awaitable<Result<int>> insert_ok(Transaction& tx, std::string schema) {
  auto inserted = co_await tx.query("INSERT INTO " + schema + ".items VALUES (3)");
  if (!inserted) co_return inserted.error();
  co_return static_cast<int>(inserted->affected_rows());
}

TEST_F(PoolTest, TransactionRollsBackOnErrorAndException) {
  ASSERT_TRUE(run(pool_->query("CREATE TABLE " + schema_ + ".items (id int PRIMARY KEY)")));
  auto failed = run(
      pool_->transaction<int>([this](Transaction& tx) { return insert_then_fail(tx, schema_); }));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::invalid);
  EXPECT_THROW(run(pool_->transaction<int>(
                   [this](Transaction& tx) { return insert_then_throw(tx, schema_); })),
               std::runtime_error);
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".items"), "0");

  auto committed =
      run(pool_->transaction<int>([this](Transaction& tx) { return insert_ok(tx, schema_); }));
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(*committed, 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".items"), "1");

  auto duplicate = run(pool_->query("INSERT INTO " + schema_ + ".items VALUES (3)"));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::conflict);
  EXPECT_EQ(duplicate.error().reason, "unique_violation");
}

asio::awaitable<Result<QueryResult>> select_marked(Pool& pool, int n) {
  Params params{std::to_string(n)};
  co_return co_await pool.query("SELECT $1::int AS n /* prepared-marker */", std::move(params));
}

asio::awaitable<Result<int>> select_marked_then_fail(Transaction& tx) {
  Params params{"7"};
  auto selected = co_await tx.query("SELECT $1::int AS n /* prepared-marker */", std::move(params));
  if (!selected) co_return selected.error();
  co_return make_error(Errc::invalid, "rolled back");
}

asio::awaitable<Result<QueryResult>> marked_statements(Pool& pool) {
  Params params{"%prepared-marker%"};
  co_return co_await pool.query(
      "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE $1",
      std::move(params));
}

TEST_F(PoolTest, StatementsWithParamsArePreparedOncePerConnection) {
  PoolConfig config = test_config();
  config.size = 1;  // every call on the same connection
  Pool pool(io_, config);
  for (int n = 0; n < 3; ++n) {
    auto result = run(select_marked(pool, n));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->value(0, "n"), std::to_string(n));
  }
  // A text the server refuses is not kept, and the connection stays usable.
  Params params{"1"};
  auto refused = run(pool.query("SELEC $1::int /* prepared-marker */", std::move(params)));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::internal);
  // A prepared statement outlives the transaction it was used in, rolled back or not.
  ASSERT_FALSE(run(pool.transaction<int>(select_marked_then_fail)));
  auto again = run(select_marked(pool, 9));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->value(0, "n"), "9");
  auto kept = run(marked_statements(pool));
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->value(0, "n"), "1");
}

asio::awaitable<Result<QueryResult>> hold_and_query(Pool& pool) {
  auto tx = co_await pool.begin();
  if (!tx) co_return tx.error();
  // The only connection is held by `tx`, so this waits for acquire_timeout.
  auto starved = co_await pool.query("SELECT 1");
  co_await tx->rollback();
  co_return starved;
}

TEST_F(PoolTest, ExhaustedPoolFailsAfterAcquireTimeout) {
  PoolConfig config = test_config();
  config.size = 1;
  config.acquire_timeout = std::chrono::milliseconds(200);
  Pool pool(io_, config);
  const auto start = std::chrono::steady_clock::now();
  auto result = run(hold_and_query(pool));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::unavailable);
  EXPECT_EQ(result.error().reason, "pool_exhausted");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(190));
  EXPECT_TRUE(run(pool.query("SELECT 1")));
}

TEST_F(PoolTest, StatementTimeoutIsTimeoutAndConnectionStaysUsable) {
  PoolConfig config = test_config();
  config.size = 1;
  config.statement_timeout = std::chrono::milliseconds(100);
  Pool pool(io_, config);
  auto slow = run(pool.query("SELECT pg_sleep(3)"));
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, Errc::timeout);
  EXPECT_TRUE(run(pool.query("SELECT 1")));
}

TEST_F(PoolTest, DatabaseDownIsUnavailableWithinAcquireTimeout) {
  int closed_port = 0;
  {
    // Bind and close: nothing listens on this port afterwards.
    asio::ip::tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    closed_port = acceptor.local_endpoint().port();
  }
  PoolConfig config = test_config();
  config.dsn =
      "host=127.0.0.1 port=" + std::to_string(closed_port) + " dbname=checkout user=checkout";
  config.acquire_timeout = std::chrono::milliseconds(1000);
  Pool pool(io_, config);
  const auto start = std::chrono::steady_clock::now();
  auto result = run(pool.query("SELECT 1"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(PoolTest, UnroutableHostTimesOutAsUnavailable) {
  PoolConfig config = test_config();
  // TEST-NET-1 (RFC 5737): connect() hangs (or fails where there is no route); the acquire
  // deadline bounds it either way.
  config.dsn = "host=192.0.2.1 port=5432 dbname=checkout user=checkout";
  config.acquire_timeout = std::chrono::milliseconds(300);
  Pool pool(io_, config);
  const auto start = std::chrono::steady_clock::now();
  auto result = run(pool.query("SELECT 1"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
}

asio::awaitable<bool> new_backend_answers(Pool& pool, std::string old_pid) {
  auto pid = co_await pool.query("SELECT pg_backend_pid() AS pid");
  co_return pid && pid->value(0, "pid") != old_pid;
}

TEST_F(PoolTest, BrokenConnectionIsDiscardedAndRecreated) {
  PoolConfig config = test_config();
  config.size = 1;
  Pool pool(io_, config);
  auto pid = run(pool.query("SELECT pg_backend_pid() AS pid"));
  ASSERT_TRUE(pid);
  const std::string old_pid = *pid->value(0, "pid");
  EXPECT_EQ(scalar("SELECT pg_terminate_backend(" + old_pid + ")"), "t");
  EXPECT_TRUE(run(eventually([&pool, old_pid] { return new_backend_answers(pool, old_pid); })));
}

}  // namespace
}  // namespace platform::pg::test
