#pragma once
// Versioned schema migrations. Files named V001__create_orders.sql, V002__... are applied in
// version order, each in its own transaction with search_path set to the schema, and recorded in
// <schema>.schema_migrations(version, name, checksum, applied_at). Applied migrations are skipped;
// an applied migration whose text changed is an error (Errc::invalid,
// "migration_checksum_mismatch") so a service refuses to start. Concurrent starters are serialized
// by pg_advisory_xact_lock.
#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "platform/error.hpp"

namespace platform::pg {

class Pool;

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// Reads V<digits>__<name>.sql files from `dir`, sorted by version. Other files are ignored.
// Errc::invalid when the directory cannot be read or two files share a version.
[[nodiscard]] Result<std::vector<Migration>> load_migrations(const std::filesystem::path& dir);

// `schema` must match [a-z_][a-z0-9_]* (Errc::invalid otherwise); it is created if missing.
[[nodiscard]] boost::asio::awaitable<Status> migrate(Pool& pool, std::string schema,
                                                     std::vector<Migration> migrations);
[[nodiscard]] boost::asio::awaitable<Status> migrate(Pool& pool, std::string schema,
                                                     std::filesystem::path dir);

// The same before a service serves anything: on a pool of its own (PoolConfig::from_env()) and an
// io_context of its own, blocking the caller until done.
[[nodiscard]] Status migrate_before_start(std::string schema, std::vector<Migration> migrations);

}  // namespace platform::pg
