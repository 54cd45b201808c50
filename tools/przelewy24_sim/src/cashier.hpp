#pragma once
// What happens when a customer acts on a transaction (pays, is declined, goes back) or the
// merchant asks for a refund: the books change and the notifications P24 would send are
// scheduled, signed with the merchant's CRC (or a wrong one, or with a shifted amount, as the
// faults say). Plain code, no I/O; thread-safe (the ledger, faults and queue are).
// Not copyable; the clock, ledger, faults and queue must outlive it.
#include <optional>
#include <string>
#include <string_view>

#include "gateway_sim/fault_config.hpp"
#include "gateway_sim/page_action.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "ledger.hpp"
#include "notification_queue.hpp"
#include "przelewy24_protocol.hpp"

namespace p24_sim {

// P24's methodId for what the customer used: BLIK 154, card 241, a bank transfer 25.
int method_for(const std::optional<int>& channel);

class Cashier {
 public:
  Cashier(payment::Przelewy24Credentials credentials, gateway_sim::SimClock& clock, Ledger& ledger,
          gateway_sim::FaultStore& faults, NotificationQueue& queue);
  Cashier(const Cashier&) = delete;
  Cashier& operator=(const Cashier&) = delete;

  // pay: status 1 and the notification (with its resends) to the transaction's urlStatus;
  // fail: no payment and no notification; abandon: nothing. Ledger errors as they are.
  [[nodiscard]] platform::Result<Transaction> act(const std::string& token,
                                                  gateway_sim::PageAction action,
                                                  std::optional<int> method = std::nullopt);

  // Books the refunds and schedules one notification per refund (status 0, done) to the
  // request's urlStatus, when it has one.
  [[nodiscard]] platform::Result<Refund> refund(RefundOrder order);

  [[nodiscard]] const payment::Przelewy24Credentials& credentials() const { return credentials_; }

 private:
  [[nodiscard]] std::string crc_for_notifications(const gateway_sim::FaultConfig& faults) const;

  payment::Przelewy24Credentials credentials_;
  gateway_sim::SimClock& clock_;
  Ledger& ledger_;
  gateway_sim::FaultStore& faults_;
  NotificationQueue& queue_;
};

}  // namespace p24_sim
