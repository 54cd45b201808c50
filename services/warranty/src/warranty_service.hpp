#pragma once
// The Warranty's use cases. A customer's read (GET /warranty/available) is one HGET of the
// line's answer that the last commit wrote; without one (other rules since), the session is
// loaded and the line judged. Writes, a customer's choice (HTTP) or a cart event (the consumer),
// load the session, move it with a pure function of session.hpp, and commit it with its events
// and its lines' answers in one compare-and-set step, retried when another writer came first.
//
// Threads: one WarrantyService per Redis connection (front half: requests; back half: events).
// Errors are values (platform::Result); a down Redis is Errc::unavailable (503 + Retry-After).
#include <boost/asio/awaitable.hpp>
#include <boost/json/fwd.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "platform/rules/digest.hpp"
#include "session.hpp"
#include "store.hpp"
#include "warranty_rules.hpp"

namespace warranty {

// The rules in force and a digest of their text (answers written under other rules are not used).
using LoadedRules = platform::rules::Digested<WarrantyRules>;
using RulesSource = std::function<std::shared_ptr<const LoadedRules>()>;

class WarrantyService {
 public:
  // All must outlive this.
  WarrantyService(WarrantyStore& store, RulesSource rules, const WarrantyConfig& config,
                  const platform::Clock& clock);

  // GET /warranty/available?item_id=: the line's offers (JSON). Errc::not_found (line_not_found)
  // when the user's cart has no such line.
  boost::asio::awaitable<platform::Result<std::string>> available(std::string user_id,
                                                                  std::string item_id);
  // POST /warranty/select: the line's chosen plans after the choice (JSON); errors as
  // select_plan() (session.hpp).
  boost::asio::awaitable<platform::Result<std::string>> select(std::string user_id,
                                                               std::string item_id,
                                                               std::string plan_id,
                                                               platform::TraceContext trace);
  // DELETE /warranty/{item_id}: the line's chosen plans after the removal (JSON).
  boost::asio::awaitable<platform::Result<std::string>> remove(std::string user_id,
                                                               std::string item_id,
                                                               std::optional<std::string> plan_id,
                                                               platform::TraceContext trace);

  // A cart event (cart-events). Old, repeated and ended-session events change nothing;
  // Errc::invalid: a poison message. CartMerged also carries the plans of the guest session it
  // names over to the user's lines (follow_merge).
  boost::asio::awaitable<platform::Status> apply_cart_event(platform::CloudEvent event);
  // OrderCreated (checkout-events): the session ends.
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

 private:
  using Step = std::function<platform::Result<std::optional<Moved>>(const WarrantySession&,
                                                                    const WarrantyRules&)>;
  // Where a change comes from: a customer (no session id: the user's current session) or a cart
  // event of one session.
  struct Origin {
    std::optional<std::string> session_id;
    std::string user_id;
    platform::TraceContext trace;
    std::optional<std::string> cart_event_time;  // a cart event's occurred_at
  };
  // The session after the change (as committed, or as it was when nothing moved); nullopt when
  // the customer has no session or the session has ended.
  boost::asio::awaitable<platform::Result<std::optional<WarrantySession>>> change(Origin origin,
                                                                                  Step step);
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load(const Origin& origin);
  // The plans CartMerged (its data) can carry over: carried_plans() of the guest session it
  // names, when that session is the named guest's and still open; none otherwise.
  boost::asio::awaitable<platform::Result<std::vector<Selection>>> merged_guest_plans(
      const boost::json::value& data);
  // Customers' changes: the line's document, or line_not_found without a session.
  boost::asio::awaitable<platform::Result<std::string>> customer_change(
      std::string user_id, std::string item_id, platform::TraceContext trace, Step step);

  WarrantyStore& store_;
  RulesSource rules_;
  const WarrantyConfig& config_;
  const platform::Clock& clock_;
};

}  // namespace warranty
