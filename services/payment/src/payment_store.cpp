#include "payment_store.hpp"

#include <algorithm>
#include <charconv>

#include "platform/pg/migrate.hpp"
#include "platform/pg/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace payment {
namespace {
namespace asio = boost::asio;
using platform::Errc;
using platform::make_error;
using platform::pg::Params;
using platform::pg::QueryResult;

constexpr std::string_view kTransactionColumns =
    "transaction_id, order_id, session_id, user_id, gateway, method_id, amount, currency, state, "
    "registration_reference, gateway_reference, redirect_url, refunded, review_reason, "
    "failure_reason, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
    "AS created_at, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
    "AS updated_at";

constexpr std::string_view kOrderColumns =
    "order_id, session_id, user_id, amount, currency, method_id, email,"
    " cancelled_at IS NOT NULL AS cancelled";

constexpr std::string_view kRefundColumns =
    "refund_id, transaction_id, amount, state, gateway_refund_id, reason, requested_by, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at";

platform::Error unreadable(std::string_view what) {
  return make_error(Errc::internal,
                    "a stored payment row does not read back: " + std::string(what));
}

std::string text(const QueryResult& rows, std::size_t row, std::string_view column) {
  return rows.value(row, column).value_or("");
}

platform::Result<std::int64_t> integer(const QueryResult& rows, std::size_t row,
                                       std::string_view column) {
  const auto value = text(rows, row, column);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc{} || end != value.data() + value.size()) return unreadable(column);
  return out;
}

platform::Result<std::optional<OrderRecord>> first_order(const QueryResult& rows) {
  if (rows.empty()) return std::optional<OrderRecord>();
  OrderRecord order;
  order.order_id = text(rows, 0, "order_id");
  order.session_id = text(rows, 0, "session_id");
  order.user_id = text(rows, 0, "user_id");
  PLATFORM_TRY(order.amount, integer(rows, 0, "amount"));
  order.currency = text(rows, 0, "currency");
  order.method_id = text(rows, 0, "method_id");
  order.email = text(rows, 0, "email");
  order.cancelled = text(rows, 0, "cancelled") == "t";
  return std::optional(std::move(order));
}

platform::Result<TransactionRecord> transaction_at(const QueryResult& rows, std::size_t row) {
  TransactionRecord record;
  record.transaction_id = text(rows, row, "transaction_id");
  record.order_id = text(rows, row, "order_id");
  record.session_id = text(rows, row, "session_id");
  record.user_id = text(rows, row, "user_id");
  const auto gateway = gateway_from_name(text(rows, row, "gateway"));
  if (!gateway) return unreadable("gateway");
  record.gateway = *gateway;
  record.method_id = text(rows, row, "method_id");
  PLATFORM_TRY(record.amount, integer(rows, row, "amount"));
  record.currency = text(rows, row, "currency");
  const auto state = tx_state_from(text(rows, row, "state"));
  if (!state) return unreadable("state");
  record.state = *state;
  record.registration_reference = rows.value(row, "registration_reference");
  record.gateway_reference = rows.value(row, "gateway_reference");
  record.redirect_url = rows.value(row, "redirect_url");
  PLATFORM_TRY(record.refunded, integer(rows, row, "refunded"));
  record.review_reason = rows.value(row, "review_reason");
  record.failure_reason = rows.value(row, "failure_reason");
  record.created_at = text(rows, row, "created_at");
  record.updated_at = text(rows, row, "updated_at");
  return record;
}

platform::Result<std::vector<TransactionRecord>> transactions_of(const QueryResult& rows) {
  std::vector<TransactionRecord> records;
  records.reserve(rows.size());
  for (std::size_t row = 0; row < rows.size(); ++row) {
    PLATFORM_TRY(auto record, transaction_at(rows, row));
    records.push_back(std::move(record));
  }
  return records;
}

platform::Result<std::optional<TransactionRecord>> first_transaction(const QueryResult& rows) {
  if (rows.empty()) return std::optional<TransactionRecord>();
  PLATFORM_TRY(auto record, transaction_at(rows, 0));
  return std::optional(std::move(record));
}

platform::Result<RefundRecord> refund_at(const QueryResult& rows, std::size_t row) {
  RefundRecord refund;
  refund.refund_id = text(rows, row, "refund_id");
  refund.transaction_id = text(rows, row, "transaction_id");
  PLATFORM_TRY(refund.amount, integer(rows, row, "amount"));
  const auto state = refund_state_from(text(rows, row, "state"));
  if (!state) return unreadable("refund state");
  refund.state = *state;
  refund.gateway_refund_id = rows.value(row, "gateway_refund_id");
  refund.reason = text(rows, row, "reason");
  refund.requested_by = text(rows, row, "requested_by");
  refund.created_at = text(rows, row, "created_at");
  return refund;
}

