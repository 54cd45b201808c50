#pragma once
// Sends the outbox's events to the webhook URL: one background loop that, every 50 ms, expires
// the sessions whose time has come (on the simulator's clock) and posts each due delivery in
// queue order, signed at the moment it is sent (Stripe-Signature on the real clock, with the
// faults of that moment: bad_signature, stale_timestamp, second_secret). A 2xx answer delivers
// it; anything else (or no answer within 5 s) is retried on the outbox's schedule.
//
// Ownership: the io_context, clock, ledger, outbox and faults must outlive it. Thread-safety:
// start() once; request_stop() from any thread. Cancellation: request_stop() ends the loop at
// its next wait; a post in progress finishes first (5 s at most).
#include <map>
#include <memory>
#include <string>

#include "faults.hpp"
#include "gateway_sim/sim_clock.hpp"
#include "ledger.hpp"
#include "outbox.hpp"
#include "platform/background_loop.hpp"

namespace platform::httpclient {
class HttpClient;
}

namespace stripe_sim {

class WebhookSender {
 public:
  // secret: the endpoint secret every delivery is signed with (the first of
  // STRIPE_WEBHOOK_SECRET).
  WebhookSender(boost::asio::io_context& io, std::string secret, gateway_sim::SimClock& clock,
                Ledger& ledger, Outbox& outbox, Faults& faults);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;
  WebhookSender(WebhookSender&&) = delete;
  WebhookSender& operator=(WebhookSender&&) = delete;

  void start();
  void request_stop();

 private:
  boost::asio::awaitable<void> run(platform::StopSignal stop);
  boost::asio::awaitable<void> send(Delivery delivery);
  platform::httpclient::HttpClient& client_for(const std::string& url);

  boost::asio::io_context& io_;
  std::string secret_;
  gateway_sim::SimClock& clock_;
  Ledger& ledger_;
  Outbox& outbox_;
  Faults& faults_;
  platform::BackgroundLoop loop_;
  // Only touched by the loop. Clients are kept: in-flight sends hold their internals.
  std::map<std::string, std::unique_ptr<platform::httpclient::HttpClient>> clients_;
};

}  // namespace stripe_sim
