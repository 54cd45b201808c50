#include "ledger.hpp"

#include <algorithm>

#include "platform/ids.hpp"

namespace p24_sim {
namespace {
using platform::Errc;
using platform::make_error;

std::string new_token(std::uint64_t serial) {
  // P24's tokens look like "C1D1A5C7-4F"; the serial keeps ours unique, the random part opaque.
  std::string hex = platform::random_hex(4);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
    return static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
  });
  return hex + "-" + std::to_string(serial);
}

std::string statement_for(std::int64_t order_id) {
  // "p24-295-430-336": the orderId's last nine digits in threes.
  std::string out = "p24";
  for (const std::int64_t group :
       {order_id / 1000000 % 1000, order_id / 1000 % 1000, order_id % 1000}) {
    const auto digits = std::to_string(group);
    out += "-" + std::string(3 - digits.size(), '0') + digits;
  }
  return out;
}
}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::open:
      return "open";
    case Outcome::paid:
      return "paid";
    case Outcome::failed:
      return "failed";
  }
  return "open";
}

platform::Result<Transaction> Ledger::register_transaction(RegisterOrder order,
                                                           platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  if (by_session_.contains(order.session_id)) {
    return make_error(Errc::conflict, "sessionId already used", "duplicate_session");
  }
  Transaction transaction;
  transaction.token = new_token(++tokens_issued_);
  transaction.order_id = next_order_id_++;
  transaction.registered_at = now;
  transaction.order = std::move(order);
  token_to_session_[transaction.token] = transaction.order.session_id;
  const auto [it, inserted] = by_session_.emplace(transaction.order.session_id, transaction);
  (void)inserted;
  return it->second;
}

std::optional<Transaction> Ledger::by_token(const std::string& token) const {
  const std::lock_guard lock(mutex_);
  const auto session = token_to_session_.find(token);
  if (session == token_to_session_.end()) return std::nullopt;
  return by_session_.at(session->second);
}

std::optional<Transaction> Ledger::by_session(const std::string& session_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = by_session_.find(session_id);
  if (it == by_session_.end()) return std::nullopt;
  return it->second;
}

Transaction* Ledger::find_session_locked(const std::string& session_id) {
  const auto it = by_session_.find(session_id);
  return it == by_session_.end() ? nullptr : &it->second;
}

platform::Result<Transaction> Ledger::pay(const std::string& token, int method_id,
                                          platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  const auto session = token_to_session_.find(token);
  if (session == token_to_session_.end()) {
    return make_error(Errc::not_found, "unknown token", "unknown_token");
  }
  auto& transaction = by_session_.at(session->second);
  if (transaction.outcome != Outcome::open) {
    return make_error(
        Errc::conflict,
        "the transaction is already " + std::string(outcome_name(transaction.outcome)),
        "transaction_closed");
  }
  const auto limit = std::chrono::minutes(transaction.order.time_limit_min);
  if (limit.count() > 0 && now > transaction.registered_at + limit) {
    return make_error(Errc::conflict, "err102: allowed time for transaction has expired",
                      "time_limit_expired");
  }
  transaction.outcome = Outcome::paid;
  transaction.status = 1;
  transaction.paid_at = now;
  transaction.method_id = method_id;
  transaction.statement = statement_for(transaction.order_id);
  return transaction;
}

platform::Result<Transaction> Ledger::fail(const std::string& token) {
  const std::lock_guard lock(mutex_);
  const auto session = token_to_session_.find(token);
  if (session == token_to_session_.end()) {
    return make_error(Errc::not_found, "unknown token", "unknown_token");
  }
  auto& transaction = by_session_.at(session->second);
  if (transaction.outcome != Outcome::open) {
    return make_error(
        Errc::conflict,
        "the transaction is already " + std::string(outcome_name(transaction.outcome)),
        "transaction_closed");
  }
  transaction.outcome = Outcome::failed;
  return transaction;
}

platform::Result<Transaction> Ledger::abandon(const std::string& token) {
  const std::lock_guard lock(mutex_);
  const auto session = token_to_session_.find(token);
  if (session == token_to_session_.end()) {
    return make_error(Errc::not_found, "unknown token", "unknown_token");
  }
  // The customer went back to the shop: nothing changes, the transaction stays payable until
  // its time limit, as on P24's page.
  return by_session_.at(session->second);
}

platform::Status Ledger::verify(const std::string& session_id, std::int64_t order_id,
                                std::int64_t amount, const std::string& currency) {
  const std::lock_guard lock(mutex_);
  auto* transaction = find_session_locked(session_id);
  if (transaction == nullptr) {
    return make_error(Errc::not_found, "Transaction not found", "unknown_session");
  }
  if (transaction->order_id != order_id) {
    return make_error(Errc::invalid, "orderId does not match the sessionId", "wrong_order_id");
  }
  if (transaction->order.amount != amount || transaction->order.currency != currency) {
    return make_error(Errc::invalid, "amount or currency differ from the payment", "wrong_amount");
  }
  if (transaction->status == 0) {
    return make_error(Errc::invalid, "Transaction not paid", "not_paid");
  }
  if (transaction->status == 1) transaction->status = 2;
  return {};
}

platform::Result<Refund> Ledger::refund(RefundOrder order, platform::TimePoint now) {
  const std::lock_guard lock(mutex_);
  for (const auto& earlier : refunds_) {
    if (earlier.order.request_id == order.request_id) {
      return make_error(Errc::conflict, "Request already exists", "duplicate_request");
    }
  }
  std::map<std::string, std::int64_t> asked;  // per sessionId, within this request
  std::string currency;
  for (const auto& item : order.refunds) {
    const auto* transaction = find_session_locked(item.session_id);
    if (transaction == nullptr || transaction->order_id != item.order_id) {
      return make_error(Errc::not_found, "Transaction not found", "unknown_transaction");
    }
    if (transaction->status != 2 && transaction->status != 3) {
      return make_error(Errc::invalid, "Transaction in wrong status - cannot refund",
                        "wrong_status");
    }
    asked[item.session_id] += item.amount;
    if (item.amount <= 0 ||
        transaction->refunded + asked[item.session_id] > transaction->order.amount) {
      return make_error(Errc::invalid,
                        "The amount of refund exceeds available amount for the transaction",
                        "too_much");
    }
    currency = transaction->order.currency;
  }
  for (const auto& item : order.refunds) {
    auto& transaction = *find_session_locked(item.session_id);
    transaction.refunded += item.amount;
    if (transaction.refunded == transaction.order.amount) transaction.status = 3;
  }
  refunds_.push_back(Refund{std::move(order), now, currency});
  return refunds_.back();
}

void Ledger::note_notification_sent(const std::string& session_id) {
  const std::lock_guard lock(mutex_);
  if (auto* transaction = find_session_locked(session_id)) ++transaction->notifications_sent;
}

bool Ledger::settled(const std::string& session_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = by_session_.find(session_id);
  return it == by_session_.end() || it->second.status >= 2;
}

std::vector<Transaction> Ledger::transactions() const {
  const std::lock_guard lock(mutex_);
  std::vector<Transaction> out;
  out.reserve(by_session_.size());
  for (const auto& [session, transaction] : by_session_) out.push_back(transaction);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.order_id < b.order_id; });
  return out;
}

std::vector<Refund> Ledger::refunds() const {
  const std::lock_guard lock(mutex_);
  return refunds_;
}

void Ledger::clear() {
  const std::lock_guard lock(mutex_);
  by_session_.clear();
  token_to_session_.clear();
  refunds_.clear();
  // orderIds keep growing across resets, as P24's never repeat.
}

}  // namespace p24_sim