platform::Result<std::vector<RefundRecord>> refunds_of(const QueryResult& rows) {
  std::vector<RefundRecord> refunds;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    PLATFORM_TRY(auto refund, refund_at(rows, row));
    refunds.push_back(std::move(refund));
  }
  return refunds;
}

std::string seconds(std::chrono::seconds value) {
  return std::to_string(value.count());
}
}  // namespace

AttemptRef TransactionRecord::attempt() const {
  return AttemptRef{transaction_id, registration_reference.value_or(""),
                    gateway_reference.value_or(""), amount, currency};
}

platform::Result<std::vector<platform::pg::Migration>> payment_migrations(const std::string& dir) {
  // The outbox table is migration 2 (it came right after the tables); the files take the others.
  constexpr int kOutboxVersion = 2;
  return platform::pg::migrations_with_outbox(dir, kOutboxVersion, "PAYMENT_MIGRATIONS_DIR");
}

PaymentStore::PaymentStore(platform::pg::Pool& pool, std::string schema)
    : pool_(pool), schema_(std::move(schema)) {}

std::string PaymentStore::table(std::string_view name) const {
  return schema_ + "." + std::string(name);
}

asio::awaitable<platform::Result<bool>> PaymentStore::save_order(OrderRecord order) {
  Params params{order.order_id, order.session_id, order.user_id, std::to_string(order.amount),
                order.currency, order.method_id,  order.email};
  PLATFORM_CO_TRY(
      auto rows,
      co_await pool_.query("INSERT INTO " + table("orders") +
                               " (order_id, session_id, user_id, amount, currency, method_id,"
                               " email) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                               " ON CONFLICT (order_id) DO UPDATE SET"
                               " session_id = EXCLUDED.session_id, user_id = EXCLUDED.user_id,"
                               " amount = EXCLUDED.amount, currency = EXCLUDED.currency,"
                               " method_id = EXCLUDED.method_id, email = EXCLUDED.email,"
                               " tombstone = false WHERE orders.tombstone",
                           std::move(params)));
  co_return rows.affected_rows() == 1;
}

asio::awaitable<platform::Result<std::optional<OrderRecord>>> PaymentStore::order(
    std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await pool_.query("SELECT " + std::string(kOrderColumns) + " FROM " +
                                           table("orders") + " WHERE order_id = $1",
                                       std::move(params)));
  co_return first_order(rows);
}

asio::awaitable<platform::Result<std::optional<TransactionRecord>>> PaymentStore::transaction(
    std::string transaction_id) {
  Params params{std::move(transaction_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await pool_.query("SELECT " + std::string(kTransactionColumns) + " FROM " +
                                           table("transactions") + " WHERE transaction_id = $1",
                                       std::move(params)));
  co_return first_transaction(rows);
}

asio::awaitable<platform::Result<std::vector<TransactionRecord>>> PaymentStore::order_transactions(
    std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query(
                                 "SELECT " + std::string(kTransactionColumns) + " FROM " +
                                     table("transactions") +
                                     " WHERE order_id = $1 ORDER BY created_at, transaction_id",
                                 std::move(params)));
  co_return transactions_of(rows);
}

asio::awaitable<platform::Result<std::vector<HistoryEntry>>> PaymentStore::history(
    std::string transaction_id) {
  Params params{std::move(transaction_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await pool_.query(
                      "SELECT from_state, to_state, cause, to_char(at AT TIME ZONE 'UTC', "
                      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at FROM " +
                          table("transaction_history") + " WHERE transaction_id = $1 ORDER BY id",
                      std::move(params)));
  std::vector<HistoryEntry> entries;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    HistoryEntry entry;
    if (const auto& from = rows.value(row, "from_state")) entry.from = tx_state_from(*from);
    const auto to = tx_state_from(text(rows, row, "to_state"));
    if (!to) co_return unreadable("history state");
    entry.to = *to;
    entry.cause = text(rows, row, "cause");
    entry.at = text(rows, row, "at");
    entries.push_back(std::move(entry));
  }
  co_return entries;
}

asio::awaitable<platform::Result<std::vector<RefundRecord>>> PaymentStore::refunds(
    std::string transaction_id) {
  Params params{std::move(transaction_id)};
  PLATFORM_CO_TRY(
      auto rows,
      co_await pool_.query("SELECT " + std::string(kRefundColumns) + " FROM " + table("refunds") +
                               " WHERE transaction_id = $1 ORDER BY created_at, refund_id",
                           std::move(params)));
  co_return refunds_of(rows);
}

