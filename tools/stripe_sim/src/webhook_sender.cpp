#include "webhook_sender.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>
#include <vector>

#include "platform/httpclient/client.hpp"
#include "stripe_signature.hpp"

namespace stripe_sim {
namespace {
namespace httpclient = platform::httpclient;
constexpr std::chrono::milliseconds kTick{50};
constexpr std::int64_t kStaleBy = 600;
}  // namespace

WebhookSender::WebhookSender(boost::asio::io_context& io, std::string secret,
                             gateway_sim::SimClock& clock, Ledger& ledger, Outbox& outbox,
                             Faults& faults)
    : io_(io),
      secret_(std::move(secret)),
      clock_(clock),
      ledger_(ledger),
      outbox_(outbox),
      faults_(faults),
      loop_(io, "stripe webhook sender") {}

WebhookSender::~WebhookSender() = default;

void WebhookSender::start() {
  loop_.start([this](platform::StopSignal stop) { return run(std::move(stop)); });
}

void WebhookSender::request_stop() {
  loop_.request_stop();
}

boost::asio::awaitable<void> WebhookSender::run(platform::StopSignal stop) {
  for (;;) {
    const bool slept = co_await stop.sleep(kTick);
    if (!slept) co_return;
    Events expired;
    ledger_.expire_due(clock_.now(), expired);
    if (!expired.empty()) outbox_.publish(expired, faults_.current(), clock_.now());
    for (;;) {
      auto delivery = outbox_.next_due(clock_.now());
      if (!delivery) break;
      co_await send(std::move(*delivery));
      if (stop.stop_requested()) co_return;
    }
  }
}

boost::asio::awaitable<void> WebhookSender::send(Delivery delivery) {
  const auto url = outbox_.url();
  const auto faults = faults_.current();
  auto t = gateway_sim::unix_seconds(std::chrono::system_clock::now());
  if (faults.stale_timestamp) t -= kStaleBy;
  std::vector<std::string> secrets{faults.bad_signature ? secret_ + "_not_the_secret" : secret_};
  if (!faults.second_secret.empty()) secrets.push_back(faults.second_secret);

  httpclient::ClientRequest request;
  request.method = "POST";
  request.path_and_query = "";
  request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  request.headers.emplace_back("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
  request.headers.emplace_back("Stripe-Signature",
                               payment::stripe::signature_header(t, delivery.body, secrets));
  request.body = delivery.body;
  auto answer = co_await client_for(url).send(std::move(request));
  if (answer && answer->status >= 200 && answer->status < 300) {
    spdlog::debug("delivered {} {} (attempt {})", delivery.event_id, delivery.type,
                  delivery.attempts + 1);
    outbox_.delivered(delivery.seq, answer->status);
    co_return;
  }
  const auto result = answer ? std::to_string(answer->status) : answer.error().message;
  spdlog::info("delivery of {} {} to {} failed (attempt {}): {}", delivery.event_id, delivery.type,
               url, delivery.attempts + 1, result);
  outbox_.failed(delivery.seq, result, clock_.now());
}

httpclient::HttpClient& WebhookSender::client_for(const std::string& url) {
  auto& client = clients_[url];
  if (!client) {
    httpclient::ClientConfig config;
    config.name = "stripe_webhook_" + std::to_string(clients_.size());
    config.base_url = url;
    config.connect_timeout = std::chrono::milliseconds(1000);
    config.request_timeout = std::chrono::milliseconds(5000);
    config.max_retries = 0;  // the outbox retries, on the simulator's clock
    // Every delivery is attempted: the breaker only opens after a long run of failures.
    config.breaker.sliding_window_size = 100;
    config.breaker.minimum_number_of_calls = 100;
    config.breaker.failure_rate_threshold = 100;
    config.breaker.wait_duration_in_open_state = std::chrono::milliseconds(1000);
    client = std::make_unique<httpclient::HttpClient>(io_, config);
  }
  return *client;
}

}  // namespace stripe_sim
