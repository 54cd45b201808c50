#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "platform/pg/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace platform::pg {
namespace {

TEST(QueryResult, ValuesByNameAndIndex) {
  QueryResult result({"id", "note"}, {{"1", std::nullopt}, {"2", "x"}}, 2);
  EXPECT_EQ(result.size(), 2u);
  EXPECT_EQ(result.affected_rows(), 2);
  EXPECT_EQ(result.column_index("note"), 1u);
  EXPECT_FALSE(result.column_index("missing"));
  EXPECT_EQ(result.value(0, "id"), "1");
  EXPECT_FALSE(result.value(0, "note"));
  EXPECT_EQ(result.value(1, 1), "x");
  EXPECT_THROW(result.value(0, "missing"), std::out_of_range);
  EXPECT_THROW(result.value(2, "id"), std::out_of_range);
}

TEST(Outbox, MigrationCarriesTheDdl) {
  const Migration migration = outbox_migration(7);
  EXPECT_EQ(migration.version, 7);
  EXPECT_EQ(migration.name, "outbox");
  EXPECT_NE(migration.sql.find("CREATE TABLE outbox"), std::string::npos);
  EXPECT_EQ(migration.sql, outbox_ddl());
}

TEST(Retry, OnlySerializationFailuresAreRetried) {
  EXPECT_TRUE(detail::is_retryable(make_error(Errc::conflict, "", "serialization_failure")));
  EXPECT_FALSE(detail::is_retryable(make_error(Errc::conflict, "", "unique_violation")));
  EXPECT_FALSE(detail::is_retryable(make_error(Errc::unavailable, "", "serialization_failure")));
}

}  // namespace
}  // namespace platform::pg
