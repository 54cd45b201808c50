#include "order_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "platform/pg/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace checkout {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
using platform::Errc;
using platform::make_error;
using platform::pg::Params;
using platform::pg::QueryResult;

constexpr std::string_view kColumns =
    "order_id, order_number, session_id, user_id, status, payment_method_id, online, "
    "grand_total, currency, (extract(epoch FROM hold_until) * 1000)::bigint AS hold_until_ms, "
    "stock_settled, transaction_id, gateway, redirect_url, event_version, stock_items::text AS "
    "stock_items, promo_codes::text AS promo_codes, document::text AS document, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at, "
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS updated_at, "
    "(extract(epoch FROM created_at) * 1000)::bigint AS created_ms";

platform::Error unreadable(std::string_view what) {
  return make_error(Errc::internal, "a stored order does not read back: " + std::string(what));
}

std::string stock_items_json(const std::vector<StockItem>& items) {
  json::array out;
  for (const auto& item : items) {
    out.push_back(json::object{{"sku", item.sku}, {"quantity", item.quantity}});
  }
  return json::serialize(out);
}

std::string strings_json(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return json::serialize(out);
}

platform::Result<std::vector<StockItem>> stock_items_from(const std::string& text) {
  boost::system::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return unreadable("stock_items");
  std::vector<StockItem> items;
  for (const auto& entry : parsed.as_array()) {
    const auto* object = entry.if_object();
    const auto* sku = object != nullptr ? object->if_contains("sku") : nullptr;
    const auto* quantity = object != nullptr ? object->if_contains("quantity") : nullptr;
    if (sku == nullptr || !sku->is_string() || quantity == nullptr || !quantity->is_int64()) {
      return unreadable("stock_items");
    }
    items.push_back(StockItem{std::string(sku->as_string()), quantity->as_int64()});
  }
  return items;
}

platform::Result<std::vector<std::string>> strings_from(const std::string& text) {
  boost::system::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) return unreadable("promo_codes");
  std::vector<std::string> values;
  for (const auto& entry : parsed.as_array()) {
    if (!entry.is_string()) return unreadable("promo_codes");
    values.emplace_back(entry.as_string());
  }
  return values;
}

platform::Result<OrderRow> order_at(const QueryResult& rows, std::size_t row) {
  OrderRow order;
  order.order_id = rows.text(row, "order_id");
  order.order_number = rows.text(row, "order_number");
  order.session_id = rows.text(row, "session_id");
  order.user_id = rows.text(row, "user_id");
  const auto status = order_status_from(rows.text(row, "status"));
  if (!status) return unreadable("status");
  order.status = *status;
  order.payment_method_id = rows.text(row, "payment_method_id");
  order.online = rows.text(row, "online") == "t";
  const auto total = rows.integer(row, "grand_total");
  if (!total) return unreadable("grand_total");
  order.grand_total = platform::Money{*total, rows.text(row, "currency")};
  order.hold_until_ms = rows.integer(row, "hold_until_ms");
  order.stock_settled = rows.text(row, "stock_settled") == "t";
  order.transaction_id = rows.value(row, "transaction_id");
  order.gateway = rows.value(row, "gateway");
  order.redirect_url = rows.value(row, "redirect_url");
  const auto version = rows.integer(row, "event_version");
  if (!version) return unreadable("event_version");
  order.event_version = *version;
  PLATFORM_TRY(order.stock_items, stock_items_from(rows.text(row, "stock_items")));
  PLATFORM_TRY(order.promo_codes, strings_from(rows.text(row, "promo_codes")));
  order.document = rows.text(row, "document");
  order.created_at = rows.text(row, "created_at");
  order.updated_at = rows.text(row, "updated_at");
  order.created_ms = rows.integer(row, "created_ms").value_or(0);
  return order;
}

platform::Result<std::optional<OrderRow>> first_order(const QueryResult& rows) {
  if (rows.empty()) return std::optional<OrderRow>{};
  PLATFORM_TRY(auto order, order_at(rows, 0));
  return std::optional<OrderRow>(std::move(order));
}

std::vector<std::string> ids_of(const QueryResult& rows) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (std::size_t row = 0; row < rows.size(); ++row) ids.push_back(rows.text(row, "order_id"));
  return ids;
}

std::optional<std::string> hold_until_param(const OrderRow& order) {
  if (!order.hold_until_ms) return std::nullopt;
  return std::to_string(*order.hold_until_ms);
}

}  // namespace

