#include "platform/pg/outbox.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <functional>

#include "identifier.hpp"
#include "platform/background_loop.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"
#include "platform/pg/pool.hpp"

namespace platform::pg {
namespace asio = boost::asio;

namespace {

std::string encode_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  boost::json::array out;
  for (const auto& [name, value] : headers) out.push_back(boost::json::array{name, value});
  return boost::json::serialize(out);
}

std::vector<std::pair<std::string, std::string>> decode_headers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_array()) return out;
  for (const auto& item : parsed.as_array()) {
    const auto* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) continue;
    out.emplace_back(std::string((*pair)[0].as_string()), std::string((*pair)[1].as_string()));
  }
  return out;
}

// A text[] literal, quoting every element so any id survives.
std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string column(const QueryResult& rows, std::size_t row, std::string_view name) {
  return rows.value(row, name).value_or("");
}

}  // namespace

Migration outbox_migration(int version) {
  return Migration{version, "outbox", outbox_ddl()};
}

Result<std::vector<Migration>> migrations_with_outbox(const std::string& dir, int outbox_version,
                                                      std::string_view setting) {
  PLATFORM_TRY(auto migrations, load_migrations(dir));
  if (migrations.empty()) {
    return make_error(Errc::invalid, "no migrations in " + dir + " (" + std::string(setting) + ")");
  }
  for (const auto& migration : migrations) {
    if (migration.version == outbox_version) {
      return make_error(Errc::invalid, "migration version " + std::to_string(outbox_version) +
                                           " is the outbox's: renumber " + migration.name);
    }
  }
  migrations.push_back(outbox_migration(outbox_version));
  std::sort(migrations.begin(), migrations.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  return migrations;
}

asio::awaitable<Status> append_outbox(Transaction& tx, std::string schema, CloudEvent event) {
  if (!detail::valid_identifier(schema)) {
    co_return make_error(Errc::invalid, "invalid schema name '" + schema + "'", "invalid_schema");
  }
  // Params built outside co_await: g++ 12 rejects an initializer list inside a co_await operand.
  Params params{event.id,     event.topic,
                event.key,    event.type,
                event.source, event.subject,
                event.time,   event.traceparent,
                event.data,   encode_headers(event.extra_headers)};
  auto inserted = co_await tx.query(
      "INSERT INTO " + schema +
          ".outbox (id, topic, key, type, source, subject, time, traceparent, data, headers) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)",
      std::move(params));
  if (!inserted) co_return inserted.error();
  co_return Status{};
}

struct PgOutboxRelay::Impl {
  Impl(asio::io_context& io, Pool& p, outbox::EventPublisher& pub, RelayConfig cfg)
      : pool(p),
        publisher(pub),
        config(std::move(cfg)),
        loop(io, "outbox relay pg:" + config.schema),
        backlog(metrics::registry().gauge("outbox_backlog", "Outbox entries not yet published",
                                          {{"stream", "pg:" + config.schema}})),
        published(metrics::registry().counter("outbox_published_total", "Outbox entries published",
                                              {{"stream", "pg:" + config.schema}})) {}

  asio::awaitable<void> run(StopSignal stop);
  asio::awaitable<Result<std::size_t>> publish_batch(StopSignal stop, Transaction& tx);
  asio::awaitable<void> refresh_backlog();

  Pool& pool;
  outbox::EventPublisher& publisher;
  RelayConfig config;
  BackgroundLoop loop;
  bool running = false;
  bool publish_failed = false;  // set by publish_batch, read by run, both on the loop's strand
  metrics::Gauge& backlog;
  metrics::Counter& published;
};

// Claims the oldest unpublished rows, publishes them in order and marks those the broker
// acknowledged. Stops at the first failure so later events of the same key don't overtake it;
// returns ok with the rows marked even then, so the marks commit. Waiting for the acks is one of
// the loop's waits: stop() cancels it and the transaction rolls back, rows unpublished.
asio::awaitable<Result<std::size_t>> PgOutboxRelay::Impl::publish_batch(StopSignal stop,
                                                                        Transaction& tx) {
  publish_failed = false;
  Params select_params{std::to_string(config.batch)};
  PLATFORM_CO_TRY(auto rows,
                  co_await tx.query("SELECT id, topic, key, type, source, subject, time, "
                                    "traceparent, data, headers::text AS headers FROM " +
                                        config.schema +
                                        ".outbox WHERE published_at IS NULL ORDER BY seq "
                                        "LIMIT $1::int FOR UPDATE SKIP LOCKED",
                                    std::move(select_params)));
  std::vector<CloudEvent> events(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& event = events[i];
    event.id = column(rows, i, "id");
    event.topic = column(rows, i, "topic");
    event.key = column(rows, i, "key");
    event.type = column(rows, i, "type");
    event.source = column(rows, i, "source");
    event.subject = column(rows, i, "subject");
    event.time = column(rows, i, "time");
    event.traceparent = column(rows, i, "traceparent");
    event.data = column(rows, i, "data");
    event.extra_headers = decode_headers(column(rows, i, "headers"));
  }
  std::vector<std::string> ids;
  ids.reserve(events.size());
  for (const auto& event : events) ids.push_back(event.id);
  // The whole batch goes to the broker before the first ack is awaited (as the Redis relay does).
  auto acks = co_await stop.wait(publisher.publish_all(std::move(events)));
  if (!acks) co_return make_error(Errc::unavailable, "outbox relay stopped", "stopped");
  const auto& results = *acks;
  std::size_t acked = 0;
  while (acked < results.size() && results[acked]) ++acked;
  if (acked < results.size()) {
    spdlog::warn("outbox relay pg:{}: publishing {} failed, will retry: {}", config.schema,
                 ids[acked], results[acked].error().message);
    publish_failed = true;
  }
  ids.resize(acked);
  if (ids.empty()) co_return std::size_t{0};
  Params mark_params{text_array(ids)};
  PLATFORM_CO_TRY(auto marked, co_await tx.query("UPDATE " + config.schema +
                                                     ".outbox SET published_at = now() "
                                                     "WHERE id = ANY($1::text[])",
                                                 std::move(mark_params)));
  (void)marked;
  co_return ids.size();
}

asio::awaitable<void> PgOutboxRelay::Impl::refresh_backlog() {
  auto count = co_await pool.query("SELECT count(*) AS n FROM " + config.schema +
                                   ".outbox WHERE published_at IS NULL");
  if (count && count->size() == 1) backlog.set(std::stod(count->value(0, "n").value_or("0")));
}

asio::awaitable<void> PgOutboxRelay::Impl::run(StopSignal stop) {
  // Named, not a temporary in the co_await operand: g++ 12 destroys a lambda temporary that
  // captures by value (the StopSignal) too early there, and the relay crashed.
  const std::function<asio::awaitable<Result<std::size_t>>(Transaction&)> one_batch =
      [this, stop](Transaction& tx) {
        return publish_batch(stop, tx);
      };
  while (!stop.stop_requested()) {
    auto batch = co_await pool.transaction<std::size_t>(one_batch);
    if (batch) {
      published.inc(*batch);
    } else if (!stop.stop_requested()) {
      spdlog::warn("outbox relay pg:{}: {}", config.schema, batch.error().message);
    }
    if (stop.stop_requested()) break;
    co_await refresh_backlog();
    const bool more = batch && !publish_failed && *batch == config.batch;
    if (!more) co_await stop.sleep(config.poll_interval);
  }
}

PgOutboxRelay::PgOutboxRelay(asio::io_context& io, Pool& pool, outbox::EventPublisher& publisher,
                             RelayConfig config)
    : impl_(std::make_shared<Impl>(io, pool, publisher, std::move(config))) {
  if (!detail::valid_identifier(impl_->config.schema)) {
    throw std::invalid_argument("outbox relay: invalid schema name '" + impl_->config.schema + "'");
  }
}

PgOutboxRelay::~PgOutboxRelay() {
  if (impl_->running) {
    spdlog::error("outbox relay pg:{} destroyed without stop()", impl_->config.schema);
    impl_->loop.request_stop();  // the loop keeps the Impl alive until it returns
  }
}

void PgOutboxRelay::start() {
  if (impl_->running) return;
  impl_->running = true;
  impl_->loop.start([impl = impl_](StopSignal stop) { return impl->run(std::move(stop)); });
}

asio::awaitable<void> PgOutboxRelay::stop() {
  if (!impl_->running) co_return;
  auto impl = impl_;
  const bool ended =
      co_await impl->loop.stop(std::chrono::steady_clock::now() + impl->config.stop_timeout);
  if (!ended) spdlog::warn("outbox relay pg:{} did not stop in time", impl->config.schema);
  impl->running = false;
}

}  // namespace platform::pg
