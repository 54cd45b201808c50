#pragma once
// One customer's checkout session as the Cart would publish it on cart-events, for integration
// tests that feed a service by hand: each change is the session's next version and carries the
// cart hash "h-<session>-<version>", each event is built from its contract's example
// (platform/testing/contract_events.hpp). Tests using it link platform_testing_infra.
//   CartFeed cart("user-1");
//   publish(cart.put({.item_id = "it-tv", .category = "tv", .unit_price = 329900}));
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contracts/event_types.hpp"
#include "contracts/topics.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "platform/testing/contract_events.hpp"
#include "platform/testing/events.hpp"

namespace contracts::testing {

// A cart line as the Cart publishes it. Goods weigh `weight_g` per unit and measure 600 × 850 ×
// 550 mm; a line of type service weighs and measures nothing.
struct FeedLine {
  std::string item_id;
  std::string sku = "SKU-1";
  std::string category = "phone";
  std::int64_t unit_price = 249900;
  std::int64_t quantity = 1;
  std::string type = "offer";                        // offer | accessory | service
  std::optional<std::string> parent = std::nullopt;  // a service line's product line
  std::vector<std::string> flags = {};
  bool validated = true;
  std::int64_t weight_g = 12000;
};

class CartFeed {
 public:
  explicit CartFeed(std::string user) : user_(std::move(user)) {}
  const std::string& user() const { return user_; }
  const std::string& session() const { return session_; }
  std::int64_t version() const { return version_; }
  // The cart hash the event of `version` carries.
  std::string hash(std::int64_t version) const {
    return "h-" + session_ + "-" + std::to_string(version);
  }

  // The session's next cart event of type `type` about `line`.
  platform::CloudEvent put(const FeedLine& line,
                           std::string_view type = event_type::kCartItemAdded) {
    namespace json = boost::json;
    auto data = platform::testing::contract_example(type);
    data["session_id"] = session_;
    data["user_id"] = user_;
    data["version"] = ++version_;
    data["occurred_at"] = platform::testing::now_rfc3339();
    data["cart_hash"] = hash(version_);
    auto& l = data["line"].as_object();
    const bool goods = line.type != "service";
    l["item_id"] = line.item_id;
    l["type"] = line.type;
    l["sku"] = line.sku;
    l["name"] = "Produkt " + line.sku;
    l["category"] = line.category;
    l["unit_price"] = json::object{{"amount", line.unit_price}, {"currency", "PLN"}};
    l["quantity"] = line.quantity;
    l["parent_item_id"] = line.parent ? json::value(*line.parent) : json::value(nullptr);
    l["weight_g"] = goods ? line.weight_g : 0;
    l["dimensions_mm"] = json::object{
        {"width", goods ? 600 : 0}, {"height", goods ? 850 : 0}, {"depth", goods ? 550 : 0}};
    json::array flags;
    for (const auto& flag : line.flags) flags.emplace_back(flag);
    l["flags"] = std::move(flags);
    l["validation"] = line.validated ? "validated" : "not_yet_validated";
    return platform::testing::test_event(std::string(kCartTopic), session_, std::string(type),
                                         std::string(kCartSource), json::serialize(data));
  }

  // The session's next event: CartMerged of the cart `from` (a guest's), each of its lines
  // (first) gone into this cart's line (second), as the Cart publishes after the line events.
  platform::CloudEvent merged(const CartFeed& from,
                              const std::vector<std::pair<std::string, std::string>>& items) {
    namespace json = boost::json;
    auto data = platform::testing::contract_example(event_type::kCartMerged);
    data["session_id"] = session_;
    data["user_id"] = user_;
    data["version"] = ++version_;
    data["occurred_at"] = platform::testing::now_rfc3339();
    data["cart_hash"] = hash(version_);
    data["from_session_id"] = from.session();
    data["from_user_id"] = from.user();
    json::array mapped;
    for (const auto& [from_item_id, item_id] : items) {
      mapped.push_back(
          json::object{{"from_item_id", from_item_id}, {"item_id", item_id}, {"sku", "SKU-1"}});
    }
    data["items"] = std::move(mapped);
    return platform::testing::test_event(std::string(kCartTopic), session_,
                                         std::string(event_type::kCartMerged),
                                         std::string(kCartSource), json::serialize(data));
  }

 private:
  std::string user_;
  std::string session_ = "cs-" + platform::new_uuid();
  std::int64_t version_ = 0;
};

}  // namespace contracts::testing