platform::Result<std::vector<platform::pg::Migration>> checkout_migrations(const std::string& dir) {
  constexpr int kOutboxVersion = 2;
  return platform::pg::migrations_with_outbox(dir, kOutboxVersion, "CHECKOUT_MIGRATIONS_DIR");
}

OrderStore::OrderStore(platform::pg::Pool& pool, std::string schema)
    : pool_(pool), schema_(std::move(schema)) {}

std::string OrderStore::table(std::string_view name) const {
  return schema_ + "." + std::string(name);
}

asio::awaitable<platform::Result<std::int64_t>> OrderStore::next_number(
    platform::pg::Transaction& tx) {
  PLATFORM_CO_TRY(auto rows,
                  co_await tx.query("SELECT nextval('" + table("order_numbers") + "') AS n"));
  const auto number = rows.empty() ? std::nullopt : rows.integer(0, "n");
  if (!number) co_return unreadable("order_numbers");
  co_return *number;
}

asio::awaitable<platform::Status> OrderStore::insert(platform::pg::Transaction& tx,
                                                     const OrderRow& order, std::string cause) {
  Params params{order.order_id,
                order.order_number,
                order.session_id,
                order.user_id,
                std::string(to_string(order.status)),
                order.payment_method_id,
                order.online ? "true" : "false",
                std::to_string(order.grand_total.amount),
                order.grand_total.currency,
                hold_until_param(order),
                order.stock_settled ? "true" : "false",
                std::to_string(order.event_version),
                stock_items_json(order.stock_items),
                strings_json(order.promo_codes),
                order.document};
  auto inserted = co_await tx.query(
      "INSERT INTO " + table("orders") +
          " (order_id, order_number, session_id, user_id, status, payment_method_id, online,"
          " grand_total, currency, hold_until, stock_settled, event_version, stock_items,"
          " promo_codes, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
          " to_timestamp($10::bigint / 1000.0), $11, $12, $13::jsonb, $14::jsonb, $15::jsonb)",
      std::move(params));
  if (!inserted) {
    if (inserted.error().code == Errc::conflict) {
      co_return make_error(Errc::conflict, "the session already has an order", "order_exists");
    }
    co_return inserted.error();
  }
  Params history{order.order_id, std::string(to_string(order.status)), std::move(cause)};
  PLATFORM_CO_TRY(auto written, co_await tx.query("INSERT INTO " + table("order_history") +
                                                      " (order_id, from_status, to_status, cause)"
                                                      " VALUES ($1, NULL, $2, $3)",
                                                  std::move(history)));
  (void)written;
  co_return platform::Status{};
}

asio::awaitable<platform::Status> OrderStore::append_event(platform::pg::Transaction& tx,
                                                           platform::CloudEvent event) {
  co_return co_await platform::pg::append_outbox(tx, schema_, std::move(event));
}

asio::awaitable<platform::Result<std::optional<OrderRow>>> OrderStore::find(std::string order_id) {
  return find_one("order_id", std::move(order_id));
}

asio::awaitable<platform::Result<std::optional<OrderRow>>> OrderStore::find_by_session(
    std::string session_id) {
  return find_one("session_id", std::move(session_id));
}

asio::awaitable<platform::Result<std::optional<OrderRow>>> OrderStore::find_one(
    std::string_view column, std::string value) {
  Params params{std::move(value)};
  const auto sql = "SELECT " + std::string(kColumns) + " FROM " + table("orders") + " WHERE " +
                   std::string(column) + " = $1";
  PLATFORM_CO_TRY(auto rows, co_await pool_.query(sql, std::move(params)));
  co_return first_order(rows);
}

asio::awaitable<platform::Result<std::vector<OrderRow>>> OrderStore::list_for_user(
    std::string user_id, int limit) {
  Params params{std::move(user_id), std::to_string(limit)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query(
                                 "SELECT " + std::string(kColumns) + " FROM " + table("orders") +
                                     " WHERE user_id = $1 ORDER BY created_at DESC,"
                                     " order_id LIMIT $2::int",
                                 std::move(params)));
  std::vector<OrderRow> orders;
  orders.reserve(rows.size());
  for (std::size_t row = 0; row < rows.size(); ++row) {
    PLATFORM_CO_TRY(auto order, order_at(rows, row));
    orders.push_back(std::move(order));
  }
  co_return orders;
}