asio::awaitable<platform::Result<std::vector<TransactionRecord>>> PaymentStore::stale_live(
    std::chrono::seconds older_than, int limit) {
  Params params{seconds(older_than), std::to_string(limit)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query(
                                 "SELECT " + std::string(kTransactionColumns) + " FROM " +
                                     table("transactions") +
                                     " WHERE state IN ('registering', 'initialized', 'pending')"
                                     " AND COALESCE(checked_at, updated_at) <"
                                     " now() - make_interval(secs => $1::int)"
                                     " ORDER BY COALESCE(checked_at, updated_at) LIMIT $2::int",
                                 std::move(params)));
  co_return transactions_of(rows);
}

asio::awaitable<platform::Status> PaymentStore::mark_checked(std::string transaction_id) {
  Params params{std::move(transaction_id)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query("UPDATE " + table("transactions") +
                                                      " SET checked_at = now()"
                                                      " WHERE transaction_id = $1",
                                                  std::move(params)));
  (void)rows;
  co_return platform::Status{};
}

asio::awaitable<platform::Result<std::vector<RefundRecord>>> PaymentStore::stale_refunds(
    std::chrono::seconds older_than, int limit) {
  Params params{seconds(older_than), std::to_string(limit)};
  PLATFORM_CO_TRY(
      auto rows,
      co_await pool_.query("SELECT " + std::string(kRefundColumns) + " FROM " + table("refunds") +
                               " WHERE state = 'requested'"
                               " AND updated_at < now() - make_interval(secs => "
                               "$1::int) ORDER BY updated_at LIMIT $2::int",
                           std::move(params)));
  co_return refunds_of(rows);
}

asio::awaitable<platform::Status> PaymentStore::flag_for_review(std::string transaction_id,
                                                                std::string reason) {
  Params params{std::move(transaction_id), std::move(reason)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query("UPDATE " + table("transactions") +
                                                      " SET review_reason = $2, updated_at = now()"
                                                      " WHERE transaction_id = $1",
                                                  std::move(params)));
  (void)rows;
  co_return platform::Status{};
}

asio::awaitable<platform::Status> PaymentStore::add_alert(std::string gateway, std::string reason,
                                                          std::optional<std::string> transaction_id,
                                                          std::string detail) {
  Params params{std::move(gateway), std::move(reason), std::move(transaction_id),
                std::move(detail)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query("INSERT INTO " + table("webhook_alerts") +
                                                      " (gateway, reason, transaction_id, detail)"
                                                      " VALUES ($1, $2, $3, $4)",
                                                  std::move(params)));
  (void)rows;
  co_return platform::Status{};
}

asio::awaitable<platform::Status> PaymentStore::insert_transaction(platform::pg::Transaction& tx,
                                                                   const TransactionRecord& record,
                                                                   std::string cause) {
  Params params{record.transaction_id,
                record.order_id,
                record.session_id,
                record.user_id,
                std::string(gateway_name(record.gateway)),
                record.method_id,
                std::to_string(record.amount),
                record.currency,
                std::string(to_string(record.state))};
  PLATFORM_CO_TRY(auto inserted,
                  co_await tx.query("INSERT INTO " + table("transactions") +
                                        " (transaction_id, order_id, session_id, user_id, gateway,"
                                        " method_id, amount, currency, state)"
                                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                                    std::move(params)));
  (void)inserted;
  Params history{record.transaction_id, std::string(to_string(record.state)), std::move(cause)};
  PLATFORM_CO_TRY(auto added, co_await tx.query("INSERT INTO " + table("transaction_history") +
                                                    " (transaction_id, to_state, cause)"
                                                    " VALUES ($1, $2, $3)",
                                                std::move(history)));
  (void)added;
  co_return platform::Status{};
}

asio::awaitable<platform::Result<std::optional<TransactionRecord>>> PaymentStore::lock_transaction(
    platform::pg::Transaction& tx, std::string transaction_id) {
  Params params{std::move(transaction_id)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("SELECT " + std::string(kTransactionColumns) +
                                                   " FROM " + table("transactions") +
                                                   " WHERE transaction_id = $1 FOR UPDATE",
                                               std::move(params)));
  co_return first_transaction(rows);
}

