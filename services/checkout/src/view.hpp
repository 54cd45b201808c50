#pragma once
// The Checkout's read-only copy of one session, fed by every other service's topic (SPEC.md
// decision 1): the cart's lines (cart-events), the chosen warranties (warranty-events), delivery
// (shipping-events), the payment method and its fee (payment-events) and the promotions
// (promotion-events). Each component remembers the per-session version of the last event it
// took from its topic; an event not newer than that is a duplicate or a redelivery and changes
// nothing. A topic keeps one session's events in order (key = session id), so applying each
// topic in version order gives that component's latest state whatever the order across topics.
// Pure: no I/O, thread-compatible values.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/cart_copy.hpp"
#include "platform/error.hpp"
#include "platform/money.hpp"

namespace checkout {

// Why another service took something back (ShippingMethodCleared, PaymentMethodCleared).
struct Reason {
  std::string code;
  std::string message;
  friend bool operator==(const Reason&, const Reason&) = default;
};

struct WarrantyChoice {
  std::string item_id;
  std::string plan_id;
  std::string kind;
  std::string name;
  platform::Money price;  // for the whole line (unit price × quantity)
  friend bool operator==(const WarrantyChoice&, const WarrantyChoice&) = default;
};

struct WarrantyPart {
  std::int64_t version = 0;
  std::vector<WarrantyChoice> choices;  // at most one per (item, kind)
  friend bool operator==(const WarrantyPart&, const WarrantyPart&) = default;
};

struct DeliveryMethod {
  std::string method_id;
  std::string name;
  platform::Money price;
  bool cash_on_delivery_allowed = false;
  std::string destination = "address";  // address, parcel_locker or store
  bool needs_day = false;               // a delivery day must be chosen
  friend bool operator==(const DeliveryMethod&, const DeliveryMethod&) = default;
};

struct DeliveryDay {
  std::string method_id;  // the method the day was chosen for
  std::string date;       // YYYY-MM-DD
  std::string window_from;
  std::string window_to;
  platform::Money surcharge;
  friend bool operator==(const DeliveryDay&, const DeliveryDay&) = default;
};

struct Addon {
  std::string addon_id;
  std::string name;
  platform::Money price;
  friend bool operator==(const Addon&, const Addon&) = default;
};

struct ShippingPart {
  std::int64_t version = 0;
  std::optional<DeliveryMethod> method;
  std::optional<Reason> cleared;  // the last method taken back, until another is chosen
  std::string address;            // the address as ShippingAddressProvided gave it (JSON), or ""
  std::string parcel_locker;      // the parcel locker (JSON), or ""
  std::optional<DeliveryDay> day;
  std::vector<Addon> addons;
  friend bool operator==(const ShippingPart&, const ShippingPart&) = default;
};

struct PaymentChoice {
  std::string method_id;
  std::optional<std::string> gateway;  // none for cash on delivery
  platform::Money fee;
  friend bool operator==(const PaymentChoice&, const PaymentChoice&) = default;
};

// The Payment publishes the choice (PaymentMethodSelected, PaymentMethodCleared) through its Redis
// outbox and the attempts' events (PaymentInitialized, ...) through its PostgreSQL outbox: one
// per-session version, two relays, so the two kinds may cross on the topic. Each kind keeps its
// own last version; `version` (the choice's) is the component's for read-your-writes.
struct PaymentPart {
  std::int64_t version = 0;          // of the last choice event
  std::int64_t attempt_version = 0;  // of the last attempt event
  std::optional<PaymentChoice> method;
  std::optional<Reason> cleared;
  friend bool operator==(const PaymentPart&, const PaymentPart&) = default;
};

// A promotion's share of the discount on one line.
struct Allocation {
  std::string item_id;
  platform::Money amount;
  std::optional<platform::Money> lowest_price_30d;  // the Omnibus price shown beside a reduction
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

struct AppliedPromotion {
  std::string promotion_id;
  std::string name;
  std::optional<std::string> code;  // set for PromoCodeApplied
  platform::Money discount;
  std::vector<Allocation> allocations;
  bool free_delivery = false;
  friend bool operator==(const AppliedPromotion&, const AppliedPromotion&) = default;
};

struct RefusedCode {
  std::string code;
  std::string reason;
  std::string message;
  friend bool operator==(const RefusedCode&, const RefusedCode&) = default;
};

struct PromotionPart {
  std::int64_t version = 0;
  std::vector<AppliedPromotion> applied;  // one per promotion_id, in the order applied
  std::optional<RefusedCode> refused;     // the last code refused, until a code is applied
  friend bool operator==(const PromotionPart&, const PromotionPart&) = default;
};

// A price the Cart changed under a line: shown until the customer acknowledges it here.
struct PriceChange {
  std::string item_id;
  platform::Money old_unit_price;
  platform::Money new_unit_price;
  friend bool operator==(const PriceChange&, const PriceChange&) = default;
};

struct CheckoutView {
  std::string session_id;
  std::string user_id;
  contracts::CartCopy cart;  // its version is the cart component's
  std::vector<PriceChange> price_changes;
  WarrantyPart warranty;
  ShippingPart shipping;
  PaymentPart payment;
  PromotionPart promotion;
  friend bool operator==(const CheckoutView&, const CheckoutView&) = default;
};

// The components a client may name when it waits for its own change (read-your-writes).
enum class Component { cart, warranty, shipping, payment, promotion, checkout };
std::string_view to_string(Component component);
std::optional<Component> component_from(std::string_view name);
// The topic a component's events come on; nullopt for checkout (the service's own).
std::optional<Component> component_of_topic(std::string_view topic);
std::int64_t version_of(const CheckoutView& view, Component component);

// `view` with one event applied (`topic`, ce_type `type`, parsed `data`): nullopt when the event
// changes nothing (not newer than its component, or a type the view does not follow).
// Errc::invalid when the data breaks its contract or names another session (a poison message).
[[nodiscard]] platform::Result<std::optional<CheckoutView>> apply_event(
    const CheckoutView& view, std::string_view topic, std::string_view type,
    const boost::json::value& data);

// `view` with the price changes of `item_ids` acknowledged; Errc::invalid naming an item that has
// no price change to acknowledge.
[[nodiscard]] platform::Result<CheckoutView> acknowledge_price_changes(
    const CheckoutView& view, const std::vector<std::string>& item_ids);

// The applied promotions as the stored view and the summary both show them.
boost::json::array applied_promotions_json(const std::vector<AppliedPromotion>& applied);

// The view as stored (one JSON document) and back.
std::string view_to_json(const CheckoutView& view);
[[nodiscard]] platform::Result<CheckoutView> view_from_json(std::string_view text);

}  // namespace checkout
