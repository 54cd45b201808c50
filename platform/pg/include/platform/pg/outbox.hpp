#pragma once
// The PostgreSQL transactional outbox. A service appends its events with append_outbox() inside
// the transaction that changes its rows, so both commit or neither does. PgOutboxRelay publishes
// unpublished rows in insertion order through an EventPublisher and marks them published only
// after publish() returned ok.
//
// Delivery is at-least-once: a relay that dies (or is stopped) after the broker acknowledged an
// event but before the mark committed publishes that event again on restart, with the same ce_id;
// consumers deduplicate on it. Several relays may run against one schema: rows are claimed with
// FOR UPDATE SKIP LOCKED so they never publish the same row concurrently, but then order across
// relays is not guaranteed; run one relay per schema when per-key order matters.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/cloud_event.hpp"
#include "platform/error.hpp"
#include "platform/outbox/publisher.hpp"
#include "platform/pg/migrate.hpp"

namespace boost::asio {
class io_context;
}

namespace platform::pg {

class Pool;
class Transaction;

// DDL of the `outbox` table, unqualified (the migration runner sets search_path). The same text
// as platform/pg/sql/outbox.sql.
const std::string& outbox_ddl();
// The outbox table as a migration to add to a service's own list, at a version it chooses.
Migration outbox_migration(int version);
// A service's migrations: the V<n>__*.sql files of `dir` (load_migrations) with the outbox table
// as version `outbox_version`, sorted. Errc::invalid when `dir` has none (`setting` names the
// environment variable that points at it) or a file takes the outbox's version.
[[nodiscard]] Result<std::vector<Migration>> migrations_with_outbox(const std::string& dir,
                                                                    int outbox_version,
                                                                    std::string_view setting);

// Inserts `event` into <schema>.outbox within `tx`. Errc::conflict when the event id exists.
[[nodiscard]] boost::asio::awaitable<Status> append_outbox(Transaction& tx, std::string schema,
                                                           CloudEvent event);

struct RelayConfig {
  std::string schema;
  std::size_t batch = 100;
  // How long to wait when the outbox is empty, and before retrying after a failure.
  std::chrono::milliseconds poll_interval{500};
  // Upper bound for stop() (a claim or mark statement in progress is finished first; each has the
  // pool's statement_timeout).
  std::chrono::milliseconds stop_timeout{10000};
};

// Owns one background loop (a platform::BackgroundLoop on its own strand of `io`).
// Ownership: `io`, `pool` and `publisher` must outlive the relay and whatever its loop is still
// doing; await stop() before destroying (destroying it unstopped logs an error and only requests
// the stop). Thread-safety: start()/stop() from one thread.
// Cancellation: stop() cancels the loop's waits: the poll interval, and the wait for the broker's
// acks of a batch in flight, whose transaction then rolls back (the rows stay unpublished and
// are published again, same ce_id, by the next relay). A statement in progress is finished.
// Bounded by stop_timeout. Errors: logged, the batch retried after poll_interval.
// Gauge: outbox_backlog{stream="pg:<schema>"}. Counter: outbox_published_total{stream=...}.
class PgOutboxRelay {
 public:
  PgOutboxRelay(boost::asio::io_context& io, Pool& pool, outbox::EventPublisher& publisher,
                RelayConfig config);
  ~PgOutboxRelay();
  PgOutboxRelay(const PgOutboxRelay&) = delete;
  PgOutboxRelay& operator=(const PgOutboxRelay&) = delete;

  void start();
  boost::asio::awaitable<void> stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace platform::pg