asio::awaitable<platform::Result<std::optional<TransactionRecord>>> PaymentStore::lock_live_attempt(
    platform::pg::Transaction& tx, std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(
      auto rows,
      co_await tx.query("SELECT " + std::string(kTransactionColumns) + " FROM " +
                            table("transactions") +
                            " WHERE order_id = $1 AND state IN ('registering', 'initialized',"
                            " 'pending') FOR UPDATE",
                        std::move(params)));
  co_return first_transaction(rows);
}

asio::awaitable<platform::Status> PaymentStore::update_transaction(platform::pg::Transaction& tx,
                                                                   const TransactionRecord& record,
                                                                   TxState from,
                                                                   std::string cause) {
  Params params{record.transaction_id,         std::string(to_string(record.state)),
                record.registration_reference, record.gateway_reference,
                record.redirect_url,           std::to_string(record.refunded),
                record.review_reason,          record.failure_reason};
  PLATFORM_CO_TRY(auto updated,
                  co_await tx.query("UPDATE " + table("transactions") +
                                        " SET state = $2, registration_reference = $3,"
                                        " gateway_reference = $4, redirect_url = $5,"
                                        " refunded = $6, review_reason = $7, failure_reason = $8,"
                                        " updated_at = now() WHERE transaction_id = $1",
                                    std::move(params)));
  if (updated.affected_rows() != 1) co_return unreadable("no such transaction to update");
  if (record.state == from) co_return platform::Status{};
  Params history{record.transaction_id, std::string(to_string(from)),
                 std::string(to_string(record.state)), std::move(cause)};
  PLATFORM_CO_TRY(auto added, co_await tx.query("INSERT INTO " + table("transaction_history") +
                                                    " (transaction_id, from_state, to_state, cause)"
                                                    " VALUES ($1, $2, $3, $4)",
                                                std::move(history)));
  (void)added;
  co_return platform::Status{};
}

asio::awaitable<platform::Result<std::optional<OrderRecord>>> PaymentStore::lock_order(
    platform::pg::Transaction& tx, std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await tx.query("SELECT " + std::string(kOrderColumns) + " FROM " +
                                        table("orders") + " WHERE order_id = $1 FOR UPDATE",
                                    std::move(params)));
  co_return first_order(rows);
}

asio::awaitable<platform::Result<bool>> PaymentStore::save_tombstone(platform::pg::Transaction& tx,
                                                                     std::string order_id,
                                                                     std::string session_id,
                                                                     std::string user_id) {
  Params params{std::move(order_id), std::move(session_id), std::move(user_id)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("INSERT INTO " + table("orders") +
                                                   " (order_id, session_id, user_id, amount,"
                                                   " currency, method_id, tombstone)"
                                                   " VALUES ($1, $2, $3, 0, 'PLN', '', true)"
                                                   " ON CONFLICT DO NOTHING",
                                               std::move(params)));
  co_return rows.affected_rows() == 1;
}

asio::awaitable<platform::Status> PaymentStore::mark_cancelled(platform::pg::Transaction& tx,
                                                               std::string order_id,
                                                               std::string reason_code,
                                                               std::string reason) {
  Params params{std::move(order_id), std::move(reason_code), std::move(reason)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("UPDATE " + table("orders") +
                                                   " SET cancelled_at = now(),"
                                                   " cancel_reason_code = $2, cancel_reason = $3"
                                                   " WHERE order_id = $1",
                                               std::move(params)));
  if (rows.affected_rows() != 1) co_return unreadable("no such order to cancel");
  co_return platform::Status{};
}

asio::awaitable<platform::Result<std::vector<TransactionRecord>>> PaymentStore::lock_order_attempts(
    platform::pg::Transaction& tx, std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await tx.query("SELECT " + std::string(kTransactionColumns) + " FROM " +
                                        table("transactions") +
                                        " WHERE order_id = $1 ORDER BY created_at, transaction_id"
                                        " FOR UPDATE",
                                    std::move(params)));
  co_return transactions_of(rows);
}

asio::awaitable<platform::Result<bool>> PaymentStore::order_cancelled(platform::pg::Transaction& tx,
                                                                      std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("SELECT 1 FROM " + table("orders") +
                                                   " WHERE order_id = $1 AND cancelled_at IS NOT"
                                                   " NULL",
                                               std::move(params)));
  co_return !rows.empty();
}

