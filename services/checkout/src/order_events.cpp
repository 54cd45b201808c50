#include "order_events.hpp"

#include <boost/json/serialize.hpp>

#include "contracts/catalog_product.hpp"
#include "platform/json_writer.hpp"

namespace checkout {

std::string order_created_data(const contracts::SessionEventHeader& header,
                               const std::string& order_id, const CheckoutView& view,
                               const Totals& totals) {
  platform::JsonWriter out(2048);
  contracts::begin_session_event_data(out, header);
  out.key("order_id").value(order_id);
  out.key("cart_hash").value(view.cart.cart_hash);
  out.key("lines").begin_array();
  for (const auto& line : view.cart.lines) {
    out.raw(boost::json::serialize(contracts::cart_line_to_json(line)));
  }
  out.end_array();
  out.key("warranties").begin_array();
  for (const auto& warranty : view.warranty.choices) {
    if (!counts(view, warranty)) continue;
    out.begin_object();
    out.key("item_id").value(warranty.item_id);
    out.key("plan_id").value(warranty.plan_id);
    out.key("price");
    contracts::write_money(out, warranty.price);
    out.end_object();
  }
  out.end_array();
  out.key("promotion_ids").begin_array();
  for (const auto& promotion : view.promotion.applied) out.value(promotion.promotion_id);
  out.end_array();
  out.key("shipping_method_id").value(view.shipping.method ? view.shipping.method->method_id : "");
  out.key("delivery_date");
  if (day_counts(view.shipping)) {
    out.value(view.shipping.day->date);
  } else {
    out.null();
  }
  out.key("payment_method_id").value(view.payment.method ? view.payment.method->method_id : "");
  out.key("totals").begin_object();
  const std::pair<const char*, const platform::Money*> amounts[] = {
      {"lines_total", &totals.lines_total},       {"warranties_total", &totals.warranties_total},
      {"shipping_total", &totals.shipping_total}, {"payment_fee", &totals.payment_fee},
      {"discount_total", &totals.discount_total}, {"grand_total", &totals.grand_total}};
  for (const auto& [name, amount] : amounts) {
    out.key(name);
    contracts::write_money(out, *amount);
  }
  out.end_object();
  out.end_object();
  return std::move(out).take();
}

std::string checkout_completed_data(const contracts::SessionEventHeader& header,
                                    const std::string& order_id, std::string_view outcome,
                                    const std::string& payment_method_id,
                                    const platform::Money& grand_total) {
  platform::JsonWriter out(512);
  contracts::begin_session_event_data(out, header);
  out.key("order_id").value(order_id);
  out.key("outcome").value(outcome);
  out.key("payment_method_id").value(payment_method_id);
  out.key("grand_total");
  contracts::write_money(out, grand_total);
  out.end_object();
  return std::move(out).take();
}

std::string order_cancelled_data(const contracts::SessionEventHeader& header,
                                 const std::string& order_id, std::string_view reason_code,
                                 std::string_view reason,
                                 const std::vector<std::string>& promo_codes) {
  platform::JsonWriter out(512);
  contracts::begin_session_event_data(out, header);
  out.key("order_id").value(order_id);
  out.key("reason_code").value(reason_code);
  out.key("reason").value(reason);
  out.key("promo_codes").begin_array();
  for (const auto& code : promo_codes) out.value(code);
  out.end_array();
  out.end_object();
  return std::move(out).take();
}

std::vector<std::string> promo_codes_of(const CheckoutView& view) {
  std::vector<std::string> codes;
  for (const auto& promotion : view.promotion.applied) {
    if (promotion.code) codes.push_back(*promotion.code);
  }
  return codes;
}

}  // namespace checkout
