#pragma once
// The simulator's books: registered transactions (by token, sessionId and orderId), their P24
// status (0 no payment, 1 paid not verified, 2 verified, 3 returned) and the refunds. Plain code,
// no I/O; thread-safe (one mutex; every answer is a copy).
//
// Errors: Errc::conflict (a sessionId or refund requestId used twice, a transaction that can no
// longer be paid), Errc::not_found (no such token, sessionId or orderId), Errc::invalid (verify
// or refund data that do not match, a transaction in the wrong status, too much refunded).
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "platform/clock.hpp"
#include "platform/error.hpp"

namespace p24_sim {

// The first orderId handed out: beyond 2^32, as P24's own are beyond 2^31.
inline constexpr std::int64_t kFirstOrderId = 4295430336;

enum class Outcome { open, paid, failed };
std::string_view outcome_name(Outcome outcome);

struct RegisterOrder {
  std::string session_id;
  std::int64_t amount = 0;
  std::string currency;
  std::string description;
  std::string email;
  std::string client;
  std::string url_return;
  std::string url_status;
  int time_limit_min = 0;  // 0: none
  std::optional<int> channel;
};

struct Transaction {
  RegisterOrder order;
  std::string token;
  std::int64_t order_id = 0;
  platform::TimePoint registered_at{};
  int status = 0;  // P24's: 0 no payment, 1 paid, 2 verified, 3 returned
  Outcome outcome = Outcome::open;
  std::optional<platform::TimePoint> paid_at;
  int method_id = 0;
  std::string statement;
  std::int64_t refunded = 0;
  int notifications_sent = 0;
};

struct RefundItem {
  std::int64_t order_id = 0;
  std::string session_id;
  std::int64_t amount = 0;
  std::string description;
};

struct RefundOrder {
  std::string request_id;
  std::string refunds_uuid;
  std::string url_status;
  std::vector<RefundItem> refunds;
};

struct Refund {
  RefundOrder order;
  platform::TimePoint requested_at{};
  std::string currency;  // of the refunded transactions
};

class Ledger {
 public:
  [[nodiscard]] platform::Result<Transaction> register_transaction(RegisterOrder order,
                                                                   platform::TimePoint now);
  std::optional<Transaction> by_token(const std::string& token) const;
  std::optional<Transaction> by_session(const std::string& session_id) const;

  // 0 → 1 (method, statement, paid_at). Errc::conflict unless open and within its time limit.
  [[nodiscard]] platform::Result<Transaction> pay(const std::string& token, int method_id,
                                                  platform::TimePoint now);
  // The bank declined: no payment, and no notification (P24 sends none for failures).
  // Errc::conflict unless open.
  [[nodiscard]] platform::Result<Transaction> fail(const std::string& token);
  // The customer went back without paying: nothing changes. Errc::not_found only.
  [[nodiscard]] platform::Result<Transaction> abandon(const std::string& token);

  // 1 → 2 (2 stays 2). Errc::invalid when orderId, amount or currency differ from what was
  // registered and paid, or nothing was paid.
  [[nodiscard]] platform::Status verify(const std::string& session_id, std::int64_t order_id,
                                        std::int64_t amount, const std::string& currency);

  // All the refunds of one request or none: each names a verified transaction (orderId and
  // sessionId) with enough left to refund. A transaction refunded in full becomes status 3.
  // Errc::conflict for a requestId seen before.
  [[nodiscard]] platform::Result<Refund> refund(RefundOrder order, platform::TimePoint now);

  void note_notification_sent(const std::string& session_id);
  // True once verified (status 2 or 3) or unknown: P24 stops resending.
  bool settled(const std::string& session_id) const;

  std::vector<Transaction> transactions() const;
  std::vector<Refund> refunds() const;
  void clear();

 private:
  Transaction* find_session_locked(const std::string& session_id);

  mutable std::mutex mutex_;
  std::map<std::string, Transaction> by_session_;
  std::map<std::string, std::string> token_to_session_;
  std::vector<Refund> refunds_;
  std::int64_t next_order_id_ = kFirstOrderId;
  std::uint64_t tokens_issued_ = 0;
};

}  // namespace p24_sim
