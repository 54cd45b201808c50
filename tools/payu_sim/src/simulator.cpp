#include "simulator.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "payu_protocol.hpp"
#include "platform/crypto.hpp"
#include "platform/ids.hpp"

namespace payu_sim {
namespace {
namespace json = boost::json;
namespace payu = payment::payu;
using platform::Errc;
using platform::make_error;

platform::Error no_order(std::string_view id) {
  return make_error(Errc::not_found, "Order " + std::string(id) + " not found", "DATA_NOT_FOUND");
}

platform::Error oauth_refused(std::string_view error, std::string_view description) {
  return make_error(Errc::unauthenticated, std::string(description), std::string(error));
}

platform::Error refused(std::string_view code, std::string description) {
  return make_error(Errc::malformed, std::move(description), std::string(code));
}

bool terminal(std::string_view status) {
  return status == "COMPLETED" || status == "CANCELED";
}

// PayU-looking order ids: "PAYUSIM" + 8 digits + "GUEST000P01".
std::string order_id_for(std::uint64_t number) {
  constexpr std::size_t kDigits = 8;
  auto digits = std::to_string(number);
  if (digits.size() < kDigits) digits.insert(0, kDigits - digits.size(), '0');
  return "PAYUSIM" + digits + "GUEST000P01";
}

bool same_request(const Refund& refund, const RefundAsk& ask, std::int64_t amount,
                  std::string_view currency) {
  return refund.description == ask.description && refund.amount == amount &&
         refund.currency == currency;
}
}  // namespace

Simulator::Simulator(SimConfig config, gateway_sim::SimClock& clock)
    : config_(std::move(config)), clock_(clock) {}

platform::Result<json::object> Simulator::issue_token(std::string_view form_body) {
  const auto form = payu::parse_form(form_body);
  if (!form) return oauth_refused("invalid_request", "the body is not form-encoded");
  const auto grant = payu::form_value(*form, "grant_type");
  if (grant != "client_credentials") {
    return oauth_refused("unsupported_grant_type", "grant_type must be client_credentials");
  }
  const auto id = payu::form_value(*form, "client_id").value_or("");
  const auto secret = payu::form_value(*form, "client_secret").value_or("");
  if (!platform::crypto::constant_time_equal(id, config_.client_id) ||
      !platform::crypto::constant_time_equal(secret, config_.client_secret)) {
    return oauth_refused("invalid_client", "Bad client credentials");
  }
  auto token = platform::new_uuid();
  const std::lock_guard lock(mutex_);
  tokens_[token] = clock_.now() + config_.token_lifetime;
  return json::object{{"access_token", token},
                      {"token_type", "bearer"},
                      {"expires_in", config_.token_lifetime.count()},
                      {"grant_type", "client_credentials"}};
}

bool Simulator::authorized(std::optional<std::string_view> authorization) const {
  if (!authorization) return false;
  if (authorization->starts_with("Bearer ") || authorization->starts_with("bearer ")) {
    const auto token = authorization->substr(7);
    const std::lock_guard lock(mutex_);
    const auto it = tokens_.find(token);
    return it != tokens_.end() && clock_.now() < it->second;
  }
  if (authorization->starts_with("Basic ")) {
    const auto expected =
        "Basic " + platform::crypto::base64_encode(config_.pos_id + ":" + config_.second_key);
    return platform::crypto::constant_time_equal(*authorization, expected);
  }
  return false;
}

platform::Result<json::object> Simulator::create_order(std::string_view body) {
  PLATFORM_TRY(auto order, parse_order_create(body, config_.pos_id));
  const std::lock_guard lock(mutex_);
  if (!order.ext_order_id.empty() && by_ext_order_id_.contains(order.ext_order_id)) {
    return refused("ERROR_ORDER_NOT_UNIQUE",
                   "Order with extOrderId " + order.ext_order_id + " already exists");
  }
  order.order_id = order_id_for(next_order_++);
  order.created = clock_.now();
  auto answer = status_json("SUCCESS", "");
  answer["redirectUri"] = redirect_uri(order.order_id);
  answer["orderId"] = order.order_id;
  if (!order.ext_order_id.empty()) {
    answer["extOrderId"] = order.ext_order_id;
    by_ext_order_id_[order.ext_order_id] = order.order_id;
  }
  orders_[order.order_id] = std::move(order);
  return answer;
}

platform::Result<json::object> Simulator::get_order(const std::string& order_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(order_id);
  if (it == orders_.end()) return no_order(order_id);
  auto answer = status_json("SUCCESS", "");
  answer["orders"] = json::array{order_json(it->second)};
  answer["properties"] = json::array{json::object{{"name", "PAYMENT_ID"}, {"value", order_id}}};
  return answer;
}

platform::Result<json::object> Simulator::cancel_order(const std::string& order_id) {
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(order_id);
  if (it == orders_.end()) return no_order(order_id);
  auto& order = it->second;
  if (order.status == "COMPLETED") {
    return refused("ERROR_ORDER_NOT_CANCELABLE", "Order status COMPLETED cannot be canceled");
  }
  if (order.status != "CANCELED") {
    order.status = "CANCELED";
    notify_order_locked(order);
  }
  auto answer = status_json("SUCCESS", "");
  answer["orderId"] = order.order_id;
  answer["extOrderId"] = order.ext_order_id;
  return answer;
}

platform::Result<json::object> Simulator::create_refund(const std::string& order_id,
                                                        std::string_view body) {
  PLATFORM_TRY(const auto ask, parse_refund_request(body));
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(order_id);
  if (it == orders_.end()) return no_order(order_id);
  auto& order = it->second;
  const auto currency = ask.currency.empty() ? order.currency : ask.currency;
  // Idempotent on identical data: the refund already made is answered again.
  for (const auto& refund : order.refunds) {
    const bool same_id = !ask.ext_refund_id.empty() && refund.ext_refund_id == ask.ext_refund_id;
    const auto amount = ask.amount.value_or(refund.amount);
    if (same_id || (ask.ext_refund_id.empty() && refund.ext_refund_id.empty())) {
      if (same_request(refund, ask, amount, currency)) {
        auto answer = status_json("SUCCESS", "Refund queued for processing");
        answer["orderId"] = order.order_id;
        answer["refund"] = refund_json(refund);
        return answer;
      }
      if (same_id) {
        return refused("ERROR_VALUE_INVALID",
                       "extRefundId " + ask.ext_refund_id + " was used with other data");
      }
    }
  }
  if (order.status != "COMPLETED") {
    return refused("ERROR_VALUE_INVALID",
                   "Refunds only on COMPLETED orders (order is " + order.status + ")");
  }
  if (currency != order.currency) return refused("ERROR_VALUE_INVALID", "Wrong currencyCode");
  const auto left = refundable(order);
  const auto amount = ask.amount.value_or(left);
  if (amount <= 0 || amount > left) {
    return refused("ERROR_VALUE_INVALID",
                   "Refund amount exceeds what is left to refund (" + std::to_string(left) + ")");
  }
  Refund refund;
  refund.refund_id = std::to_string(next_refund_++);
  refund.ext_refund_id = ask.ext_refund_id;
  refund.description = ask.description;
  refund.currency = currency;
  refund.amount = amount;
  refund.created = clock_.now();
  auto answer = status_json("SUCCESS", "Refund queued for processing");
  answer["orderId"] = order.order_id;
  answer["refund"] = refund_json(refund);
  // The bank takes it at once in the simulator: FINALIZED is notified now.
  refund.status = "FINALIZED";
  order.refunds.push_back(refund);
  notify_refund_locked(order, refund);
  return answer;
}

platform::Result<json::object> Simulator::get_refunds(const std::string& order_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(order_id);
  if (it == orders_.end()) return no_order(order_id);
  json::array refunds;
  for (const auto& refund : it->second.refunds) refunds.push_back(refund_json(refund));
  return json::object{{"refunds", std::move(refunds)}};
}

platform::Result<PageView> Simulator::page(const std::string& order_id,
                                           std::string_view token) const {
  if (!platform::crypto::constant_time_equal(token, page_token(order_id))) {
    return make_error(Errc::not_found, "Nie znaleziono płatności", "DATA_NOT_FOUND");
  }
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(order_id);
  if (it == orders_.end()) return no_order(order_id);
  const auto& order = it->second;
  return PageView{order.order_id,     std::string(token), order.description,
                  order.total_amount, order.currency,     order.status};
}

platform::Result<std::string> Simulator::act(const std::string& order_id, std::string_view token,
                                             gateway_sim::PageAction action) {
  if (!platform::crypto::constant_time_equal(token, page_token(order_id))) {
    return make_error(Errc::not_found, "Nie znaleziono płatności", "DATA_NOT_FOUND");
  }
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(order_id);
  if (it == orders_.end()) return no_order(order_id);
  return act_locked(it->second, action);
}

platform::Result<std::string> Simulator::act_external(const std::string& ext_order_id,
                                                      gateway_sim::PageAction action) {
  const std::lock_guard lock(mutex_);
  const auto id = by_ext_order_id_.find(ext_order_id);
  if (id == by_ext_order_id_.end()) return no_order(ext_order_id);
  return act_locked(orders_.at(id->second), action);
}

platform::Result<std::string> Simulator::act_locked(Order& order, gateway_sim::PageAction action) {
  if (action == gateway_sim::PageAction::abandon) return order.continue_url;
  if (terminal(order.status)) {
    return make_error(Errc::conflict, "the order is already " + order.status, "order_final");
  }
  order.status = "PENDING";
  notify_order_locked(order);
  order.status = action == gateway_sim::PageAction::pay ? "COMPLETED" : "CANCELED";
  notify_order_locked(order);
  return order.continue_url;
}

void Simulator::notify_order_locked(const Order& order) {
  if (order.notify_url.empty()) return;
  json::object body{{"order", order_json(order, faults_.amount_delta)}};
  if (order.status == "COMPLETED") {
    body["localReceiptDateTime"] = platform::format_rfc3339(clock_.now());
  }
  body["properties"] = json::array{json::object{{"name", "PAYMENT_ID"}, {"value", order.order_id}}};
  send_locked(order.notify_url, json::serialize(body), order.order_id + ":" + order.status);
}

void Simulator::notify_refund_locked(const Order& order, const Refund& refund) {
  if (order.notify_url.empty()) return;
  json::object details{{"refundId", refund.refund_id},
                       {"amount", std::to_string(refund.amount)},
                       {"currencyCode", refund.currency},
                       {"status", refund.status},
                       {"statusDateTime", platform::format_rfc3339(clock_.now())},
                       {"reason", "refund"},
                       {"reasonDescription", refund.description},
                       {"refundDate", platform::format_rfc3339(clock_.now())}};
  json::object body{{"orderId", order.order_id},
                    {"extOrderId", order.ext_order_id},
                    {"refund", std::move(details)}};
  send_locked(order.notify_url, json::serialize(body),
              order.order_id + ":" + refund.refund_id + ":" + refund.status);
}

void Simulator::send_locked(std::string url, std::string body, std::string what) {
  const std::string key =
      faults_.bad_signature ? config_.second_key + "-not-the-second-key" : config_.second_key;
  Notice notice;
  notice.signature = payu::signature_header(body, key);
  notice.url = std::move(url);
  notice.body = std::move(body);
  notice.what = std::move(what);
  deliveries_.add(notice, clock_.now(), faults_);
}

std::string Simulator::page_token(const std::string& order_id) const {
  // Derived, not stored: only the simulator (which knows the second key) can make one.
  return platform::crypto::to_hex(platform::crypto::sha256(order_id + ":" + config_.second_key))
      .substr(0, 32);
}

std::string Simulator::redirect_uri(const std::string& order_id) const {
  return config_.public_url + "/pay/?orderId=" + order_id + "&token=" + page_token(order_id);
}

void Simulator::set_faults(const gateway_sim::FaultConfig& faults) {
  const std::lock_guard lock(mutex_);
  faults_ = faults;
}

gateway_sim::FaultConfig Simulator::faults() const {
  const std::lock_guard lock(mutex_);
  return faults_;
}

void Simulator::reset() {
  const std::lock_guard lock(mutex_);
  faults_ = gateway_sim::FaultConfig{};
  orders_.clear();
  by_ext_order_id_.clear();
  tokens_.clear();
  deliveries_.clear();
  clock_.reset();
}

void Simulator::flush() {
  const std::lock_guard lock(mutex_);
  deliveries_.flush(clock_.now());
}

void Simulator::advance(std::chrono::seconds by) {
  clock_.advance(by);
}

json::object Simulator::state() const {
  const std::lock_guard lock(mutex_);
  json::array orders;
  for (const auto& [id, order] : orders_) {
    json::array refunds;
    for (const auto& refund : order.refunds) refunds.push_back(refund_json(refund));
    orders.push_back(json::object{{"orderId", id},
                                  {"extOrderId", order.ext_order_id},
                                  {"status", order.status},
                                  {"totalAmount", std::to_string(order.total_amount)},
                                  {"refunds", std::move(refunds)}});
  }
  return json::object{{"orders", std::move(orders)},
                      {"notifications", deliveries_.state()},
                      {"faults", to_json(faults_)},
                      {"clock", json::object{{"now", platform::format_rfc3339(clock_.now())},
                                             {"offset_s", clock_.offset().count()}}},
                      {"tokens", static_cast<std::int64_t>(tokens_.size())}};
}

std::vector<Delivery> Simulator::take_due() {
  const std::lock_guard lock(mutex_);
  return deliveries_.take_due(clock_.now());
}

void Simulator::report(std::uint64_t delivery_id, int status) {
  const std::lock_guard lock(mutex_);
  deliveries_.report(delivery_id, status, clock_.now());
}

}  // namespace payu_sim
