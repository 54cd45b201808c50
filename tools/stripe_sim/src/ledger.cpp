#include "ledger.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <system_error>
#include <utility>

#include "gateway_sim/sim_clock.hpp"

namespace stripe_sim {
namespace {
namespace json = boost::json;

constexpr std::int64_t kDefaultLifetime = std::int64_t{24} * 3600;  // Stripe's default expires_at
constexpr std::int64_t kMinLifetime = std::int64_t{30} * 60;
constexpr std::array<std::string_view, 3> kReasons{"duplicate", "fraudulent",
                                                   "requested_by_customer"};

ApiError missing(std::string_view param) {
  return ApiError{400, "invalid_request_error", "parameter_missing",
                  "Missing required param: " + std::string(param) + ".", std::string(param)};
}

ApiError invalid(std::string_view param, std::string_view message,
                 std::string code = "parameter_invalid") {
  return ApiError{400, "invalid_request_error", std::move(code), std::string(message),
                  std::string(param)};
}

ApiError no_such(std::string_view what, std::string_view id) {
  return ApiError{404, "invalid_request_error", "resource_missing",
                  "No such " + std::string(what) + ": '" + std::string(id) + "'", "id"};
}

const json::value* path(const json::object& object, std::initializer_list<std::string_view> keys) {
  const json::value* node = nullptr;
  const json::object* current = &object;
  for (const auto key : keys) {
    if (current == nullptr) return nullptr;
    node = current->if_contains(key);
    if (node == nullptr) return nullptr;
    current = node->if_object();
  }
  return node;
}

std::optional<std::string> string_at(const json::object& object,
                                     std::initializer_list<std::string_view> keys) {
  const auto* value = path(object, keys);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<std::int64_t> to_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

json::object string_map(const json::value* value) {
  json::object out;
  if (value != nullptr && value->is_object()) {
    for (const auto& [key, item] : value->as_object()) {
      if (item.is_string()) out[key] = item;
    }
  }
  return out;
}

std::string stamp() {
  constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  auto value =
      static_cast<std::uint64_t>(gateway_sim::unix_seconds(std::chrono::system_clock::now()));
  std::string out;
  while (value > 0) {
    out.insert(out.begin(), kDigits[value % 36]);
    value /= 36;
  }
  return out;
}

std::string make_id(std::string_view prefix, std::uint64_t n) {
  static const std::string process_stamp = stamp();
  auto number = std::to_string(n);
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  return std::string(prefix) + "_" + process_stamp + number;
}
}  // namespace

json::object error_body(const ApiError& error) {
  json::object inner{{"type", error.type}, {"message", error.message}};
  if (!error.code.empty()) inner["code"] = error.code;
  if (!error.param.empty()) inner["param"] = error.param;
  return json::object{{"error", std::move(inner)}};
}

void Ledger::set_page_base(std::string page_base) {
  const std::lock_guard lock(mutex_);
  page_base_ = std::move(page_base);
}

ApiResult<json::object> Ledger::create_session(const json::object& params,
                                               platform::TimePoint now) {
  const auto mode = string_at(params, {"mode"});
  if (!mode) return missing("mode");
  if (*mode != "payment") return invalid("mode", "The simulator only supports mode=payment.");
  const auto success_url = string_at(params, {"success_url"});
  if (!success_url) return missing("success_url");
  const auto* lines = params.if_contains("line_items");
  if (lines == nullptr || !lines->is_array() || lines->as_array().empty()) {
    return missing("line_items");
  }
  std::int64_t total = 0;
  std::string currency;
  for (std::size_t i = 0; i < lines->as_array().size(); ++i) {
    const auto& item = lines->as_array()[i];
    const auto prefix = "line_items[" + std::to_string(i) + "]";
    if (!item.is_object()) return invalid(prefix, "A line item must be an object.");
    const auto line_currency = string_at(item.as_object(), {"price_data", "currency"});
    if (!line_currency) return missing(prefix + "[price_data][currency]");
    const auto amount =
        to_integer(string_at(item.as_object(), {"price_data", "unit_amount"}).value_or(""));
    if (!amount || *amount <= 0) {
      return invalid(prefix + "[price_data][unit_amount]", "Invalid positive integer",
                     "parameter_invalid_integer");
    }
    if (!string_at(item.as_object(), {"price_data", "product_data", "name"})) {
      return missing(prefix + "[price_data][product_data][name]");
    }
    const auto quantity = to_integer(string_at(item.as_object(), {"quantity"}).value_or(""));
    if (!quantity || *quantity < 1) {
      return invalid(prefix + "[quantity]", "Invalid positive integer",
                     "parameter_invalid_integer");
    }
    if (!currency.empty() && currency != *line_currency) {
      return invalid(prefix + "[price_data][currency]", "All line items must share a currency.");
    }
    currency = *line_currency;
    total += *amount * *quantity;
  }
  const auto created = gateway_sim::unix_seconds(now);
  auto expires_at = created + kDefaultLifetime;
  if (const auto given = string_at(params, {"expires_at"})) {
    const auto value = to_integer(*given);
    if (!value || *value < created + kMinLifetime || *value > created + kDefaultLifetime) {
      return invalid("expires_at", "expires_at must be 30 minutes to 24 hours from now.");
    }
    expires_at = *value;
  }
  json::array methods;
  if (const auto* types = params.if_contains("payment_method_types");
      types != nullptr && types->is_array()) {
    methods = types->as_array();
  } else {
    methods = json::array{"card"};
  }

  const std::lock_guard lock(mutex_);
  const auto session_id = make_id("cs_test", ++next_id_);
  const auto intent_id = make_id("pi", ++next_id_);
  const auto client_reference = string_at(params, {"client_reference_id"});
  json::object intent{
      {"id", intent_id},
      {"object", "payment_intent"},
      {"amount", total},
      {"amount_capturable", 0},
      {"amount_received", 0},
      {"currency", currency},
      {"status", "requires_payment_method"},
      {"client_secret", intent_id + "_secret_sim"},
      {"capture_method", "automatic"},
      {"confirmation_method", "automatic"},
      {"latest_charge", nullptr},
      {"last_payment_error", nullptr},
      {"payment_method", nullptr},
      {"payment_method_types", methods},
      {"metadata", string_map(path(params, {"payment_intent_data", "metadata"}))},
      {"canceled_at", nullptr},
      {"cancellation_reason", nullptr},
      {"created", created},
      {"livemode", false},
  };
  json::object session{
      {"id", session_id},
      {"object", "checkout.session"},
      {"url", page_base_ + "/c/pay/" + session_id},
      {"status", "open"},
      {"payment_status", "unpaid"},
      {"mode", "payment"},
      {"payment_intent", intent_id},
      {"amount_subtotal", total},
      {"amount_total", total},
      {"currency", currency},
      {"client_reference_id", client_reference ? json::value(*client_reference) : nullptr},
      {"customer_email", string_at(params, {"customer_email"})
                             ? json::value(*string_at(params, {"customer_email"}))
                             : nullptr},
      {"metadata", string_map(params.if_contains("metadata"))},
      {"payment_method_types", std::move(methods)},
      {"success_url", *success_url},
      {"cancel_url", string_at(params, {"cancel_url"}).value_or(*success_url)},
      {"expires_at", expires_at},
      {"created", created},
      {"livemode", false},
  };
  intents_[intent_id] = std::move(intent);
  if (client_reference) session_by_transaction_[*client_reference] = session_id;
  auto [it, inserted] = sessions_.emplace(session_id, std::move(session));
  (void)inserted;
  return it->second;
}

ApiResult<json::object> Ledger::session(std::string_view id, bool expand_intent) const {
  const std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return no_such("checkout.session", id);
  auto out = it->second;
  if (expand_intent) {
    const auto intent = intents_.find(std::string_view(out.at("payment_intent").as_string()));
    if (intent != intents_.end()) out["payment_intent"] = intent->second;
  }
  return out;
}

ApiResult<json::object> Ledger::expire_session(std::string_view id, Events& events) {
  const std::lock_guard lock(mutex_);
  return expire_locked(std::string(id), events);
}

ApiResult<json::object> Ledger::expire_locked(const std::string& id, Events& events) {
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return no_such("checkout.session", id);
  auto& session = it->second;
  if (session.at("status").as_string() != "open") {
    return invalid("", "Only Checkout Sessions with a status of `open` can be expired.",
                   "checkout_session_not_open");
  }
  session["status"] = "expired";
  auto& intent = intents_.at(std::string(session.at("payment_intent").as_string()));
  intent["status"] = "canceled";
  intent["cancellation_reason"] = "abandoned";
  intent["canceled_at"] = session.at("created");
  events.push_back(NewEvent{"checkout.session.expired", session});
  return session;
}

ApiResult<json::object> Ledger::payment_intent(std::string_view id) const {
  const std::lock_guard lock(mutex_);
  const auto it = intents_.find(id);
  if (it == intents_.end()) return no_such("payment_intent", id);
  return it->second;
}

ApiResult<json::object> Ledger::create_refund(const json::object& params, platform::TimePoint now,
                                              Events& events) {
  const auto intent_id = string_at(params, {"payment_intent"});
  if (!intent_id) return missing("payment_intent");
  const auto reason = string_at(params, {"reason"});
  if (reason && std::find(kReasons.begin(), kReasons.end(), *reason) == kReasons.end()) {
    return invalid("reason",
                   "Invalid reason: must be one of duplicate, fraudulent, or "
                   "requested_by_customer");
  }
  const std::lock_guard lock(mutex_);
  const auto it = intents_.find(*intent_id);
  if (it == intents_.end()) {
    return invalid("payment_intent", "No such payment_intent: '" + *intent_id + "'",
                   "resource_missing");
  }
  auto& intent = it->second;
  if (intent.at("status").as_string() != "succeeded") {
    return invalid("payment_intent",
                   "This PaymentIntent does not have a successful charge to refund.",
                   "payment_intent_unexpected_state");
  }
  const auto received = intent.at("amount_received").as_int64();
  const auto* refunded_value = intent.if_contains("amount_refunded");
  const auto refunded = refunded_value != nullptr ? refunded_value->as_int64() : 0;
  const auto left = received - refunded;
  if (left <= 0) {
    return invalid("payment_intent", "Charge has already been refunded.",
                   "charge_already_refunded");
  }
  auto amount = left;
  if (const auto given = string_at(params, {"amount"})) {
    const auto value = to_integer(*given);
    if (!value || *value <= 0) {
      return invalid("amount", "Invalid positive integer", "parameter_invalid_integer");
    }
    if (*value > left) {
      return invalid("amount",
                     "Refund amount (" + std::to_string(*value) +
                         ") is greater than unrefunded amount on charge (" + std::to_string(left) +
                         ")",
                     "amount_too_large");
    }
    amount = *value;
  }
  const auto refund_id = make_id("re", ++next_id_);
  json::object refund{
      {"id", refund_id},
      {"object", "refund"},
      {"amount", amount},
      {"currency", intent.at("currency")},
      {"charge", intent.at("latest_charge")},
      {"payment_intent", *intent_id},
      {"status", "pending"},
      {"reason", reason ? json::value(*reason) : nullptr},
      {"metadata", string_map(params.if_contains("metadata"))},
      {"created", gateway_sim::unix_seconds(now)},
  };
  events.push_back(NewEvent{"refund.created", refund});
  const auto answer = refund;
  // The card network confirms at once in the simulator.
  refund["status"] = "succeeded";
  events.push_back(NewEvent{"refund.updated", refund});
  intent["amount_refunded"] = refunded + amount;
  json::object charge{
      {"id", intent.at("latest_charge")},
      {"object", "charge"},
      {"amount", received},
      {"amount_captured", received},
      {"amount_refunded", refunded + amount},
      {"refunded", refunded + amount == received},
      {"currency", intent.at("currency")},
      {"payment_intent", *intent_id},
      {"status", "succeeded"},
      {"metadata", intent.at("metadata")},
  };
  events.push_back(NewEvent{"charge.refunded", std::move(charge)});
  refunds_[refund_id] = std::move(refund);
  return answer;
}

ApiResult<json::object> Ledger::refund(std::string_view id) const {
  const std::lock_guard lock(mutex_);
  const auto it = refunds_.find(id);
  if (it == refunds_.end()) return no_such("refund", id);
  return it->second;
}

ApiResult<std::string> Ledger::act(std::string_view session_id, gateway_sim::PageAction action,
                                   Events& events) {
  const std::lock_guard lock(mutex_);
  const auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return no_such("checkout.session", session_id);
  auto& session = it->second;
  if (session.at("status").as_string() != "open") {
    return invalid("",
                   "This Checkout Session is no longer open (" +
                       std::string(session.at("status").as_string()) + ").",
                   "checkout_session_not_open");
  }
  auto& intent = intents_.at(std::string(session.at("payment_intent").as_string()));
  switch (action) {
    case gateway_sim::PageAction::pay: {
      intent["status"] = "succeeded";
      intent["amount_received"] = intent.at("amount");
      intent["latest_charge"] = make_id("ch", ++next_id_);
      intent["payment_method"] = make_id("pm", ++next_id_);
      intent["last_payment_error"] = nullptr;
      session["status"] = "complete";
      session["payment_status"] = "paid";
      events.push_back(NewEvent{"payment_intent.succeeded", intent});
      events.push_back(NewEvent{"checkout.session.completed", session});
      return std::string(session.at("success_url").as_string());
    }
    case gateway_sim::PageAction::fail: {
      intent["status"] = "requires_payment_method";
      intent["last_payment_error"] = json::object{
          {"type", "card_error"},
          {"code", "card_declined"},
          {"decline_code", "generic_decline"},
          {"message", "Your card was declined."},
      };
      events.push_back(NewEvent{"payment_intent.payment_failed", intent});
      return std::string(session.at("success_url").as_string());
    }
    case gateway_sim::PageAction::abandon:
      return std::string(session.at("cancel_url").as_string());
  }
  return std::string(session.at("cancel_url").as_string());
}

std::optional<std::string> Ledger::session_of(std::string_view transaction_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = session_by_transaction_.find(transaction_id);
  if (it == session_by_transaction_.end()) return std::nullopt;
  return it->second;
}

void Ledger::expire_due(platform::TimePoint now, Events& events) {
  const std::lock_guard lock(mutex_);
  const auto seconds = gateway_sim::unix_seconds(now);
  for (const auto& [id, session] : sessions_) {
    if (session.at("status").as_string() == "open" &&
        session.at("expires_at").as_int64() <= seconds) {
      (void)expire_locked(id, events);
    }
  }
}

json::object Ledger::summary() const {
  const std::lock_guard lock(mutex_);
  json::array sessions;
  for (const auto& [id, session] : sessions_) {
    const auto& intent = intents_.at(std::string(session.at("payment_intent").as_string()));
    sessions.push_back(json::object{
        {"id", id},
        {"client_reference_id", session.at("client_reference_id")},
        {"status", session.at("status")},
        {"payment_status", session.at("payment_status")},
        {"amount_total", session.at("amount_total")},
        {"payment_intent", intent.at("id")},
        {"payment_intent_status", intent.at("status")},
    });
  }
  json::array refunds;
  for (const auto& [id, refund] : refunds_) {
    refunds.push_back(json::object{{"id", id},
                                   {"payment_intent", refund.at("payment_intent")},
                                   {"amount", refund.at("amount")},
                                   {"status", refund.at("status")}});
  }
  return json::object{{"sessions", std::move(sessions)}, {"refunds", std::move(refunds)}};
}

void Ledger::clear() {
  const std::lock_guard lock(mutex_);
  sessions_.clear();
  intents_.clear();
  refunds_.clear();
  session_by_transaction_.clear();
}

}  // namespace stripe_sim