asio::awaitable<platform::Result<std::vector<HistoryEntry>>> OrderStore::history(
    std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(
      auto rows,
      co_await pool_.query("SELECT from_status, to_status, cause, to_char(at AT TIME ZONE 'UTC',"
                           " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at FROM " +
                               table("order_history") + " WHERE order_id = $1 ORDER BY id",
                           std::move(params)));
  std::vector<HistoryEntry> entries;
  entries.reserve(rows.size());
  for (std::size_t row = 0; row < rows.size(); ++row) {
    entries.push_back(HistoryEntry{rows.value(row, "from_status"), rows.text(row, "to_status"),
                                   rows.text(row, "cause"), rows.text(row, "at")});
  }
  co_return entries;
}

asio::awaitable<platform::Result<std::optional<OrderRow>>> OrderStore::lock(
    platform::pg::Transaction& tx, std::string order_id) {
  Params params{std::move(order_id)};
  PLATFORM_CO_TRY(auto rows,
                  co_await tx.query("SELECT " + std::string(kColumns) + " FROM " + table("orders") +
                                        " WHERE order_id = $1 FOR UPDATE",
                                    std::move(params)));
  co_return first_order(rows);
}

asio::awaitable<platform::Result<bool>> OrderStore::claim_event(platform::pg::Transaction& tx,
                                                                std::string event_id) {
  Params params{std::move(event_id)};
  PLATFORM_CO_TRY(auto rows, co_await tx.query("INSERT INTO " + table("applied_events") +
                                                   " (event_id) VALUES ($1) ON CONFLICT DO NOTHING",
                                               std::move(params)));
  co_return rows.affected_rows() == 1;
}

asio::awaitable<platform::Status> OrderStore::update(platform::pg::Transaction& tx,
                                                     const OrderRow& order, OrderStatus from,
                                                     std::optional<std::string> cause) {
  Params params{order.order_id,
                std::string(to_string(order.status)),
                order.stock_settled ? "true" : "false",
                order.transaction_id,
                order.gateway,
                order.redirect_url,
                std::to_string(order.event_version)};
  PLATFORM_CO_TRY(auto updated,
                  co_await tx.query("UPDATE " + table("orders") +
                                        " SET status = $2, stock_settled = $3, transaction_id = $4,"
                                        " gateway = $5, redirect_url = $6, event_version = $7,"
                                        " updated_at = now() WHERE order_id = $1",
                                    std::move(params)));
  if (updated.affected_rows() != 1) co_return make_error(Errc::not_found, "the order vanished");
  if (!cause) co_return platform::Status{};
  Params history{order.order_id, std::string(to_string(from)), std::string(to_string(order.status)),
                 std::move(*cause)};
  PLATFORM_CO_TRY(auto written, co_await tx.query("INSERT INTO " + table("order_history") +
                                                      " (order_id, from_status, to_status, cause)"
                                                      " VALUES ($1, $2, $3, $4)",
                                                  std::move(history)));
  (void)written;
  co_return platform::Status{};
}

asio::awaitable<bool> OrderStore::mark_settled(std::string order_id) {
  Params params{std::move(order_id)};
  auto updated = co_await pool_.query(
      "UPDATE " + table("orders") + " SET stock_settled = true WHERE order_id = $1",
      std::move(params));
  co_return updated.has_value();
}

asio::awaitable<platform::Result<std::vector<std::string>>> OrderStore::due_to_expire(
    std::int64_t now_ms, int limit) {
  Params params{std::to_string(now_ms), std::to_string(limit)};
  PLATFORM_CO_TRY(auto rows,
                  co_await pool_.query("SELECT order_id FROM " + table("orders") +
                                           " WHERE status IN ('awaiting_payment', 'payment_failed')"
                                           " AND hold_until <= to_timestamp($1::bigint / 1000.0)"
                                           " ORDER BY hold_until LIMIT $2::int",
                                       std::move(params)));
  co_return ids_of(rows);
}

asio::awaitable<platform::Result<std::vector<std::string>>> OrderStore::due_to_settle(int limit) {
  Params params{std::to_string(limit)};
  PLATFORM_CO_TRY(auto rows, co_await pool_.query("SELECT order_id FROM " + table("orders") +
                                                      " WHERE status IN ('paid', 'confirmed') AND"
                                                      " NOT stock_settled ORDER BY updated_at"
                                                      " LIMIT $1::int",
                                                  std::move(params)));
  co_return ids_of(rows);
}

}  // namespace checkout
