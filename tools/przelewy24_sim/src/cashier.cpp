#include "cashier.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace p24_sim {
namespace {
constexpr int kMethodBlik = 154;
constexpr int kMethodCard = 241;
constexpr int kMethodTransfer = 25;
constexpr int kChannelBlik = 8192;
constexpr int kChannelCards = 4096 | 1;
}  // namespace

int method_for(const std::optional<int>& channel) {
  if (channel && (*channel & kChannelBlik) != 0) return kMethodBlik;
  if (channel && (*channel & kChannelCards) != 0) return kMethodCard;
  return kMethodTransfer;
}

Cashier::Cashier(payment::Przelewy24Credentials credentials, gateway_sim::SimClock& clock,
                 Ledger& ledger, gateway_sim::FaultStore& faults, NotificationQueue& queue)
    : credentials_(std::move(credentials)),
      clock_(clock),
      ledger_(ledger),
      faults_(faults),
      queue_(queue) {}

std::string Cashier::crc_for_notifications(const gateway_sim::FaultConfig& faults) const {
  return faults.bad_signature ? credentials_.crc + "-rotated" : credentials_.crc;
}

platform::Result<Transaction> Cashier::act(const std::string& token, gateway_sim::PageAction action,
                                           std::optional<int> method) {
  if (action == gateway_sim::PageAction::abandon) return ledger_.abandon(token);
  if (action == gateway_sim::PageAction::fail) {
    PLATFORM_TRY(auto failed, ledger_.fail(token));
    spdlog::info("{} declined: no notification", failed.order.session_id);
    return failed;
  }
  const auto existing = ledger_.by_token(token);
  const int method_id = method.value_or(existing ? method_for(existing->order.channel) : 0);
  PLATFORM_TRY(auto paid, ledger_.pay(token, method_id, clock_.now()));
  const auto faults = faults_.current();
  payment::przelewy24::TransactionNotice notice;
  notice.merchant_id = credentials_.merchant_id;
  notice.pos_id = credentials_.pos_id;
  notice.session_id = paid.order.session_id;
  notice.amount = paid.order.amount + faults.amount_delta;
  notice.origin_amount = paid.order.amount;
  notice.currency = paid.order.currency;
  notice.order_id = paid.order_id;
  notice.method_id = paid.method_id;
  notice.statement = paid.statement;
  const auto sign = payment::przelewy24::notification_sign(notice, crc_for_notifications(faults));
  if (paid.order.url_status.empty()) {
    spdlog::info("{} paid (orderId {}): no urlStatus, no notification", notice.session_id,
                 notice.order_id);
    return paid;
  }
  queue_.schedule_payment(paid.order.session_id, paid.order.url_status,
                          payment::przelewy24::notification_body(notice, sign), *paid.paid_at);
  spdlog::info("{} paid (orderId {}): notification to {}", notice.session_id, notice.order_id,
               paid.order.url_status);
  return paid;
}

platform::Result<Refund> Cashier::refund(RefundOrder order) {
  const auto now = clock_.now();
  PLATFORM_TRY(auto booked, ledger_.refund(std::move(order), now));
  if (booked.order.url_status.empty()) return booked;
  const auto faults = faults_.current();
  const auto timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  for (const auto& item : booked.order.refunds) {
    payment::przelewy24::RefundNotice notice;
    notice.order_id = item.order_id;
    notice.session_id = item.session_id;
    notice.merchant_id = credentials_.merchant_id;
    notice.request_id = booked.order.request_id;
    notice.refunds_uuid = booked.order.refunds_uuid;
    notice.amount = item.amount + faults.amount_delta;
    notice.currency = booked.currency;
    notice.timestamp = timestamp;
    notice.status = 0;
    const auto sign =
        payment::przelewy24::refund_notification_sign(notice, crc_for_notifications(faults));
    queue_.schedule_refund(item.session_id, booked.order.url_status,
                           payment::przelewy24::refund_notification_body(notice, sign), now);
  }
  spdlog::info("refund {} booked: {} notification(s) to {}", booked.order.request_id,
               booked.order.refunds.size(), booked.order.url_status);
  return booked;
}

}  // namespace p24_sim