asio::awaitable<platform::Result<bool>> PaymentStore::paid_elsewhere(platform::pg::Transaction& tx,
                                                                     std::string order_id,
                                                                     std::string transaction_id) {
  Params params{std::move(order_id), std::move(transaction_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await tx.query("SELECT 1 FROM " + table("transactions") +
                                        " WHERE order_id = $1 AND transaction_id <> $2 AND state IN"
                                        " ('succeeded', 'partially_refunded', 'refunded') LIMIT 1",
                                    std::move(params)));
  co_return !rows.empty();
}

asio::awaitable<platform::Result<bool>> PaymentStore::claim_gateway_event(
    platform::pg::Transaction& tx, Gateway gateway, std::string event_key,
    std::string transaction_id) {
  Params params{std::string(gateway_name(gateway)), std::move(event_key),
                std::move(transaction_id)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("INSERT INTO " + table("gateway_events") +
                                                   " (gateway, event_key, transaction_id)"
                                                   " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                               std::move(params)));
  co_return rows.affected_rows() == 1;
}

asio::awaitable<platform::Status> PaymentStore::insert_refund(platform::pg::Transaction& tx,
                                                              const RefundRecord& refund) {
  Params params{refund.refund_id,
                refund.transaction_id,
                std::to_string(refund.amount),
                std::string(to_string(refund.state)),
                refund.gateway_refund_id,
                refund.reason,
                refund.requested_by};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("INSERT INTO " + table("refunds") +
                                                   " (refund_id, transaction_id, amount, state,"
                                                   " gateway_refund_id, reason, requested_by)"
                                                   " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                               std::move(params)));
  (void)rows;
  co_return platform::Status{};
}

asio::awaitable<platform::Result<std::optional<RefundRecord>>> PaymentStore::lock_refund(
    platform::pg::Transaction& tx, std::string transaction_id, std::optional<std::string> refund_id,
    std::optional<std::string> gateway_refund_id) {
  Params params{std::move(transaction_id), std::move(refund_id), std::move(gateway_refund_id)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("SELECT " + std::string(kRefundColumns) + " FROM " +
                                                   table("refunds") +
                                                   " WHERE transaction_id = $1"
                                                   " AND (refund_id = $2 OR gateway_refund_id = $3)"
                                                   " ORDER BY refund_id LIMIT 1"
                                                   " FOR UPDATE",
                                               std::move(params)));
  if (rows.empty()) co_return std::optional<RefundRecord>();
  PLATFORM_CO_TRY(auto refund, refund_at(rows, 0));
  co_return std::optional(std::move(refund));
}

asio::awaitable<platform::Result<std::optional<RefundRecord>>> PaymentStore::lock_unassigned_refund(
    platform::pg::Transaction& tx, std::string transaction_id, std::int64_t amount,
    std::string gateway_refund_id) {
  Params params{std::move(transaction_id), std::to_string(amount), std::move(gateway_refund_id)};
  PLATFORM_CO_TRY(
      auto rows,
      co_await tx.query("SELECT " + std::string(kRefundColumns) + " FROM " + table("refunds") +
                            " WHERE transaction_id = $1 AND amount = $2::bigint"
                            " AND (gateway_refund_id = $3 OR (gateway_refund_id IS NULL"
                            " AND state IN ('requested', 'pending')))"
                            " ORDER BY refund_id LIMIT 2 FOR UPDATE",
                        std::move(params)));
  if (rows.size() != 1) co_return std::optional<RefundRecord>();
  PLATFORM_CO_TRY(auto refund, refund_at(rows, 0));
  co_return std::optional(std::move(refund));
}

asio::awaitable<platform::Status> PaymentStore::update_refund(platform::pg::Transaction& tx,
                                                              const RefundRecord& refund) {
  Params params{refund.refund_id, std::string(to_string(refund.state)), refund.gateway_refund_id};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("UPDATE " + table("refunds") +
                                                   " SET state = $2, gateway_refund_id = $3,"
                                                   " updated_at = now() WHERE refund_id = $1",
                                               std::move(params)));
  if (rows.affected_rows() != 1) co_return unreadable("no such refund to update");
  co_return platform::Status{};
}

asio::awaitable<platform::Result<std::int64_t>> PaymentStore::refunds_held(
    platform::pg::Transaction& tx, std::string transaction_id) {
  Params params{std::move(transaction_id)};
  PLATFORM_CO_TRY(
      auto rows,
      co_await tx.query("SELECT COALESCE(SUM(amount), 0) AS held FROM " + table("refunds") +
                            " WHERE transaction_id = $1 AND state <> 'failed'",
                        std::move(params)));
  co_return integer(rows, 0, "held");
}

asio::awaitable<platform::Status> PaymentStore::append_event(platform::pg::Transaction& tx,
                                                             platform::CloudEvent event) {
  co_return co_await platform::pg::append_outbox(tx, schema_, std::move(event));
}

}  // namespace payment
