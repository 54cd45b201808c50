#pragma once
// The Shipping's use cases over its store, its rules and the carrier's calendar: each loads the
// user's session, runs a pure function of session.hpp, and commits the new session with its
// events in one compare-and-set step (retried when another writer got there first).
//
// Threads: one ShippingService per Redis connection (the front half serves requests, the back
// half applies cart and checkout events); both may run at once on the same session, which the
// compare-and-set makes safe. Errors are values (platform::Result); a down Redis or carrier is
// Errc::unavailable (503 with Retry-After).
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calendar_memory.hpp"
#include "carrier_calendar.hpp"
#include "config.hpp"
#include "delivery_rules.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "platform/rules/digest.hpp"
#include "session.hpp"
#include "store.hpp"

namespace shipping {

// The rules in force and a digest of their text (cached evaluations made with other rules are
// not used).
using ShippingRules = platform::rules::Digested<DeliveryRules>;
using RulesSource = std::function<std::shared_ptr<const ShippingRules>()>;

// A calendar as the customer sees it: the carrier's days, and how old the answer is. `stale`:
// the carrier could not be asked (down, or its breaker open) and this is the last good answer.
struct CalendarView {
  std::string method_id;
  std::string postal_code;
  SharedCalendar held;  // the carrier's answer, when it was fetched, its days rendered
  bool stale = false;
  std::chrono::seconds age{0};
};

class ShippingService {
 public:
  // `carrier` may be null on the back half (it never asks for calendars). All must outlive this.
  ShippingService(ShippingStore& store, RulesSource rules, const ShippingConfig& config,
                  const platform::Clock& clock, CarrierClient* carrier);

  // GET /shipping/available: the whole response document (JSON).
  boost::asio::awaitable<platform::Result<std::string>> available(std::string user_id);
  // The user's current session (an empty one when there is none).
  boost::asio::awaitable<platform::Result<ShippingSession>> current(std::string user_id);

  boost::asio::awaitable<platform::Result<ShippingSession>> select_method(
      std::string user_id, std::string method_id, platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<ShippingSession>> provide_address(
      std::string user_id, Address address, platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<ShippingSession>> provide_locker(
      std::string user_id, LockerDelivery locker, platform::TraceContext trace);
  boost::asio::awaitable<platform::Result<ShippingSession>> select_day(
      std::string user_id, std::chrono::year_month_day date, std::vector<std::string> addon_ids,
      platform::TraceContext trace);

  // GET /shipping/calendar: fresh from the cache, else from the carrier, else the last good one
  // marked stale; Errc::unavailable when there is none. Errc::not_found for an unknown method,
  // Errc::invalid "no_calendar" for a method without delivery days.
  boost::asio::awaitable<platform::Result<CalendarView>> calendar(std::string method_id,
                                                                  std::string postal_code);

  // A cart event (cart-events): the session's copy of the cart moves on and the choices follow.
  // Old, repeated and ended-session events change nothing. Errc::invalid: a poison message.
  boost::asio::awaitable<platform::Status> apply_cart_event(platform::CloudEvent event);
  // OrderCreated (checkout-events): the session ends.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

 private:
  using Step = std::function<platform::Result<Outcome>(const ShippingSession&)>;
  // What a commit of `session` writes besides it (store.hpp).
  [[nodiscard]] ShippingStore::Answers answers_for(const ShippingSession& session,
                                                   const ShippingRules& rules) const;
  // `held` with its days rendered under `rules` (rendered again, and remembered, after a reload).
  SharedCalendar rendered(const std::string& key, SharedCalendar held, const ShippingRules& rules,
                          std::string_view method_id);
  boost::asio::awaitable<platform::Result<ShippingSession>> change(std::string user_id,
                                                                   platform::TraceContext trace,
                                                                   Step step);

  ShippingStore& store_;
  RulesSource rules_;
  const ShippingConfig& config_;
  const platform::Clock& clock_;
  CarrierClient* carrier_;
  CalendarMemory calendars_;
};

// The methods document cached under shipping:methods:{cart_hash} (a JSON array).
std::string methods_json(const std::vector<MethodOption>& methods);
// The GET /shipping/available answer: the session (null when none), its cart hash, the chosen
// method's id and the methods.
std::string available_document(const std::optional<std::string>& session_id,
                               std::string_view cart_hash, std::string_view method_id,
                               std::string_view methods);

}  // namespace shipping
