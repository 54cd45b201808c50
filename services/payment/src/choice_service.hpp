#pragma once
// The Payment's use cases on a session's choice, over Redis (session_store.hpp):
//   available  the methods the customer can use now, with fees, and the others with the reason
//   select     the customer's choice (PaymentMethodSelected)
//   follow     cart-events and shipping-events re-judge the choice (PaymentMethodCleared when it
//              no longer applies); CustomerDataProvided gives the e-mail the gateways get
//   end        OrderCreated: the order is recorded for payment (orders.hpp) and the session ends
// Every change is a compare-and-set of the session with its events (retried when another writer
// came first). Old, repeated and ended-session events change nothing.
// Thread-safety: members may run concurrently; the store, rules and clock must outlive this.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "payments.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/error.hpp"
#include "platform/ids.hpp"
#include "session_store.hpp"

namespace payment {

class ChoiceService {
 public:
  // `gateways_down` names the gateways whose breaker is open now.
  ChoiceService(SessionStore& store, RulesSource rules,
                std::function<std::vector<Gateway>()> gateways_down, int commit_attempts,
                const platform::Clock& clock);

  // GET /payment/available (JSON). A user without a session gets empty lists.
  boost::asio::awaitable<platform::Result<std::string>> available(std::string user_id);
  // POST /payment/select: the session's choice after it (JSON); errors as select_method().
  // Errc::conflict (cart_empty) without a session.
  boost::asio::awaitable<platform::Result<std::string>> select(std::string user_id,
                                                               std::string method_id,
                                                               platform::TraceContext trace);

  // Errc::invalid: a poison message.
  boost::asio::awaitable<platform::Status> apply_cart_event(platform::CloudEvent event);
  boost::asio::awaitable<platform::Status> apply_shipping_event(platform::CloudEvent event);
  boost::asio::awaitable<platform::Status> apply_customer_data(platform::CloudEvent event);

  // The session as the Payment holds it (the e-mail for the order), nullopt when unknown.
  boost::asio::awaitable<platform::Result<std::optional<PaymentSession>>> session(
      std::string session_id);
  boost::asio::awaitable<platform::Status> end_session(std::string session_id, std::string user_id);

 private:
  using Step = std::function<platform::Result<std::optional<Outcome>>(const PaymentSession&,
                                                                      const PaymentRules&)>;
  struct Origin {
    std::optional<std::string> session_id = std::nullopt;  // none: the user's current session
    std::string user_id = {};
    platform::TraceContext trace = {};
    std::optional<std::string> cart_event_time = std::nullopt;
    bool always_write = false;  // the session's copy moved even without a change to publish
  };
  boost::asio::awaitable<platform::Result<std::optional<PaymentSession>>> change(Origin origin,
                                                                                 Step step);
  boost::asio::awaitable<platform::Result<std::optional<StoredSession>>> load(const Origin& origin);

  SessionStore& store_;
  RulesSource rules_;
  std::function<std::vector<Gateway>()> gateways_down_;
  int commit_attempts_;
  const platform::Clock& clock_;
};

// The documents the HTTP API answers with (exposed for tests).
std::string available_document(const PaymentSession* session, const Availability& availability);
std::string choice_document(const PaymentSession& session);

}  // namespace payment
