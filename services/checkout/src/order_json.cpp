#include "order_json.hpp"

#include <boost/json.hpp>

#include "json_fields.hpp"
#include "platform/clock.hpp"

namespace checkout {
namespace {
namespace json = boost::json;

json::value optional_json(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

}  // namespace

std::string order_json(const OrderRow& order, const std::vector<HistoryEntry>* history) {
  boost::system::error_code ec;
  auto document = json::parse(order.document, ec);
  json::object out{
      {"order_id", order.order_id},
      {"order_number", order.order_number},
      {"status", to_string(order.status)},
      {"grand_total", fields::money_json(order.grand_total)},
      {"payment", json::object{{"method_id", order.payment_method_id},
                               {"online", order.online},
                               {"gateway", optional_json(order.gateway)},
                               {"transaction_id", optional_json(order.transaction_id)},
                               {"redirect_url", optional_json(order.redirect_url)}}},
      {"hold_until", order.hold_until_ms ? json::value(platform::format_rfc3339(platform::TimePoint(
                                               std::chrono::milliseconds(*order.hold_until_ms))))
                                         : json::value(nullptr)},
      {"created_at",
       order.created_at.empty() ? json::value(nullptr) : json::value(order.created_at)},
      {"updated_at",
       order.updated_at.empty() ? json::value(nullptr) : json::value(order.updated_at)},
  };
  if (history != nullptr) {
    json::array entries;
    for (const auto& entry : *history) {
      entries.push_back(json::object{{"from", optional_json(entry.from_status)},
                                     {"to", entry.to_status},
                                     {"cause", entry.cause},
                                     {"at", entry.at}});
    }
    out["history"] = std::move(entries);
    out["order"] = ec ? json::value(nullptr) : std::move(document);
  }
  return json::serialize(out);
}

}  // namespace checkout
