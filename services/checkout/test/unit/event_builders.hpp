#pragma once
// Event data as each service publishes it (contracts/events), built in memory for the pure
// tests of the view: no files, no broker. The integration tests check the same shapes against
// the schemas.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace checkout::testing {

namespace json = boost::json;

inline constexpr const char* kSession = "cs-test-1";
inline constexpr const char* kUser = "user-1";

// One event as a consumer sees it.
struct Event {
  std::string topic;
  std::string type;
  json::value data;
};

json::object money(std::int64_t grosze);

struct Line {
  std::string item_id;
  std::int64_t unit_price = 10000;
  std::int64_t quantity = 1;
  std::string type = "offer";
  std::string category = "tv";
  std::optional<std::string> parent = std::nullopt;
  bool validated = true;
};

Event cart_event(std::int64_t version, const std::string& type, const Line& line,
                 std::optional<std::int64_t> old_unit_price = std::nullopt);
Event warranty_selected(std::int64_t version, const std::string& item_id, std::int64_t price,
                        const std::string& kind = "extended");
Event warranty_removed(std::int64_t version, const std::string& item_id,
                       const std::string& kind = "extended");
Event method_selected(std::int64_t version, const std::string& method_id, std::int64_t price,
                      bool needs_day = true, const std::string& destination = "address");
Event method_cleared(std::int64_t version, const std::string& method_id);
Event address_provided(std::int64_t version);
Event date_selected(std::int64_t version, const std::string& method_id, std::int64_t surcharge);
Event addons_selected(std::int64_t version, const std::vector<std::int64_t>& prices);
Event payment_selected(std::int64_t version, const std::string& method_id, std::int64_t fee);
Event payment_cleared(std::int64_t version, const std::string& method_id);
Event promotion_applied(std::int64_t version, const std::string& promotion_id,
                        const std::vector<std::pair<std::string, std::int64_t>>& allocations,
                        std::int64_t unallocated = 0, bool free_delivery = false);
Event code_applied(std::int64_t version, const std::string& code, const std::string& promotion_id,
                   const std::vector<std::pair<std::string, std::int64_t>>& allocations);
Event promotion_removed(std::int64_t version, const std::string& promotion_id);
Event code_invalid(std::int64_t version, const std::string& code);

}  // namespace checkout::testing
