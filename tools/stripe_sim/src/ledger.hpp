#pragma once
// The simulated Stripe account: Checkout Sessions, each with its PaymentIntent, and refunds,
// kept as the JSON objects the API returns, with their state machines (README.md):
//   session open --pay--> complete/paid (PI succeeded)   events payment_intent.succeeded,
//                                                        checkout.session.completed
//   session open --fail--> open (PI requires_payment_method with last_payment_error)
//                                                        event payment_intent.payment_failed
//   session open --expire or expires_at--> expired (PI canceled)   checkout.session.expired
//   refund --> pending, then succeeded at once            refund.created, refund.updated,
//                                                        charge.refunded
// Every change appends the events it causes to `events` (type + the object as it is then).
// Pure (no I/O); thread-safe (one mutex). Errors are Stripe's: ApiError with status, type, code.
#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway_sim/page_action.hpp"
#include "platform/clock.hpp"

namespace stripe_sim {

struct ApiError {
  int status = 400;
  std::string type = "invalid_request_error";
  std::string code;
  std::string message;
  std::string param;
};
boost::json::object error_body(const ApiError& error);

template <class T>
using ApiResult = boost::system::result<T, ApiError>;

struct NewEvent {
  std::string type;
  boost::json::object object;
};
using Events = std::vector<NewEvent>;

class Ledger {
 public:
  // Sessions' url is <page_base>/c/pay/<id>.
  void set_page_base(std::string page_base);

  // `params` as read from the form (values are strings).
  ApiResult<boost::json::object> create_session(const boost::json::object& params,
                                                platform::TimePoint now);
  ApiResult<boost::json::object> session(std::string_view id, bool expand_intent) const;
  ApiResult<boost::json::object> expire_session(std::string_view id, Events& events);
  ApiResult<boost::json::object> payment_intent(std::string_view id) const;
  ApiResult<boost::json::object> create_refund(const boost::json::object& params,
                                               platform::TimePoint now, Events& events);
  ApiResult<boost::json::object> refund(std::string_view id) const;

  // The hosted page's buttons. Returns where the browser goes next (success_url, or cancel_url
  // for abandon). 404 for an unknown session, 400 when it is no longer open.
  ApiResult<std::string> act(std::string_view session_id, gateway_sim::PageAction action,
                             Events& events);
  // The newest session whose client_reference_id is `transaction_id`.
  std::optional<std::string> session_of(std::string_view transaction_id) const;
  // Expires the open sessions whose expires_at has passed.
  void expire_due(platform::TimePoint now, Events& events);

  boost::json::object summary() const;
  void clear();

 private:
  ApiResult<boost::json::object> expire_locked(const std::string& id, Events& events);

  mutable std::mutex mutex_;
  std::string page_base_;
  std::map<std::string, boost::json::object, std::less<>> sessions_;
  std::map<std::string, boost::json::object, std::less<>> intents_;
  std::map<std::string, boost::json::object, std::less<>> refunds_;
  std::map<std::string, std::string, std::less<>> session_by_transaction_;
  std::uint64_t next_id_ = 0;
};

}  // namespace stripe_sim
