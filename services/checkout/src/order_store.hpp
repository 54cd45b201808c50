#pragma once
// The Checkout's orders in PostgreSQL (schema CHECKOUT_PG_SCHEMA, migrations/): the order row,
// its history and its events' outbox rows, always written in one transaction, so an order is
// never without its OrderCreated and a status never changes without its history row and event.
// One order per session (a unique constraint): a second finalize of a session finds the first
// one's order.
//
// Thread-safety: every member may run concurrently from the threads of the pool's io_context.
// Ownership: the pool must outlive the store. Errors: the pool's (pool.hpp); Errc::conflict
// "order_exists" when the session already has an order; Errc::internal for a row that does not
// read back.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finalize_checks.hpp"
#include "order.hpp"
#include "platform/cloud_event.hpp"
#include "platform/error.hpp"
#include "platform/money.hpp"
#include "platform/pg/migrate.hpp"

namespace platform::pg {
class Pool;
class Transaction;
}  // namespace platform::pg

namespace checkout {

struct OrderRow {
  std::string order_id;
  std::string order_number;
  std::string session_id;
  std::string user_id;
  OrderStatus status = OrderStatus::awaiting_payment;
  std::string payment_method_id;
  bool online = false;
  platform::Money grand_total;
  std::optional<std::int64_t> hold_until_ms;  // online orders only
  bool stock_settled = false;
  std::optional<std::string> transaction_id;
  std::optional<std::string> gateway;
  std::optional<std::string> redirect_url;
  std::int64_t event_version = 0;
  std::vector<StockItem> stock_items;
  std::vector<std::string> promo_codes;
  std::string document;  // JSON: the order as placed
  std::string created_at;
  std::string updated_at;
  std::int64_t created_ms = 0;  // created_at, ms since the epoch
};

struct HistoryEntry {
  std::optional<std::string> from_status;
  std::string to_status;
  std::string cause;
  std::string at;
};

// The migrations in `dir` with the outbox table as version 2.
[[nodiscard]] platform::Result<std::vector<platform::pg::Migration>> checkout_migrations(
    const std::string& dir);

class OrderStore {
 public:
  OrderStore(platform::pg::Pool& pool, std::string schema);

  platform::pg::Pool& pool() { return pool_; }

  // The next order number's sequence value.
  boost::asio::awaitable<platform::Result<std::int64_t>> next_number(platform::pg::Transaction& tx);
  // The new order with its first history row.
  boost::asio::awaitable<platform::Status> insert(platform::pg::Transaction& tx,
                                                  const OrderRow& order, std::string cause);
  boost::asio::awaitable<platform::Status> append_event(platform::pg::Transaction& tx,
                                                        platform::CloudEvent event);

  boost::asio::awaitable<platform::Result<std::optional<OrderRow>>> find(std::string order_id);
  boost::asio::awaitable<platform::Result<std::optional<OrderRow>>> find_by_session(
      std::string session_id);
  // The user's orders, newest first.
  boost::asio::awaitable<platform::Result<std::vector<OrderRow>>> list_for_user(std::string user_id,
                                                                                int limit);
  boost::asio::awaitable<platform::Result<std::vector<HistoryEntry>>> history(std::string order_id);

  // The order locked for this transaction (FOR UPDATE); nullopt when unknown.
  boost::asio::awaitable<platform::Result<std::optional<OrderRow>>> lock(
      platform::pg::Transaction& tx, std::string order_id);
  // Records that event `event_id` is applied; false when it already was (a duplicate).
  boost::asio::awaitable<platform::Result<bool>> claim_event(platform::pg::Transaction& tx,
                                                             std::string event_id);
  // Writes the order's changing columns and, when `cause` is set, a history row from `from`.
  boost::asio::awaitable<platform::Status> update(platform::pg::Transaction& tx,
                                                  const OrderRow& order, OrderStatus from,
                                                  std::optional<std::string> cause);

  // The order's hold became a sale (one statement); false when that could not be written (the
  // sweeper settles it later).
  boost::asio::awaitable<bool> mark_settled(std::string order_id);

  // Ids of unpaid orders whose hold lapsed by `now_ms`, and of paid or confirmed orders whose
  // stock is not settled yet (oldest first, at most `limit` each).
  boost::asio::awaitable<platform::Result<std::vector<std::string>>> due_to_expire(
      std::int64_t now_ms, int limit);
  boost::asio::awaitable<platform::Result<std::vector<std::string>>> due_to_settle(int limit);

 private:
  std::string table(std::string_view name) const;
  // The order whose `column` (a unique one, named by this class) is `value`.
  boost::asio::awaitable<platform::Result<std::optional<OrderRow>>> find_one(
      std::string_view column, std::string value);

  platform::pg::Pool& pool_;
  std::string schema_;
};

}  // namespace checkout
