#pragma once
// What the Services keep per checkout session, and how events move it: the session's copy of the
// cart (cart-events), its delivery method (shipping-events), and what was last published. Pure
// functions returning the new session, or nullopt when the event changes nothing (an old,
// repeated or reordered one). No I/O.
//
// Publishing: after every change the session's services are evaluated again; a
// ServiceAvailabilityCalculated goes out when the result differs from the last one published
// (its fingerprint), or when a service line still waits for the Cart to act on its verdict (not
// yet validated, refused, cut, or priced other than the rules say). The second keeps the Cart
// converging: a verdict it received for an older version of its cart is ignored there, and the
// next cart event brings a new one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "availability.hpp"
#include "contracts/cart_copy.hpp"
#include "platform/error.hpp"

namespace extra_services {

struct ServicesSession {
  std::string session_id;
  std::string user_id;
  std::int64_t version = 0;  // the Services' per-session version: +1 per event published
  contracts::CartCopy cart;
  std::optional<std::string> delivery_method;  // nullopt: none chosen (or cleared)
  std::int64_t shipping_version = 0;           // the Shipping's version the method came from
  std::string published;  // fingerprint of the last evaluation published; "" none
  friend bool operator==(const ServicesSession&, const ServicesSession&) = default;
};

// A cart event (ce_type `type`) applied; nullopt when not newer than the session's copy.
// Errc::invalid: the data breaks its contract or names another user (a poison message).
[[nodiscard]] platform::Result<std::optional<ServicesSession>> follow_cart(
    const ServicesSession& session, std::string_view type, const boost::json::value& data);

// The Shipping's method choice at its version `shipping_version` (ShippingMethodSelected:
// the method; ShippingMethodCleared: nullopt); nullopt when not newer than what the session has.
[[nodiscard]] std::optional<ServicesSession> follow_shipping(const ServicesSession& session,
                                                             std::int64_t shipping_version,
                                                             std::optional<std::string> method);

// A stable digest of what an evaluation says (same evaluation, same fingerprint).
std::string fingerprint(const ServicesAvailability& availability);

// Whether a service line of `cart` waits for the Cart to act on its verdict (see above).
bool awaits_cart(const ServicesAvailability& availability, const contracts::CartCopy& cart);

}  // namespace extra_services
