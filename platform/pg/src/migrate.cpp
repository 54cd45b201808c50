#include "platform/pg/migrate.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "identifier.hpp"
#include "platform/log.hpp"
#include "platform/pg/pool.hpp"

namespace platform::pg {
namespace asio = boost::asio;

namespace {

// One key per schema so migrations of different services don't wait for each other.
std::string lock_sql() {
  return "SELECT pg_advisory_xact_lock(hashtext('migrate:' || $1))";
}

asio::awaitable<Result<QueryResult>> prepare(Transaction& tx, std::string schema) {
  // Params built outside co_await: g++ 12 rejects an initializer list inside a co_await operand.
  Params lock_params{schema};
  PLATFORM_CO_TRY(auto locked, co_await tx.query(lock_sql(), std::move(lock_params)));
  (void)locked;
  std::string ddl = "CREATE SCHEMA IF NOT EXISTS " + schema + "; CREATE TABLE IF NOT EXISTS " +
                    schema +
                    ".schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
                    " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";
  co_return co_await tx.query(std::move(ddl));
}

// Applies one migration unless it already is; re-checks under the lock so concurrent starters
// apply each version exactly once.
asio::awaitable<Result<QueryResult>> apply(Transaction& tx, std::string schema,
                                           Migration migration) {
  // Params built outside co_await: g++ 12 rejects an initializer list inside a co_await operand.
  Params lock_params{schema};
  PLATFORM_CO_TRY(auto locked, co_await tx.query(lock_sql(), std::move(lock_params)));
  (void)locked;
  Params state_params{migration.sql, std::to_string(migration.version)};
  PLATFORM_CO_TRY(auto state,
                  co_await tx.query("SELECT md5($1) AS checksum, (SELECT checksum FROM " + schema +
                                        ".schema_migrations WHERE version = $2::int) AS applied",
                                    std::move(state_params)));
  const std::string checksum = *state.value(0, "checksum");
  if (const auto& applied = state.value(0, "applied")) {
    if (*applied != checksum) {
      co_return make_error(Errc::invalid,
                           "migration V" + std::to_string(migration.version) + "__" +
                               migration.name + " changed after it was applied to " + schema,
                           "migration_checksum_mismatch");
    }
    co_return QueryResult{};
  }
  PLATFORM_CO_TRY(auto path, co_await tx.query("SET LOCAL search_path TO " + schema));
  (void)path;
  PLATFORM_CO_TRY(auto ran, co_await tx.query(migration.sql));
  (void)ran;
  Params record_params{std::to_string(migration.version), migration.name, checksum};
  PLATFORM_CO_TRY(auto recorded, co_await tx.query("INSERT INTO " + schema +
                                                       ".schema_migrations (version, name, "
                                                       "checksum) VALUES ($1::int, $2, $3)",
                                                   std::move(record_params)));
  spdlog::info("applied migration V{}__{} to {}", migration.version, migration.name, schema);
  co_return recorded;
}

}  // namespace

Result<std::vector<Migration>> load_migrations(const std::filesystem::path& dir) {
  static const std::regex migration_file(R"(V([0-9]+)__(.+)\.sql)");
  std::vector<Migration> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    return make_error(Errc::invalid,
                      "cannot read migrations in " + dir.string() + ": " + ec.message(),
                      "migrations_unreadable");
  }
  for (const auto& entry : it) {
    std::smatch match;
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || !std::regex_match(file, match, migration_file)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return make_error(Errc::invalid, "cannot read " + entry.path().string(),
                        "migrations_unreadable");
    }
    out.push_back(Migration{std::stoi(match[1].str()), match[2].str(), text.str()});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return make_error(
          Errc::invalid,
          "two migrations with version " + std::to_string(out[i].version) + " in " + dir.string(),
          "duplicate_migration_version");
    }
  }
  return out;
}

asio::awaitable<Status> migrate(Pool& pool, std::string schema, std::vector<Migration> migrations) {
  if (!detail::valid_identifier(schema)) {
    co_return make_error(Errc::invalid, "invalid schema name '" + schema + "'", "invalid_schema");
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  PLATFORM_CO_TRY(auto prepared, co_await pool.transaction<QueryResult>(
                                     [&schema](Transaction& tx) { return prepare(tx, schema); }));
  (void)prepared;
  for (auto& migration : migrations) {
    PLATFORM_CO_TRY(auto applied,
                    co_await pool.transaction<QueryResult>([&schema, &migration](Transaction& tx) {
                      return apply(tx, schema, migration);
                    }));
    (void)applied;
  }
  co_return Status{};
}

asio::awaitable<Status> migrate(Pool& pool, std::string schema, std::filesystem::path dir) {
  PLATFORM_CO_TRY(auto migrations, load_migrations(dir));
  co_return co_await migrate(pool, std::move(schema), std::move(migrations));
}

Status migrate_before_start(std::string schema, std::vector<Migration> migrations) {
  asio::io_context io;
  Pool pool(io, PoolConfig::from_env());
  auto done =
      asio::co_spawn(io, migrate(pool, std::move(schema), std::move(migrations)), asio::use_future);
  io.run();
  return done.get();
}

}  // namespace platform::pg
