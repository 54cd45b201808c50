#pragma once
// A small rules struct and its parse function, as a service would write them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/rules/node.hpp"

namespace sample {

enum class Carrier { dpd, inpost };

struct Zone {
  std::string name;
  std::int64_t price = 0;  // grosze
  std::optional<std::string> note;
};

struct Rules {
  Carrier carrier = Carrier::dpd;
  std::string mode;
  bool free_shipping = false;
  std::int64_t max_parcels = 0;
  std::vector<Zone> zones;
  std::map<std::string, std::int64_t> surcharges;
};

inline Rules parse_rules(const platform::rules::Node& root) {
  using platform::rules::Node;
  root.only_keys({"carrier", "mode", "free_shipping", "max_parcels", "zones", "surcharges"});
  Rules rules;
  rules.carrier =
      root["carrier"].one_of<Carrier>({{"dpd", Carrier::dpd}, {"inpost", Carrier::inpost}});
  rules.mode = root["mode"].one_of({"standard", "express"});
  rules.free_shipping = root["free_shipping"].boolean();
  rules.max_parcels = root["max_parcels"].integer(1, 10);
  rules.zones = root["zones"].list([](const Node& zone) {
    zone.only_keys({"name", "price", "note"});
    return Zone{zone["name"].string(), zone["price"].money(), zone["note"].optional_string()};
  });
  if (root["surcharges"].present()) {
    rules.surcharges = root["surcharges"].map([](const Node& amount) { return amount.money(); });
  }
  return rules;
}

}  // namespace sample
