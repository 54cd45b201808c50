#pragma once
// The simulator's P24 routes: the REST API (/api/v1: testAccess, register, BLIK chargeByCode,
// verify, status by sessionId, refund; HTTP Basic posId:apiKey, the faults api_status and
// api_delay_ms) and the hosted payment page (/trnRequest/{token}). /api answers in P24's own
// shapes ({"data":...,"responseCode":0}, {"error":"...","code":N}): its statuses are the
// protocol being simulated, not our errors.
// Not copyable; the cashier, ledger and faults must outlive it. Thread-safe.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "cashier.hpp"
#include "gateway_sim/fault_config.hpp"
#include "ledger.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace p24_sim {

class P24Api {
 public:
  P24Api(Cashier& cashier, Ledger& ledger, gateway_sim::FaultStore& faults,
         gateway_sim::SimClock& clock);
  P24Api(const P24Api&) = delete;
  P24Api& operator=(const P24Api&) = delete;

  void register_routes(platform::http::Router& router);

 private:
  using Response = platform::http::Response;
  using Request = platform::http::Request;
  using Answer = boost::asio::awaitable<Response>;
  Answer test_access(Request request);
  Answer register_transaction(Request request);
  Answer charge_blik(Request request);
  Answer verify(Request request);
  Answer status(Request request);
  Answer refund(Request request);
  Answer page(Request request);
  Answer page_action(Request request);

  // The faults (delay, then status) and the Basic credentials of an /api request: an answer
  // to give instead, or std::nullopt to go on.
  boost::asio::awaitable<std::optional<Response>> gate(const Request& request);

  Cashier& cashier_;
  Ledger& ledger_;
  gateway_sim::FaultStore& faults_;
  gateway_sim::SimClock& clock_;
};

}  // namespace p24_sim
