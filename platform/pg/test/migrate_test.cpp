#include "platform/pg/migrate.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <fstream>
#include <future>
#include <thread>

#include "pg_test_support.hpp"

namespace platform::pg::test {
namespace {
namespace asio = boost::asio;

class MigrateTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("migrations_" + schema_);
    std::filesystem::create_directories(dir_);
    write("V001__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);");
    write("V002__seed.sql",
          "INSERT INTO items VALUES (1, 'fridge');\nINSERT INTO items VALUES (2, 'tv');");
    write("README.md", "not a migration");
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    PgTest::TearDown();
  }
  void write(const std::string& name, const std::string& sql) { std::ofstream(dir_ / name) << sql; }

  std::filesystem::path dir_;
};

TEST_F(MigrateTest, LoadsVersionedFilesInOrder) {
  write("V010__later.sql", "SELECT 1;");
  auto migrations = load_migrations(dir_);
  ASSERT_TRUE(migrations) << migrations.error().message;
  ASSERT_EQ(migrations->size(), 3u);
  EXPECT_EQ((*migrations)[0].name, "create_items");
  EXPECT_EQ((*migrations)[2].version, 10);
  write("V10__duplicate.sql", "SELECT 1;");
  EXPECT_FALSE(load_migrations(dir_));
}

TEST_F(MigrateTest, AppliesOnceThenNoOpThenDetectsChangedChecksum) {
  auto first = run(migrate(*pool_, schema_, dir_));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".items"), "2");
  EXPECT_EQ(scalar("SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM " +
                   schema_ + ".schema_migrations"),
            "1:create_items,2:seed");

  auto second = run(migrate(*pool_, schema_, dir_));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".items"), "2");

  write("V002__seed.sql", "INSERT INTO items VALUES (3, 'washer');");
  auto changed = run(migrate(*pool_, schema_, dir_));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, Errc::invalid);
  EXPECT_EQ(changed.error().reason, "migration_checksum_mismatch");
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".items"), "2");
}

TEST_F(MigrateTest, FailingMigrationIsRolledBackAndNotRecorded) {
  write("V003__broken.sql", "INSERT INTO items VALUES (3, 'ok'); SELECT * FROM no_such_table;");
  auto result = run(migrate(*pool_, schema_, dir_));
  ASSERT_FALSE(result);
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".items"), "2");
  EXPECT_EQ(scalar("SELECT max(version) FROM " + schema_ + ".schema_migrations"), "2");
}

TEST_F(MigrateTest, ConcurrentStartersApplyEachMigrationOnce) {
  // A fresh schema: the starters also race to create it.
  const std::string schema = schema_ + "_c";
  asio::io_context io;
  std::vector<std::unique_ptr<Pool>> pools;
  std::vector<std::future<Status>> results;
  for (int i = 0; i < 4; ++i) {
    pools.push_back(std::make_unique<Pool>(io, test_config()));
    results.push_back(asio::co_spawn(io, migrate(*pools.back(), schema, dir_), asio::use_future));
  }
  std::thread other([&io] { io.run(); });
  io.run();
  other.join();
  for (auto& result : results) {
    auto status = result.get();
    EXPECT_TRUE(status) << status.error().message;
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema + ".items"), "2");
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema + ".schema_migrations"), "2");
  pools.clear();
  EXPECT_TRUE(run(pool_->query("DROP SCHEMA " + schema + " CASCADE")));
}

TEST_F(MigrateTest, RejectsUnsafeSchemaName) {
  auto result = run(migrate(*pool_, "x; DROP TABLE y", dir_));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid);
}

}  // namespace
}  // namespace platform::pg::test
