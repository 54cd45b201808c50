#pragma once
// The data of the Checkout's order events (contracts/events: OrderCreated, CheckoutCompleted,
// OrderCancelled), written from the session's view and its totals. Pure.
#include <string>
#include <vector>

#include "contracts/session_event.hpp"
#include "totals.hpp"
#include "view.hpp"

namespace checkout {

// OrderCreated: the lines, the warranties still counted, the promotions, delivery and payment.
std::string order_created_data(const contracts::SessionEventHeader& header,
                               const std::string& order_id, const CheckoutView& view,
                               const Totals& totals);

// CheckoutCompleted: `outcome` paid or cash_on_delivery.
std::string checkout_completed_data(const contracts::SessionEventHeader& header,
                                    const std::string& order_id, std::string_view outcome,
                                    const std::string& payment_method_id,
                                    const platform::Money& grand_total);

// OrderCancelled: `reason_code` hold_expired, paid_after_hold or cancelled_by_customer.
std::string order_cancelled_data(const contracts::SessionEventHeader& header,
                                 const std::string& order_id, std::string_view reason_code,
                                 std::string_view reason,
                                 const std::vector<std::string>& promo_codes);

// The promo codes the view's promotions used (OrderCancelled gives their uses back).
std::vector<std::string> promo_codes_of(const CheckoutView& view);

}  // namespace checkout
